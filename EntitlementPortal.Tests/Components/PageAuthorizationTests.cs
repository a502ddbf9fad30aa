using System.Reflection;
using System.Text.RegularExpressions;
using Bunit;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace EntitlementPortal.Tests.Components;

/// <summary>
/// Every page route against every kind of person: the page shows its data to the roles that may see it, and to everyone else
/// shows none of it, whatever identifiers they put in the address. Deny by default: a new route without rows fails.
/// </summary>
public sealed partial class PageAuthorizationTests : PortalPageTest
{
    private sealed record PageRule(Func<AuthorizationWorld, Dictionary<string, object>> Parameters, string ShownWhenAllowed);

    private static Dictionary<string, object> None(AuthorizationWorld w) => [];

    /// <summary>Each protected route, the identifiers it is opened with, and text only someone allowed sees.</summary>
    private static readonly Dictionary<string, PageRule> Pages = new()
    {
        ["/"] = new(None, "Pending approvals"),
        ["/identity-governance/entitlement-management/settings"] = new(None, "Block external user from signing in"),
        ["/external-identities/collaboration-settings"] = new(None, "Collaboration restrictions"),
        ["/users"] = new(None, "target@fabrikam.com"),
        ["/audit"] = new(None, "Create access package"),
        ["/notifications"] = new(None, "target@fabrikam.com"),
        ["/connected-organizations"] = new(None, "Fabrikam"),
        ["/connected-organizations/new"] = new(None, "State: Configured"),
        ["/connected-organizations/{Id:guid}"] = new(w => new() { ["Id"] = w.Scenario.OrganizationId }, "fabrikam.com"),
        ["/catalogs"] = new(None, "Partner projects"),
        ["/catalogs/new"] = new(None, "Enabled for external users"),
        ["/catalogs/{Id:guid}"] = new(w => new() { ["Id"] = w.Scenario.CatalogId }, "Partner projects"),
        ["/access-packages/new"] = new(None, "Resource roles"),
        ["/access-packages/{Id:guid}"] = new(w => new() { ["Id"] = w.Scenario.PackageId }, "Falcon partners"),
        ["/access-packages/{PackageId:guid}/policies/new"] = new(w => new() { ["PackageId"] = w.Scenario.PackageId }, "Falcon partners"),
        ["/access-packages/{PackageId:guid}/policies/{PolicyId:guid}"] =
            new(w => new() { ["PackageId"] = w.Scenario.PackageId, ["PolicyId"] = w.Scenario.PolicyId }, "Partners from connected organizations"),
        ["/myaccess/approvals/{RequestId:guid}"] = new(w => new() { ["RequestId"] = w.PendingRequestId }, "pending@fabrikam.com"),
        ["/myaccess/access-packages/{Id:guid}"] = new(w => new() { ["Id"] = w.Scenario.PackageId }, "Submit request"),
    };

    /// <summary>Routes that show every visitor only what is theirs or nothing of the directory, each proved elsewhere.</summary>
    private static readonly Dictionary<string, string> OpenPages = new()
    {
        ["/not-found"] = "static text",
        ["/error"] = "static text with the request id only",
        ["/account/demo"] = "Development only (SecurityTests)",
        ["/account/signin"] = "sign-in form (OneTimePasscodeTests, SignInBrowserTests)",
        ["/invitations/redeem"] = "acts only on the invitation of the signed-in person (MyAccessBrowserTests)",
        ["/myaccess"] = "lists only the person's own data (MyAccessTests, MyAccessPagesTests)",
        ["/myaccess/{Tab}"] = "lists only the person's own data (MyAccessTests, MyAccessPagesTests)",
    };

    public static TheoryData<string, Who, bool> Matrix => new()
    {
        { "/", Who.GlobalAdministrator, true }, { "/", Who.IdentityGovernanceAdministrator, true }, { "/", Who.CatalogOwner, false },
        { "/", Who.Member, false }, { "/", Who.Anonymous, false },
        { "/identity-governance/entitlement-management/settings", Who.GlobalAdministrator, true },
        { "/identity-governance/entitlement-management/settings", Who.UserAdministrator, true },
        { "/identity-governance/entitlement-management/settings", Who.IdentityGovernanceAdministrator, true },
        { "/identity-governance/entitlement-management/settings", Who.CatalogOwner, false },
        { "/identity-governance/entitlement-management/settings", Who.ConnectedOrganizationAdministrator, false },
        { "/identity-governance/entitlement-management/settings", Who.TargetGuest, false },
        { "/identity-governance/entitlement-management/settings", Who.BlockedGuest, false },
        { "/identity-governance/entitlement-management/settings", Who.Anonymous, false },
        { "/external-identities/collaboration-settings", Who.UserAdministrator, true },
        { "/external-identities/collaboration-settings", Who.IdentityGovernanceAdministrator, false },
        { "/external-identities/collaboration-settings", Who.Member, false },
        { "/users", Who.UserAdministrator, true }, { "/users", Who.CatalogCreator, false }, { "/users", Who.CatalogOwner, false },
        { "/users", Who.ExternalUserOfAllowedOrganization, false },
        { "/audit", Who.IdentityGovernanceAdministrator, true }, { "/audit", Who.CatalogOwner, false }, { "/audit", Who.Approver, false },
        { "/audit", Who.Anonymous, false },
        { "/notifications", Who.GlobalAdministrator, true }, { "/notifications", Who.AssignmentManager, false }, { "/notifications", Who.OtherGuest, false },
        { "/connected-organizations", Who.ConnectedOrganizationAdministrator, true }, { "/connected-organizations", Who.AccessPackageManager, true },
        { "/connected-organizations", Who.Member, false }, { "/connected-organizations", Who.TargetGuest, false },
        { "/connected-organizations/new", Who.ConnectedOrganizationAdministrator, true }, { "/connected-organizations/new", Who.UserAdministrator, false },
        { "/connected-organizations/new", Who.CatalogOwner, false },
        { "/connected-organizations/{Id:guid}", Who.IdentityGovernanceAdministrator, true },
        { "/connected-organizations/{Id:guid}", Who.CatalogOwner, true },
        { "/connected-organizations/{Id:guid}", Who.Approver, false },
        { "/connected-organizations/{Id:guid}", Who.TargetGuest, false },
        { "/connected-organizations/{Id:guid}", Who.ExternalUserOfAnotherOrganization, false },
        { "/catalogs", Who.CatalogReader, true }, { "/catalogs", Who.OwnerOfAnotherCatalog, false }, { "/catalogs", Who.Member, false },
        { "/catalogs/new", Who.CatalogCreator, true }, { "/catalogs/new", Who.UserAdministrator, false }, { "/catalogs/new", Who.CatalogOwner, false },
        { "/catalogs/{Id:guid}", Who.CatalogOwner, true }, { "/catalogs/{Id:guid}", Who.CatalogReader, true },
        { "/catalogs/{Id:guid}", Who.AccessPackageManager, true }, { "/catalogs/{Id:guid}", Who.AssignmentManager, true },
        { "/catalogs/{Id:guid}", Who.UserAdministrator, true },
        { "/catalogs/{Id:guid}", Who.OwnerOfAnotherCatalog, false }, { "/catalogs/{Id:guid}", Who.ReaderOfAnotherCatalog, false },
        { "/catalogs/{Id:guid}", Who.PackageManagerOfAnotherCatalog, false }, { "/catalogs/{Id:guid}", Who.AssignmentManagerOfAnotherCatalog, false },
        { "/catalogs/{Id:guid}", Who.CatalogCreator, false }, { "/catalogs/{Id:guid}", Who.Approver, false },
        { "/catalogs/{Id:guid}", Who.TargetGuest, false }, { "/catalogs/{Id:guid}", Who.Anonymous, false },
        { "/access-packages/new", Who.AccessPackageManager, true }, { "/access-packages/new", Who.AssignmentManager, false },
        { "/access-packages/new", Who.CatalogReader, false }, { "/access-packages/new", Who.Member, false },
        { "/access-packages/{Id:guid}", Who.CatalogReader, true }, { "/access-packages/{Id:guid}", Who.AssignmentManager, true },
        { "/access-packages/{Id:guid}", Who.GlobalAdministrator, true },
        { "/access-packages/{Id:guid}", Who.OwnerOfAnotherCatalog, false }, { "/access-packages/{Id:guid}", Who.AssignmentManagerOfAnotherCatalog, false },
        { "/access-packages/{Id:guid}", Who.Approver, false }, { "/access-packages/{Id:guid}", Who.TargetGuest, false },
        { "/access-packages/{PackageId:guid}/policies/new", Who.AccessPackageManager, true },
        { "/access-packages/{PackageId:guid}/policies/new", Who.CatalogReader, false },
        { "/access-packages/{PackageId:guid}/policies/new", Who.AssignmentManager, false },
        { "/access-packages/{PackageId:guid}/policies/new", Who.PackageManagerOfAnotherCatalog, false },
        { "/access-packages/{PackageId:guid}/policies/{PolicyId:guid}", Who.CatalogOwner, true },
        { "/access-packages/{PackageId:guid}/policies/{PolicyId:guid}", Who.CatalogReader, false },
        { "/access-packages/{PackageId:guid}/policies/{PolicyId:guid}", Who.PackageManagerOfAnotherCatalog, false },
        { "/myaccess/approvals/{RequestId:guid}", Who.Approver, true },
        { "/myaccess/approvals/{RequestId:guid}", Who.ApproverOfAnotherRequest, false },
        { "/myaccess/approvals/{RequestId:guid}", Who.CatalogOwner, false },
        { "/myaccess/approvals/{RequestId:guid}", Who.GlobalAdministrator, false },
        { "/myaccess/access-packages/{Id:guid}", Who.ExternalUserOfAllowedOrganization, true },
        { "/myaccess/access-packages/{Id:guid}", Who.ExternalUserOfAnotherOrganization, false },
        { "/myaccess/access-packages/{Id:guid}", Who.BlockedGuest, false },
        { "/myaccess/access-packages/{Id:guid}", Who.Member, false },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Page_shows_its_data_only_to_the_roles_that_may_see_it(string route, Who who, bool allowed)
    {
        var world = await AuthorizationWorld.BuildAsync(Portal);
        var rule = Pages[route];
        if (who != Who.Anonymous)
        {
            SignInAs(world[who].Email);
        }
        var page = Context.Render(PageAt(route, rule.Parameters(world)));
        if (allowed)
        {
            page.WaitForAssertion(() => Assert.Contains(rule.ShownWhenAllowed, page.Markup));
            Assert.DoesNotContain("data-testid=\"no-access\"", page.Markup);
            return;
        }
        // Wait for the page to settle on its answer: the refusal, or whatever little the person may see.
        page.WaitForAssertion(() => Assert.DoesNotContain("mud-progress-linear", page.Markup));
        await Task.Delay(200);
        Assert.DoesNotContain(rule.ShownWhenAllowed, page.Markup);
        foreach (var secret in AuthorizationWorld.Secrets.Where(s => !IsPublicOnThatPage(route, s)))
        {
            Assert.DoesNotContain(secret, page.Markup);
        }
        // The router sends signed-out visitors to sign in; only the home page welcomes them.
        if (who == Who.Anonymous && route != "/")
        {
            Assert.NotNull(PageType(route).GetCustomAttribute<AuthorizeAttribute>());
        }
    }

    [Fact]
    public void Every_page_route_is_in_the_matrix_with_an_allowed_and_a_refused_row_or_is_open_for_a_stated_reason()
    {
        var routes = typeof(PortalServices).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))
            .ToHashSet();
        var rows = Matrix.Select(r => ((string)r[0], (bool)r[2])).ToList();
        foreach (var route in routes.Except(OpenPages.Keys))
        {
            Assert.True(Pages.ContainsKey(route), $"{route} has no rows in the page matrix: deny by default means every page is listed.");
            Assert.Contains((route, true), rows);
            Assert.Contains((route, false), rows);
        }
        Assert.Subset(routes, Pages.Keys.Concat(OpenPages.Keys).ToHashSet());
    }

    /// <summary>What a page may show beyond its own rule's data.</summary>
    private static readonly Dictionary<string, string[]> SharedOnPage = new()
    {
        // The shared My Access link names its package to anyone who has the link, as Entra's does.
        ["/myaccess/access-packages/{Id:guid}"] = ["Falcon partners", "Project Falcon"],
        // Another approver sees their own requests, which come from the same catalog and give the same justification.
        ["/myaccess/approvals/{RequestId:guid}"] = ["Partner projects", "Project Falcon"],
    };

    private static bool IsPublicOnThatPage(string route, string secret) => SharedOnPage.GetValueOrDefault(route, []).Contains(secret);

    private static Type PageType(string route) =>
        typeof(PortalServices).Assembly.GetTypes().Single(t => t.GetCustomAttributes<RouteAttribute>().Any(r => r.Template == route));

    private static RenderFragment PageAt(string route, Dictionary<string, object> parameters) => builder =>
    {
        builder.OpenComponent(0, PageType(route));
        foreach (Match name in RouteParameter().Matches(route))
        {
            builder.AddAttribute(1, name.Groups[1].Value, parameters[name.Groups[1].Value]);
        }
        builder.CloseComponent();
    };

    [GeneratedRegex(@"\{(\w+)(:\w+)?\}")]
    private static partial Regex RouteParameter();
}

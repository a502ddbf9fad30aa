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
    private sealed record PageRule(Func<AuthorizationWorld, Dictionary<string, object>> Parameters, string ShownWhenAllowed, Who[] Allowed);

    private static Dictionary<string, object> None(AuthorizationWorld w) => [];

    /// <summary>Each protected route, the identifiers it is opened with, and text only someone allowed sees.</summary>
    private static readonly Dictionary<string, PageRule> Pages = new()
    {
        ["/"] = new(None, "Pending approvals", Allow.TenantAdministrators),
        ["/identity-governance/entitlement-management/settings"] = new(None, "Block external user from signing in", Allow.TenantAdministrators),
        ["/external-identities/collaboration-settings"] = new(None, "Collaboration restrictions", Allow.DirectoryManagers),
        ["/users"] = new(None, "target@fabrikam.com", Allow.TenantAdministrators),
        ["/audit"] = new(None, "Create access package", Allow.TenantAdministrators),
        ["/notifications"] = new(None, "target@fabrikam.com", Allow.TenantAdministrators),
        ["/connected-organizations"] = new(None, "Fabrikam", Allow.OrganizationReaders),
        ["/connected-organizations/new"] = new(None, "State: Configured", Allow.OrganizationManagers),
        ["/connected-organizations/{Id:guid}"] = new(w => new() { ["Id"] = w.Scenario.OrganizationId }, "fabrikam.com", Allow.OrganizationReaders),
        ["/catalogs"] = new(None, "Partner projects", Allow.CatalogReadersOrUserAdministrator),
        ["/catalogs/new"] = new(None, "Enabled for external users", Allow.CatalogCreators),
        ["/catalogs/{Id:guid}"] = new(w => new() { ["Id"] = w.Scenario.CatalogId }, "Partner projects", Allow.CatalogReadersOrUserAdministrator),
        ["/access-packages/new"] = new(None, "Resource roles", Allow.PackageManagersAnywhere),
        ["/access-packages/{Id:guid}"] = new(w => new() { ["Id"] = w.Scenario.PackageId }, "Falcon partners", Allow.CatalogReaders),
        ["/access-packages/{PackageId:guid}/policies/new"] = new(w => new() { ["PackageId"] = w.Scenario.PackageId }, "Falcon partners", Allow.PackageManagers),
        ["/access-packages/{PackageId:guid}/policies/{PolicyId:guid}"] =
            new(w => new() { ["PackageId"] = w.Scenario.PackageId, ["PolicyId"] = w.Scenario.PolicyId }, "Partners from connected organizations", Allow.PackageManagers),
        ["/myaccess/approvals/{RequestId:guid}"] = new(w => new() { ["RequestId"] = w.PendingRequestId }, "pending@fabrikam.com", [Who.Approver]),
        ["/myaccess/access-packages/{Id:guid}"] = new(w => new() { ["Id"] = w.Scenario.PackageId }, "Submit request", [Who.ExternalUserOfAllowedOrganization]),
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

    private AuthorizationWorld world = null!;

    protected override async Task<TestPortal> CreatePortalAsync()
    {
        world = await AuthorizationWorld.CopyAsync();
        return world.Portal;
    }

    public static TheoryData<string> Routes => [.. Pages.Keys];

    /// <summary>Each route opened by every person of the cast, with this catalog's identifiers in the address.</summary>
    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Page_shows_its_data_exactly_to_the_roles_that_may_see_it_and_nothing_of_it_to_anyone_else(string route)
    {
        var rule = Pages[route];
        var wrong = new List<string>();
        foreach (var who in Enum.GetValues<Who>())
        {
            if (who == Who.Anonymous)
            {
                SignOut();
            }
            else
            {
                SignInAs(world[who].Email);
            }
            var page = Context.Render(PageAt(route, rule.Parameters(world)));
            var markup = await SettledMarkupAsync(page, rule.ShownWhenAllowed);
            if (rule.Allowed.Contains(who))
            {
                if (!markup.Contains(rule.ShownWhenAllowed, StringComparison.Ordinal) || markup.Contains(NoAccess, StringComparison.Ordinal))
                {
                    wrong.Add($"{who} should see \"{rule.ShownWhenAllowed}\"");
                }
                continue;
            }
            wrong.AddRange(AuthorizationWorld.Secrets.Append(rule.ShownWhenAllowed)
                .Where(secret => !IsPublicOnThatPage(route, secret) && markup.Contains(secret, StringComparison.Ordinal))
                .Select(secret => $"{who} should be refused but sees \"{secret}\""));
        }
        Assert.True(wrong.Count == 0, $"{route}:\n{string.Join("\n", wrong)}");
        // The router sends signed-out visitors to sign in; only the home page welcomes them.
        if (route != "/")
        {
            Assert.NotNull(PageType(route).GetCustomAttribute<AuthorizeAttribute>());
        }
    }

    private const string NoAccess = "data-testid=\"no-access\"";

    /// <summary>The page's answer once it has one: the data, the refusal, or markup that stopped changing after loading.</summary>
    private static async Task<string> SettledMarkupAsync(IRenderedComponent<IComponent> page, string shownWhenAllowed)
    {
        var previous = "";
        var unchanged = 0;
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(10); waited += TimeSpan.FromMilliseconds(50))
        {
            var markup = page.Markup;
            if (markup.Contains(shownWhenAllowed, StringComparison.Ordinal) || markup.Contains(NoAccess, StringComparison.Ordinal))
            {
                return markup;
            }
            unchanged = markup == previous && !markup.Contains("mud-progress", StringComparison.Ordinal) ? unchanged + 1 : 0;
            if (unchanged == 4)
            {
                return markup;
            }
            previous = markup;
            await Task.Delay(50);
        }
        return page.Markup;
    }

    [Fact]
    public void Every_page_route_has_a_rule_that_shows_it_to_someone_and_refuses_someone_or_is_open_for_a_stated_reason()
    {
        var routes = typeof(PortalServices).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))
            .ToHashSet();
        foreach (var route in routes.Except(OpenPages.Keys))
        {
            Assert.True(Pages.ContainsKey(route), $"{route} has no rule in the page matrix: deny by default means every page is listed.");
            Assert.NotEmpty(Pages[route].Allowed);
            Assert.NotEqual(Enum.GetValues<Who>().Length, Pages[route].Allowed.Distinct().Count());
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

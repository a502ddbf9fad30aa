using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.Requests;
using EntitlementPortal.Features.Settings;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Infrastructure;

/// <summary>Everyone the authorization matrices ask about: directory roles, catalog roles here and elsewhere, approvers, partners, a blocked guest.</summary>
public enum Who
{
    GlobalAdministrator, UserAdministrator, IdentityGovernanceAdministrator, CatalogCreator, ConnectedOrganizationAdministrator,
    CatalogOwner, CatalogReader, AccessPackageManager, AssignmentManager,
    OwnerOfAnotherCatalog, ReaderOfAnotherCatalog, PackageManagerOfAnotherCatalog, AssignmentManagerOfAnotherCatalog,
    Approver, ApproverOfAnotherRequest, Member,
    TargetGuest, OtherGuest, ExternalUserOfAllowedOrganization, ExternalUserOfAnotherOrganization, BlockedGuest, Anonymous,
}

/// <summary>
/// One catalog ("Partner projects") with its package, policy, assignment and pending request, another catalog with its own role
/// holders, and one actor per <see cref="Who"/>.
/// </summary>
public sealed record AuthorizationWorld
{
    public required TestPortal Portal { get; init; }
    public required Scenario Scenario { get; init; }
    public required Dictionary<Who, Actor> Actors { get; init; }
    public required AccessPackageAssignment Assignment { get; init; }
    public required AccessPackageAssignment BlockedGuestAssignment { get; init; }
    public required Guid PendingRequestId { get; init; }
    public required Guid FailedRequestId { get; init; }
    public required Guid SpareOrganizationId { get; init; }
    public required Guid ProposedOrganizationId { get; init; }
    public required Guid SpareResourceId { get; init; }
    public required Guid SecondPackageId { get; init; }
    public required Guid RetiredPackageId { get; init; }
    public required Guid UnusedPolicyId { get; init; }
    public required Guid OldGuestId { get; init; }
    public Actor this[Who who] => Actors[who];

    /// <summary>Names and addresses of this catalog's data: a page that refuses must show none of them.</summary>
    public static readonly string[] Secrets = ["Partner projects", "Falcon partners", "Project Falcon", "target@fabrikam.com", "pending@fabrikam.com"];

    private static readonly Lazy<Task<AuthorizationWorld>> SqliteTemplate = new(() => BuildTemplateAsync(TestPortal.CreateAsync()));
    private static readonly Lazy<Task<AuthorizationWorld>> PostgreSqlTemplate = new(() => BuildTemplateAsync(TestPortal.CreateOnPostgreSqlAsync()));

    // Lives for the whole test run: every copy starts from its database.
    private static async Task<AuthorizationWorld> BuildTemplateAsync(Task<TestPortal> portal)
    {
        var world = await BuildAsync(await portal);
        await world.Portal.KeepAsTemplateAsync();
        return world;
    }

    /// <summary>A fresh world on its own copy of a database built once per test run; dispose its <see cref="Portal"/>.</summary>
    public static async Task<AuthorizationWorld> CopyAsync(bool onPostgreSql = false)
    {
        var template = await (onPostgreSql ? PostgreSqlTemplate : SqliteTemplate).Value;
        var portal = await TestPortal.CopyOfAsync(template.Portal);
        return template with { Portal = portal, Scenario = template.Scenario.On(portal) };
    }

    public static async Task<AuthorizationWorld> BuildAsync(TestPortal portal)
    {
        var s = await Scenario.CreateAsync(portal);
        var actors = new Dictionary<Who, Actor>
        {
            [Who.GlobalAdministrator] = portal.Admin,
            [Who.UserAdministrator] = await portal.SeedUserAsync("UA", "ua@contoso.com", DirectoryRole.UserAdministrator),
            [Who.IdentityGovernanceAdministrator] = await portal.SeedUserAsync("IGA", "iga@contoso.com", DirectoryRole.IdentityGovernanceAdministrator),
            [Who.CatalogCreator] = await portal.SeedUserAsync("CC", "cc@contoso.com", DirectoryRole.CatalogCreator),
            [Who.ConnectedOrganizationAdministrator] = await portal.SeedUserAsync("COA", "coa@contoso.com", DirectoryRole.ConnectedOrganizationAdministrator),
            [Who.Approver] = s.Approver,
            [Who.Member] = await portal.MemberAsync("Member", "member@contoso.com"),
            [Who.ExternalUserOfAllowedOrganization] = Actor.ForEmail("lee@fabrikam.com"),
            [Who.ExternalUserOfAnotherOrganization] = Actor.ForEmail("sam@wingtiptoys.com"),
            [Who.Anonymous] = Actor.ForEmail("nobody@unknown.example"),
        };
        var otherCatalog = await portal.Catalogs.CreateAsync(portal.Admin, new CatalogInput("Other catalog", null));
        foreach (var (here, elsewhere, role) in new[]
                 {
                     (Who.CatalogOwner, Who.OwnerOfAnotherCatalog, CatalogRole.CatalogOwner),
                     (Who.CatalogReader, Who.ReaderOfAnotherCatalog, CatalogRole.CatalogReader),
                     (Who.AccessPackageManager, Who.PackageManagerOfAnotherCatalog, CatalogRole.AccessPackageManager),
                     (Who.AssignmentManager, Who.AssignmentManagerOfAnotherCatalog, CatalogRole.AccessPackageAssignmentManager),
                 })
        {
            foreach (var (who, catalog) in new[] { (here, s.CatalogId), (elsewhere, otherCatalog) })
            {
                var actor = await portal.MemberAsync(who.ToString(), $"{who.ToString().ToLowerInvariant()}@contoso.com");
                await portal.Catalogs.AddRoleHolderAsync(portal.Admin, catalog, actor.UserId!.Value, role);
                actors[who] = actor;
            }
        }
        var assignment = await s.GrantAsync(Actor.ForEmail("target@fabrikam.com"));
        actors[Who.TargetGuest] = await s.AsDirectoryUserAsync("target@fabrikam.com");
        await s.GrantAsync(Actor.ForEmail("other@fabrikam.com"));
        actors[Who.OtherGuest] = await s.AsDirectoryUserAsync("other@fabrikam.com");
        var blockedAssignment = await s.GrantAsync(Actor.ForEmail("blocked@fabrikam.com"));
        actors[Who.BlockedGuest] = await s.AsDirectoryUserAsync("blocked@fabrikam.com");
        var pending = await s.RequestAsync(Actor.ForEmail("pending@fabrikam.com"));

        // Another package whose requests someone else approves.
        actors[Who.ApproverOfAnotherRequest] = await portal.MemberAsync("Other approver", "otherapprover@contoso.com");
        var sidePackage = await portal.Packages.CreateAsync(portal.Admin, new AccessPackageInput(s.CatalogId, "Side project", null));
        await portal.Policies.CreateAsync(portal.Admin, sidePackage, Scenario.ExternalPolicy(s.OrganizationId, actors[Who.ApproverOfAnotherRequest].UserId!.Value));
        await s.RequestAsync(Actor.ForEmail("side@fabrikam.com"), sidePackage);
        await s.RequestAsync(actors[Who.BlockedGuest], sidePackage);
        await using (var db = portal.NewDb())
        {
            (await db.Users.SingleAsync(u => u.Id == actors[Who.BlockedGuest].UserId)).BlockSignIn(portal.Now);
            await db.SaveChangesAsync();
        }

        var spare = await portal.Organizations.CreateAsync(portal.Admin, new ConnectedOrganizationInput("Wingtip Toys", null, ["wingtiptoys.com"]));
        await portal.Organizations.AddSponsorAsync(portal.Admin, s.OrganizationId, s.Approver.UserId!.Value, SponsorKind.Internal);
        var proposalPackage = await portal.Packages.CreateAsync(portal.Admin, new AccessPackageInput(s.CatalogId, "Open to all", null));
        var openPolicy = await portal.Policies.CreateAsync(portal.Admin, proposalPackage, Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with
        {
            AllowedTargetScope = AllowedTargetScope.AllExternalUsers, SpecificAllowedTargets = [],
        });
        await s.RequestAsync(Actor.ForEmail("someone@tailspintoys.com"), proposalPackage);
        var proposed = await portal.QueryAsync(db => db.ConnectedOrganizations.Where(o => o.State == ConnectedOrganizationState.Proposed).Select(o => o.Id).SingleAsync());
        var spareResource = await portal.DirectoryAdmin.CreateResourceAsync(portal.Admin, "Spare site", ResourceType.SharePointSite);
        await portal.Catalogs.AddResourceAsync(portal.Admin, s.CatalogId, spareResource);
        await portal.Collaboration.UpdateAsync(portal.Admin, new CollaborationSettings(CollaborationRestriction.DenySpecifiedDomains, "litwareinc.com"));
        var failed = await portal.Requests.AssignDirectlyAsync(portal.Admin, new DirectAssignmentInput(s.PackageId, s.PolicyId, Email: "kai@litwareinc.com"));
        await portal.Delivery.DeliverPendingAsync();
        await portal.Collaboration.UpdateAsync(portal.Admin, new CollaborationSettings(CollaborationRestriction.AllowAnyDomain, ""));
        var retired = await portal.Packages.CreateAsync(portal.Admin, new AccessPackageInput(s.CatalogId, "Retired", null));
        var oldGuest = await portal.DirectoryAdmin.AddExistingGuestAsync(portal.Admin, "Old guest", "old@wingtiptoys.com", null);
        // Far enough on that an extension moves the end date.
        portal.Clock.Advance(TimeSpan.FromDays(10));
        return new AuthorizationWorld
        {
            Portal = portal, Scenario = s, Actors = actors, Assignment = assignment, BlockedGuestAssignment = blockedAssignment, PendingRequestId = pending,
            FailedRequestId = failed, SpareOrganizationId = spare, ProposedOrganizationId = proposed, SpareResourceId = spareResource,
            SecondPackageId = proposalPackage, RetiredPackageId = retired, UnusedPolicyId = openPolicy.PolicyId, OldGuestId = oldGuest,
        };
    }
}

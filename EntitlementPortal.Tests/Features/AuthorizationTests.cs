using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.Requests;
using EntitlementPortal.Features.Settings;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Features;

/// <summary>Every service operation, allowed for the roles DESIGN.md names and refused for another: deny unless a rule allows.</summary>
public sealed class AuthorizationTests
{
    public enum Who
    {
        GlobalAdministrator, UserAdministrator, IdentityGovernanceAdministrator, CatalogCreator, ConnectedOrganizationAdministrator,
        CatalogOwner, CatalogReader, AccessPackageManager, AssignmentManager, OwnerOfAnotherCatalog, Approver, Member, TargetGuest, OtherGuest, Anonymous,
    }

    private sealed class World
    {
        public required TestPortal Portal { get; init; }
        public required Scenario Scenario { get; init; }
        public required Dictionary<Who, Actor> Actors { get; init; }
        public required AccessPackageAssignment Assignment { get; init; }
        public required Guid PendingRequestId { get; init; }
        public required Guid SpareOrganizationId { get; init; }
        public Actor this[Who who] => Actors[who];
    }

    private static readonly Dictionary<string, Func<World, Actor, Task>> Operations = new()
    {
        ["lifecycle settings: read"] = (w, a) => w.Portal.LifecycleSettings.GetAsync(a),
        ["lifecycle settings: update"] = (w, a) => w.Portal.LifecycleSettings.UpdateAsync(a, new LifecycleSettings(true, true, 14)),
        ["collaboration settings: read"] = (w, a) => w.Portal.Collaboration.GetAsync(a),
        ["collaboration settings: update"] = (w, a) => w.Portal.Collaboration.UpdateAsync(a, new CollaborationSettings(CollaborationRestriction.DenySpecifiedDomains, "evil.example")),
        ["connected organization: create"] = (w, a) => w.Portal.Organizations.CreateAsync(a, new ConnectedOrganizationInput("Tailspin", null, ["tailspintoys.com"])),
        ["connected organization: update"] = (w, a) => w.Portal.Organizations.UpdateAsync(a, w.SpareOrganizationId, new ConnectedOrganizationInput("Wingtip", null, ["wingtiptoys.com"])),
        ["connected organization: delete"] = (w, a) => w.Portal.Organizations.DeleteAsync(a, w.SpareOrganizationId),
        ["connected organization: add sponsor"] = (w, a) => w.Portal.Organizations.AddSponsorAsync(a, w.SpareOrganizationId, w[Who.Member].UserId!.Value, SponsorKind.Internal),
        ["connected organization: list"] = (w, a) => w.Portal.Organizations.ListAsync(a),
        ["catalog: create"] = (w, a) => w.Portal.Catalogs.CreateAsync(a, new CatalogInput("New catalog", null)),
        ["catalog: update"] = (w, a) => w.Portal.Catalogs.UpdateAsync(a, w.Scenario.CatalogId, new CatalogInput("Partner projects", "edited", true, false)),
        ["catalog: add role holder"] = (w, a) => w.Portal.Catalogs.AddRoleHolderAsync(a, w.Scenario.CatalogId, w[Who.Member].UserId!.Value, CatalogRole.CatalogReader),
        ["catalog: add resource"] = async (w, a) => await w.Portal.Catalogs.AddResourceAsync(a, w.Scenario.CatalogId,
            await w.Portal.DirectoryAdmin.CreateResourceAsync(w.Portal.Admin, "Extra app", ResourceType.Application)),
        ["access package: create"] = (w, a) => w.Portal.Packages.CreateAsync(a, new AccessPackageInput(w.Scenario.CatalogId, "Another package", null)),
        ["access package: update"] = (w, a) => w.Portal.Packages.UpdateAsync(a, w.Scenario.PackageId, new AccessPackageInput(w.Scenario.CatalogId, "Falcon partners", "edited", true)),
        ["access package: remove resource role"] = (w, a) => w.Portal.Packages.RemoveResourceRoleAsync(a, w.Scenario.PackageId, w.Scenario.MemberRoleId),
        ["policy: create"] = (w, a) => w.Portal.Policies.CreateAsync(a, w.Scenario.PackageId, Scenario.ExternalPolicy(w.Scenario.OrganizationId, w[Who.Approver].UserId!.Value) with { DisplayName = "Another" }),
        ["policy: update"] = (w, a) => w.Portal.Policies.UpdateAsync(a, w.Scenario.PolicyId, Scenario.ExternalPolicy(w.Scenario.OrganizationId, w[Who.Approver].UserId!.Value)),
        ["request: assign directly"] = (w, a) => w.Portal.Requests.AssignDirectlyAsync(a, new DirectAssignmentInput(w.Scenario.PackageId, w.Scenario.PolicyId, Email: "new@fabrikam.com")),
        ["request: remove assignment"] = (w, a) => w.Portal.Requests.RemoveAssignmentAsync(a, w.Assignment.Id),
        ["request: cancel"] = (w, a) => w.Portal.Requests.CancelAsync(a, w.PendingRequestId),
        ["request: approve"] = (w, a) => w.Portal.Approvals.ApproveAsync(a, w.PendingRequestId),
        ["request: deny"] = (w, a) => w.Portal.Approvals.DenyAsync(a, w.PendingRequestId),
        ["assignment: relinquish"] = (w, a) => w.Portal.Requests.RelinquishAsync(a, w.Assignment.Id),
        ["directory: add member"] = (w, a) => w.Portal.DirectoryAdmin.CreateMemberAsync(a, "New person", "new.person@contoso.com"),
        ["directory: create resource"] = (w, a) => w.Portal.DirectoryAdmin.CreateResourceAsync(a, "New group", ResourceType.Group),
        ["directory: assign directory role"] = (w, a) => w.Portal.DirectoryAdmin.AssignDirectoryRoleAsync(a, w[Who.Member].UserId!.Value, DirectoryRole.CatalogCreator),
        ["lifecycle: mark guest as governed"] = async (w, a) => await w.Portal.Lifecycle.MarkGuestAsGovernedAsync(a,
            await w.Portal.DirectoryAdmin.AddExistingGuestAsync(w.Portal.Admin, "Old guest", "old@wingtiptoys.com", null)),
    };

    public static TheoryData<string, Who, bool> Matrix => new()
    {
        { "lifecycle settings: read", Who.GlobalAdministrator, true }, { "lifecycle settings: read", Who.CatalogOwner, false },
        { "lifecycle settings: update", Who.GlobalAdministrator, true }, { "lifecycle settings: update", Who.UserAdministrator, true },
        { "lifecycle settings: update", Who.IdentityGovernanceAdministrator, true }, { "lifecycle settings: update", Who.CatalogOwner, false },
        { "lifecycle settings: update", Who.Member, false }, { "lifecycle settings: update", Who.TargetGuest, false }, { "lifecycle settings: update", Who.Anonymous, false },
        { "collaboration settings: read", Who.UserAdministrator, true }, { "collaboration settings: read", Who.Member, false },
        { "collaboration settings: update", Who.GlobalAdministrator, true }, { "collaboration settings: update", Who.UserAdministrator, true },
        { "collaboration settings: update", Who.CatalogOwner, false }, { "collaboration settings: update", Who.ConnectedOrganizationAdministrator, false },
        { "connected organization: create", Who.ConnectedOrganizationAdministrator, true }, { "connected organization: create", Who.IdentityGovernanceAdministrator, true },
        { "connected organization: create", Who.CatalogOwner, false }, { "connected organization: create", Who.UserAdministrator, false },
        { "connected organization: update", Who.GlobalAdministrator, true }, { "connected organization: update", Who.Member, false },
        { "connected organization: delete", Who.ConnectedOrganizationAdministrator, true }, { "connected organization: delete", Who.AccessPackageManager, false },
        { "connected organization: add sponsor", Who.ConnectedOrganizationAdministrator, true }, { "connected organization: add sponsor", Who.CatalogOwner, false },
        { "connected organization: list", Who.AccessPackageManager, true }, { "connected organization: list", Who.Member, false }, { "connected organization: list", Who.OtherGuest, false },
        { "catalog: create", Who.CatalogCreator, true }, { "catalog: create", Who.IdentityGovernanceAdministrator, true },
        { "catalog: create", Who.UserAdministrator, false }, { "catalog: create", Who.CatalogOwner, false },
        { "catalog: update", Who.CatalogOwner, true }, { "catalog: update", Who.UserAdministrator, true }, { "catalog: update", Who.GlobalAdministrator, true },
        { "catalog: update", Who.CatalogReader, false }, { "catalog: update", Who.AccessPackageManager, false }, { "catalog: update", Who.OwnerOfAnotherCatalog, false },
        { "catalog: add role holder", Who.CatalogOwner, true }, { "catalog: add role holder", Who.AccessPackageManager, false },
        { "catalog: add resource", Who.CatalogOwner, true }, { "catalog: add resource", Who.AssignmentManager, false }, { "catalog: add resource", Who.OwnerOfAnotherCatalog, false },
        { "access package: create", Who.AccessPackageManager, true }, { "access package: create", Who.CatalogOwner, true },
        { "access package: create", Who.AssignmentManager, false }, { "access package: create", Who.CatalogReader, false }, { "access package: create", Who.OwnerOfAnotherCatalog, false },
        { "access package: update", Who.AccessPackageManager, true }, { "access package: update", Who.CatalogCreator, false },
        { "access package: remove resource role", Who.CatalogOwner, true }, { "access package: remove resource role", Who.AssignmentManager, false },
        { "policy: create", Who.AccessPackageManager, true }, { "policy: create", Who.AssignmentManager, false }, { "policy: create", Who.UserAdministrator, false },
        { "policy: update", Who.CatalogOwner, true }, { "policy: update", Who.CatalogReader, false },
        { "request: assign directly", Who.AssignmentManager, true }, { "request: assign directly", Who.AccessPackageManager, true },
        { "request: assign directly", Who.CatalogReader, false }, { "request: assign directly", Who.OwnerOfAnotherCatalog, false }, { "request: assign directly", Who.Approver, false },
        { "request: remove assignment", Who.AssignmentManager, true }, { "request: remove assignment", Who.CatalogReader, false }, { "request: remove assignment", Who.OtherGuest, false },
        { "request: cancel", Who.AssignmentManager, true }, { "request: cancel", Who.OtherGuest, false }, { "request: cancel", Who.Approver, false },
        { "request: approve", Who.Approver, true }, { "request: approve", Who.GlobalAdministrator, false }, { "request: approve", Who.CatalogOwner, false }, { "request: approve", Who.Anonymous, false },
        { "request: deny", Who.Approver, true }, { "request: deny", Who.Member, false },
        { "assignment: relinquish", Who.TargetGuest, true }, { "assignment: relinquish", Who.OtherGuest, false }, { "assignment: relinquish", Who.GlobalAdministrator, false },
        { "directory: add member", Who.UserAdministrator, true }, { "directory: add member", Who.IdentityGovernanceAdministrator, false }, { "directory: add member", Who.Member, false },
        { "directory: create resource", Who.GlobalAdministrator, true }, { "directory: create resource", Who.CatalogOwner, false },
        { "directory: assign directory role", Who.GlobalAdministrator, true }, { "directory: assign directory role", Who.UserAdministrator, false },
        { "lifecycle: mark guest as governed", Who.UserAdministrator, true }, { "lifecycle: mark guest as governed", Who.CatalogOwner, false },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Operation_is_allowed_only_for_the_roles_that_may_use_it(string operation, Who who, bool allowed)
    {
        await using var portal = await TestPortal.CreateAsync();
        var world = await BuildWorldAsync(portal);
        var attempt = Operations[operation](world, world[who]);
        if (allowed)
        {
            await attempt;
        }
        else
        {
            var auditBefore = await portal.QueryAsync(db => db.AuditEvents.CountAsync());
            await Assert.ThrowsAsync<ForbiddenException>(() => attempt);
            Assert.Equal(auditBefore, await portal.QueryAsync(db => db.AuditEvents.CountAsync()));
        }
    }

    [Fact]
    public void Every_operation_has_an_allowed_and_a_refused_row()
    {
        var rows = Matrix.Select(r => ((string)r[0], (bool)r[2])).ToList();
        foreach (var operation in Operations.Keys)
        {
            Assert.Contains((operation, true), rows);
            Assert.Contains((operation, false), rows);
        }
    }

    [Fact]
    public async Task A_blocked_administrator_holds_no_role()
    {
        await using var portal = await TestPortal.CreateAsync();
        var guestAdminId = await portal.DirectoryAdmin.AddExistingGuestAsync(portal.Admin, "Guest admin", "ga@fabrikam.com", null);
        await portal.DirectoryAdmin.AssignDirectoryRoleAsync(portal.Admin, guestAdminId, DirectoryRole.GlobalAdministrator);
        await using (var db = portal.NewDb())
        {
            (await db.Users.SingleAsync(u => u.Id == guestAdminId)).BlockSignIn(portal.Now);
            await db.SaveChangesAsync();
        }
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.LifecycleSettings.GetAsync(new Actor(guestAdminId, "ga@fabrikam.com")));
    }

    [Fact]
    public async Task Catalog_owners_see_only_their_catalogs()
    {
        await using var portal = await TestPortal.CreateAsync();
        var world = await BuildWorldAsync(portal);
        Assert.Equal(["Partner projects"], (await portal.Catalogs.ListAsync(world[Who.CatalogOwner])).Select(c => c.DisplayName));
        Assert.Equal(["Other catalog", "Partner projects"], (await portal.Catalogs.ListAsync(world[Who.GlobalAdministrator])).Select(c => c.DisplayName));
        Assert.Empty(await portal.Catalogs.ListAsync(world[Who.Member]));
    }

    private static async Task<World> BuildWorldAsync(TestPortal portal)
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
            [Who.Anonymous] = Actor.ForEmail("nobody@unknown.example"),
        };
        foreach (var (who, role) in new[] { (Who.CatalogOwner, CatalogRole.CatalogOwner), (Who.CatalogReader, CatalogRole.CatalogReader),
                     (Who.AccessPackageManager, CatalogRole.AccessPackageManager), (Who.AssignmentManager, CatalogRole.AccessPackageAssignmentManager) })
        {
            var actor = await portal.MemberAsync(who.ToString(), $"{who.ToString().ToLowerInvariant()}@contoso.com");
            await portal.Catalogs.AddRoleHolderAsync(portal.Admin, s.CatalogId, actor.UserId!.Value, role);
            actors[who] = actor;
        }
        var otherCatalog = await portal.Catalogs.CreateAsync(portal.Admin, new CatalogInput("Other catalog", null));
        actors[Who.OwnerOfAnotherCatalog] = await portal.MemberAsync("Other owner", "otherowner@contoso.com");
        await portal.Catalogs.AddRoleHolderAsync(portal.Admin, otherCatalog, actors[Who.OwnerOfAnotherCatalog].UserId!.Value, CatalogRole.CatalogOwner);
        var assignment = await s.GrantAsync(Actor.ForEmail("target@fabrikam.com"));
        actors[Who.TargetGuest] = await s.AsDirectoryUserAsync("target@fabrikam.com");
        await s.GrantAsync(Actor.ForEmail("other@fabrikam.com"));
        actors[Who.OtherGuest] = await s.AsDirectoryUserAsync("other@fabrikam.com");
        var pending = await s.RequestAsync(Actor.ForEmail("pending@fabrikam.com"));
        var spare = await portal.Organizations.CreateAsync(portal.Admin, new ConnectedOrganizationInput("Wingtip Toys", null, ["wingtiptoys.com"]));
        return new World { Portal = portal, Scenario = s, Actors = actors, Assignment = assignment, PendingRequestId = pending, SpareOrganizationId = spare };
    }
}

using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Dashboard;
using EntitlementPortal.Features.DirectoryAdmin;
using EntitlementPortal.Features.Notifications;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.Graph;
using EntitlementPortal.Features.Requests;
using EntitlementPortal.Features.Settings;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Features;

/// <summary>Every service operation, allowed for the roles DESIGN.md names and refused for another: deny unless a rule allows.</summary>
public class AuthorizationTests : ServiceTests
{
    /// <summary>Each service operation that takes an actor, by "Service.Method", with a call that succeeds for an allowed actor.</summary>
    private static readonly Dictionary<string, Func<AuthorizationWorld, Actor, Task>> Operations = new()
    {
        ["LifecycleSettingsService.GetAsync"] = (w, a) => w.Portal.LifecycleSettings.GetAsync(a),
        ["LifecycleSettingsService.UpdateAsync"] = (w, a) => w.Portal.LifecycleSettings.UpdateAsync(a, new LifecycleSettings(true, true, 14)),
        ["CollaborationSettingsService.GetAsync"] = (w, a) => w.Portal.Collaboration.GetAsync(a),
        ["CollaborationSettingsService.UpdateAsync"] = (w, a) => w.Portal.Collaboration.UpdateAsync(a, new CollaborationSettings(CollaborationRestriction.DenySpecifiedDomains, "evil.example")),
        ["ConnectedOrganizationService.CreateAsync"] = (w, a) => w.Portal.Organizations.CreateAsync(a, new ConnectedOrganizationInput("Adventure Works", null, ["adventure-works.com"])),
        ["ConnectedOrganizationService.UpdateAsync"] = (w, a) => w.Portal.Organizations.UpdateAsync(a, w.SpareOrganizationId, new ConnectedOrganizationInput("Wingtip", null, ["wingtiptoys.com"])),
        ["ConnectedOrganizationService.DeleteAsync"] = (w, a) => w.Portal.Organizations.DeleteAsync(a, w.SpareOrganizationId),
        ["ConnectedOrganizationService.ConfigureAsync"] = (w, a) => w.Portal.Organizations.ConfigureAsync(a, w.ProposedOrganizationId),
        ["ConnectedOrganizationService.AddSponsorAsync"] = (w, a) => w.Portal.Organizations.AddSponsorAsync(a, w.SpareOrganizationId, w[Who.Member].UserId!.Value, SponsorKind.Internal),
        ["ConnectedOrganizationService.RemoveSponsorAsync"] = (w, a) => w.Portal.Organizations.RemoveSponsorAsync(a, w.Scenario.OrganizationId, w[Who.Approver].UserId!.Value, SponsorKind.Internal),
        ["CatalogService.CreateAsync"] = (w, a) => w.Portal.Catalogs.CreateAsync(a, new CatalogInput("New catalog", null)),
        ["CatalogService.UpdateAsync"] = (w, a) => w.Portal.Catalogs.UpdateAsync(a, w.Scenario.CatalogId, new CatalogInput("Partner projects", "edited", true, false)),
        ["CatalogService.DeleteAsync"] = async (w, a) => await w.Portal.Catalogs.DeleteAsync(a, await w.Portal.Catalogs.CreateAsync(w.Portal.Admin, new CatalogInput($"Empty {Guid.NewGuid():N}", null))),
        ["CatalogService.AddResourceAsync"] = async (w, a) => await w.Portal.Catalogs.AddResourceAsync(a, w.Scenario.CatalogId,
            await w.Portal.DirectoryAdmin.CreateResourceAsync(w.Portal.Admin, "Extra app", ResourceType.Application)),
        ["CatalogService.RemoveResourceAsync"] = (w, a) => w.Portal.Catalogs.RemoveResourceAsync(a, w.Scenario.CatalogId, w.SpareResourceId),
        ["CatalogService.AddRoleHolderAsync"] = (w, a) => w.Portal.Catalogs.AddRoleHolderAsync(a, w.Scenario.CatalogId, w[Who.Member].UserId!.Value, CatalogRole.CatalogReader),
        ["CatalogService.RemoveRoleHolderAsync"] = (w, a) => w.Portal.Catalogs.RemoveRoleHolderAsync(a, w.Scenario.CatalogId, w[Who.CatalogReader].UserId!.Value, CatalogRole.CatalogReader),
        ["AccessPackageService.CreateAsync"] = (w, a) => w.Portal.Packages.CreateAsync(a, new AccessPackageInput(w.Scenario.CatalogId, "Another package", null)),
        ["AccessPackageService.UpdateAsync"] = (w, a) => w.Portal.Packages.UpdateAsync(a, w.Scenario.PackageId, new AccessPackageInput(w.Scenario.CatalogId, "Falcon partners", "edited", true)),
        ["AccessPackageService.DeleteAsync"] = (w, a) => w.Portal.Packages.DeleteAsync(a, w.RetiredPackageId),
        ["AccessPackageService.AddResourceRoleAsync"] = async (w, a) => await w.Portal.Packages.AddResourceRoleAsync(a, w.Scenario.PackageId,
            await w.Portal.QueryAsync(db => db.ResourceRoles.Where(r => r.ResourceId == w.SpareResourceId).Select(r => r.Id).FirstAsync())),
        ["AccessPackageService.RemoveResourceRoleAsync"] = (w, a) => w.Portal.Packages.RemoveResourceRoleAsync(a, w.Scenario.PackageId, w.Scenario.MemberRoleId),
        ["AccessPackageService.AddIncompatibleAccessPackageAsync"] = (w, a) => w.Portal.Packages.AddIncompatibleAccessPackageAsync(a, w.Scenario.PackageId, w.SecondPackageId),
        ["AccessPackageService.RemoveIncompatibleAccessPackageAsync"] = async (w, a) =>
        {
            // The refused may share one world, where an earlier row has set this stage already.
            if (!await w.Portal.QueryAsync(db => db.IncompatibleAccessPackages.AnyAsync(i => i.AccessPackageId == w.SecondPackageId)))
            {
                await w.Portal.Packages.AddIncompatibleAccessPackageAsync(w.Portal.Admin, w.SecondPackageId, w.Scenario.PackageId);
            }
            await w.Portal.Packages.RemoveIncompatibleAccessPackageAsync(a, w.SecondPackageId, w.Scenario.PackageId);
        },
        ["PolicyService.CreateAsync"] = (w, a) => w.Portal.Policies.CreateAsync(a, w.Scenario.PackageId, Scenario.ExternalPolicy(w.Scenario.OrganizationId, w[Who.Approver].UserId!.Value) with { DisplayName = "Another" }),
        ["PolicyService.UpdateAsync"] = (w, a) => w.Portal.Policies.UpdateAsync(a, w.Scenario.PolicyId, Scenario.ExternalPolicy(w.Scenario.OrganizationId, w[Who.Approver].UserId!.Value)),
        ["PolicyService.DeleteAsync"] = (w, a) => w.Portal.Policies.DeleteAsync(a, w.UnusedPolicyId),
        ["RequestService.AssignDirectlyAsync"] = (w, a) => w.Portal.Requests.AssignDirectlyAsync(a, new DirectAssignmentInput(w.Scenario.PackageId, w.Scenario.PolicyId, Email: "new@fabrikam.com")),
        ["RequestService.RemoveAssignmentAsync"] = (w, a) => w.Portal.Requests.RemoveAssignmentAsync(a, w.Assignment.Id),
        ["RequestService.ReprocessAsync"] = (w, a) => w.Portal.Requests.ReprocessAsync(a, w.FailedRequestId),
        ["RequestService.CancelAsync"] = (w, a) => w.Portal.Requests.CancelAsync(a, w.PendingRequestId),
        ["RequestService.ExtendAsync"] = (w, a) => w.Portal.Requests.ExtendAsync(a, w.Assignment.Id),
        ["RequestService.RelinquishAsync"] = (w, a) => w.Portal.Requests.RelinquishAsync(a, w.Assignment.Id),
        ["ApprovalService.ApproveAsync"] = (w, a) => w.Portal.Approvals.ApproveAsync(a, w.PendingRequestId),
        ["ApprovalService.DenyAsync"] = (w, a) => w.Portal.Approvals.DenyAsync(a, w.PendingRequestId),
        ["DirectoryAdminService.CreateMemberAsync"] = (w, a) => w.Portal.DirectoryAdmin.CreateMemberAsync(a, "New person", "new.person@contoso.com"),
        ["DirectoryAdminService.AddExistingGuestAsync"] = (w, a) => w.Portal.DirectoryAdmin.AddExistingGuestAsync(a, "New guest", "new.guest@wingtiptoys.com", null),
        ["DirectoryAdminService.CreateResourceAsync"] = (w, a) => w.Portal.DirectoryAdmin.CreateResourceAsync(a, "New group", ResourceType.Group),
        ["DirectoryAdminService.AssignDirectoryRoleAsync"] = (w, a) => w.Portal.DirectoryAdmin.AssignDirectoryRoleAsync(a, w[Who.Member].UserId!.Value, DirectoryRole.CatalogCreator),
        ["DirectoryAdminService.AddToResourceRoleAsync"] = (w, a) => w.Portal.DirectoryAdmin.AddToResourceRoleAsync(a, w[Who.Member].UserId!.Value, w.Scenario.MemberRoleId),
        ["ExternalUserLifecycle.MarkGuestAsGovernedAsync"] = (w, a) => w.Portal.Lifecycle.MarkGuestAsGovernedAsync(a, w.OldGuestId),
        ["ConnectedOrganizationService.GetAsync"] = (w, a) => w.Portal.Organizations.GetAsync(a, w.Scenario.OrganizationId),
        ["EntitlementQueryService.ConnectedOrganizationsAsync"] = (w, a) => w.Portal.Get<EntitlementQueryService>().ConnectedOrganizationsAsync(a, null, null, null, new Window(0, 10)),
        ["EntitlementQueryService.SponsorsAsync"] = (w, a) => w.Portal.Get<EntitlementQueryService>().SponsorsAsync(a, w.Scenario.OrganizationId, SponsorKind.Internal),
        ["ConnectedOrganizationService.SearchAsync"] = (w, a) => w.Portal.Organizations.SearchAsync(a, "Fab", null, new PageRequest()),
        ["ConnectedOrganizationService.ExportCsvAsync"] = (w, a) => w.Portal.Organizations.ExportCsvAsync(a, null, null),
        ["ConnectedOrganizationService.SponsorCandidatesAsync"] = (w, a) => w.Portal.Organizations.SponsorCandidatesAsync(a, ["fabrikam.com"]),
        ["CatalogService.GetDetailsAsync"] = (w, a) => w.Portal.Catalogs.GetDetailsAsync(a, w.Scenario.CatalogId),
        ["CatalogService.CandidatesAsync"] = (w, a) => w.Portal.Catalogs.CandidatesAsync(a, w.Scenario.CatalogId),
        ["AuditQueryService.SearchAsync"] = (w, a) => w.Portal.Get<AuditQueryService>().SearchAsync(a, new AuditFilter(), new PageRequest()),
        ["AuditQueryService.ActivitiesAsync"] = (w, a) => w.Portal.Get<AuditQueryService>().ActivitiesAsync(a),
        ["AuditQueryService.ExportCsvAsync"] = (w, a) => w.Portal.Get<AuditQueryService>().ExportCsvAsync(a, new AuditFilter()),
        ["UserQueryService.SearchAsync"] = (w, a) => w.Portal.Get<UserQueryService>().SearchAsync(a, new UserFilter(), new PageRequest()),
        ["OutboxQueryService.SearchAsync"] = (w, a) => w.Portal.Get<OutboxQueryService>().SearchAsync(a, null, false, new PageRequest()),
        ["DashboardService.GetAsync"] = (w, a) => w.Portal.Get<DashboardService>().GetAsync(a),
        ["AccessPackageQueryService.GetDetailsAsync"] = (w, a) => w.Portal.Get<AccessPackageQueryService>().GetDetailsAsync(a, w.Scenario.PackageId),
        ["AccessPackageQueryService.AssignmentsAsync"] = (w, a) => w.Portal.Get<AccessPackageQueryService>().AssignmentsAsync(a, w.Scenario.PackageId, null, new PageRequest()),
        ["AccessPackageQueryService.ExportAssignmentsCsvAsync"] = (w, a) => w.Portal.Get<AccessPackageQueryService>().ExportAssignmentsCsvAsync(a, w.Scenario.PackageId, null),
        ["AccessPackageQueryService.GetPolicyAsync"] = (w, a) => w.Portal.Get<AccessPackageQueryService>().GetPolicyAsync(a, w.Scenario.PolicyId),
        ["AccessPackageQueryService.NewPackageChoicesAsync"] = (w, a) => w.Portal.Get<AccessPackageQueryService>().NewPackageChoicesAsync(a),
        ["AccessPackageService.CreateWithPolicyAsync"] = (w, a) => w.Portal.Packages.CreateWithPolicyAsync(a, new AccessPackageInput(w.Scenario.CatalogId, "Wizard package", null),
            [w.Scenario.MemberRoleId], Scenario.ExternalPolicy(w.Scenario.OrganizationId, w[Who.Approver].UserId!.Value)),
        ["AccessPackageQueryService.RequestsAsync"] = (w, a) => w.Portal.Get<AccessPackageQueryService>().RequestsAsync(a, w.Scenario.PackageId, new PageRequest()),
    };

    /// <summary>Operations that decide differently on purpose, each proved by its own tests.</summary>
    private static readonly Dictionary<string, string> DecidedElsewhere = new()
    {
        ["CatalogService.SearchAsync"] = "filters to the catalogs the actor holds a role in (Catalog_search_shows_only_the_catalogs_the_actor_holds_a_role_in)",
        ["RequestService.SubmitAsync"] = "open to anyone in scope of a policy; refusals are eligibility reasons (ConnectedOrganizationTests, CatalogTests)",
        ["PortalAccessService.GetAsync"] = "tells the actors what they themselves may do (PortalAccessTests)",
        ["PortalAccessService.MaySignInAsync"] = "tells whether the actor's own session may go on (SecurityTests)",
        ["MyAccessService.GetPackageForRequestAsync"] = "answers with the actor's own eligibility reason (MyAccessTests)",
        ["MyAccessService.RequestableAsync"] = "lists only what the actor may request (MyAccessTests)",
        ["MyAccessService.MyRequestsAsync"] = "lists only the actor's own requests (MyAccessTests)",
        ["MyAccessService.PendingApprovalsAsync"] = "lists only requests the actor approves, never their own (MyAccessTests)",
        ["MyAccessService.ApprovalHistoryAsync"] = "lists only decisions on requests the actor could decide (MyAccessTests)",
        ["MyAccessService.MyAssignmentsAsync"] = "lists only the actor's own assignments (MyAccessTests)",
        ["EntitlementQueryService.CatalogsAsync"] = GraphListReason,
        ["EntitlementQueryService.AccessPackagesAsync"] = GraphListReason,
        ["EntitlementQueryService.RoleScopesAsync"] = GraphListReason,
        ["EntitlementQueryService.PoliciesAsync"] = GraphListReason,
        ["EntitlementQueryService.AssignmentsAsync"] = GraphListReason,
        ["EntitlementQueryService.RequestsAsync"] = GraphListReason,
    };

    private const string GraphListReason = "lists only what is in catalogs the actor may read (Graph_lists_show_only_what_is_in_catalogs_the_caller_may_read)";

    /// <summary>The people allowed each operation; everyone else of <see cref="Who"/> is refused.</summary>
    private static readonly Dictionary<string, Who[]> Allowed = new()
    {
        ["LifecycleSettingsService.GetAsync"] = Allow.TenantAdministrators,
        ["LifecycleSettingsService.UpdateAsync"] = Allow.TenantAdministrators,
        ["CollaborationSettingsService.GetAsync"] = Allow.DirectoryManagers,
        ["CollaborationSettingsService.UpdateAsync"] = Allow.DirectoryManagers,
        ["ConnectedOrganizationService.CreateAsync"] = Allow.OrganizationManagers,
        ["ConnectedOrganizationService.UpdateAsync"] = Allow.OrganizationManagers,
        ["ConnectedOrganizationService.DeleteAsync"] = Allow.OrganizationManagers,
        ["ConnectedOrganizationService.ConfigureAsync"] = Allow.OrganizationManagers,
        ["ConnectedOrganizationService.AddSponsorAsync"] = Allow.OrganizationManagers,
        ["ConnectedOrganizationService.RemoveSponsorAsync"] = Allow.OrganizationManagers,
        ["ConnectedOrganizationService.SponsorCandidatesAsync"] = Allow.OrganizationManagers,
        ["ConnectedOrganizationService.GetAsync"] = Allow.OrganizationReaders,
        ["ConnectedOrganizationService.SearchAsync"] = Allow.OrganizationReaders,
        ["EntitlementQueryService.ConnectedOrganizationsAsync"] = Allow.OrganizationReaders,
        ["EntitlementQueryService.SponsorsAsync"] = Allow.OrganizationReaders,
        ["ConnectedOrganizationService.ExportCsvAsync"] = Allow.OrganizationReaders,
        ["CatalogService.CreateAsync"] = Allow.CatalogCreators,
        // DESIGN.md: "Enabled for external users" is set by a Global administrator, User administrator or Catalog owner.
        ["CatalogService.UpdateAsync"] = [.. Allow.CatalogManagers, Who.UserAdministrator],
        ["CatalogService.DeleteAsync"] = Allow.GovernanceAdministrators,
        ["CatalogService.AddResourceAsync"] = Allow.CatalogManagers,
        ["CatalogService.RemoveResourceAsync"] = Allow.CatalogManagers,
        ["CatalogService.AddRoleHolderAsync"] = Allow.CatalogManagers,
        ["CatalogService.RemoveRoleHolderAsync"] = Allow.CatalogManagers,
        ["CatalogService.CandidatesAsync"] = Allow.CatalogManagers,
        ["CatalogService.GetDetailsAsync"] = Allow.CatalogReadersOrUserAdministrator,
        ["AccessPackageService.CreateAsync"] = Allow.PackageManagers,
        ["AccessPackageService.CreateWithPolicyAsync"] = Allow.PackageManagers,
        ["AccessPackageService.UpdateAsync"] = Allow.PackageManagers,
        ["AccessPackageService.DeleteAsync"] = Allow.PackageManagers,
        ["AccessPackageService.AddResourceRoleAsync"] = Allow.PackageManagers,
        ["AccessPackageService.RemoveResourceRoleAsync"] = Allow.PackageManagers,
        ["AccessPackageService.AddIncompatibleAccessPackageAsync"] = Allow.PackageManagers,
        ["AccessPackageService.RemoveIncompatibleAccessPackageAsync"] = Allow.PackageManagers,
        ["PolicyService.CreateAsync"] = Allow.PackageManagers,
        ["PolicyService.UpdateAsync"] = Allow.PackageManagers,
        ["PolicyService.DeleteAsync"] = Allow.PackageManagers,
        ["AccessPackageQueryService.GetPolicyAsync"] = Allow.PackageManagers,
        // The wizard's choices: anyone who manages packages in some catalog, each seeing only their catalogs.
        ["AccessPackageQueryService.NewPackageChoicesAsync"] = Allow.PackageManagersAnywhere,
        ["AccessPackageQueryService.GetDetailsAsync"] = Allow.CatalogReaders,
        ["AccessPackageQueryService.AssignmentsAsync"] = Allow.CatalogReaders,
        ["AccessPackageQueryService.ExportAssignmentsCsvAsync"] = Allow.CatalogReaders,
        ["AccessPackageQueryService.RequestsAsync"] = Allow.CatalogReaders,
        ["RequestService.AssignDirectlyAsync"] = Allow.AssignmentManagers,
        ["RequestService.RemoveAssignmentAsync"] = Allow.AssignmentManagers,
        ["RequestService.ReprocessAsync"] = Allow.AssignmentManagers,
        // The requestor may cancel too; the pending request here is from someone not in the cast.
        ["RequestService.CancelAsync"] = Allow.AssignmentManagers,
        ["RequestService.ExtendAsync"] = [Who.TargetGuest],
        ["RequestService.RelinquishAsync"] = [Who.TargetGuest],
        // Only the approver the request was routed to; administrators and catalog owners do not approve.
        ["ApprovalService.ApproveAsync"] = [Who.Approver],
        ["ApprovalService.DenyAsync"] = [Who.Approver],
        ["DirectoryAdminService.CreateMemberAsync"] = Allow.DirectoryManagers,
        ["DirectoryAdminService.AddExistingGuestAsync"] = Allow.DirectoryManagers,
        ["DirectoryAdminService.CreateResourceAsync"] = Allow.DirectoryManagers,
        ["DirectoryAdminService.AddToResourceRoleAsync"] = Allow.DirectoryManagers,
        ["DirectoryAdminService.AssignDirectoryRoleAsync"] = [Who.GlobalAdministrator],
        ["ExternalUserLifecycle.MarkGuestAsGovernedAsync"] = Allow.TenantAdministrators,
        ["AuditQueryService.SearchAsync"] = Allow.TenantAdministrators,
        ["AuditQueryService.ActivitiesAsync"] = Allow.TenantAdministrators,
        ["AuditQueryService.ExportCsvAsync"] = Allow.TenantAdministrators,
        ["UserQueryService.SearchAsync"] = Allow.TenantAdministrators,
        ["OutboxQueryService.SearchAsync"] = Allow.TenantAdministrators,
        ["DashboardService.GetAsync"] = Allow.TenantAdministrators,
    };

    public static TheoryData<string> OperationNames => [.. Operations.Keys];

    /// <summary>
    /// Every operation against every person of the cast, each allowed person on a fresh copy of the same world. On PostgreSQL,
    /// where a copy costs half a second, the people to be refused share one copy: a refusal changes nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(OperationNames))]
    public async Task Operation_is_allowed_exactly_for_the_roles_that_may_use_it_and_refused_to_everyone_else(string operation)
    {
        var wrong = new List<string>();
        var sharedByTheRefused = OnPostgreSql ? await CopyWorldAsync() : null;
        await using var sharedPortal = sharedByTheRefused?.Portal;
        foreach (var who in Enum.GetValues<Who>())
        {
            var allowed = Allowed[operation].Contains(who);
            var world = allowed || sharedByTheRefused is null ? await CopyWorldAsync() : sharedByTheRefused;
            await using var portal = world == sharedByTheRefused ? null : world.Portal;
            // Some operations set the stage as the administrator first; a refusal writes nothing in the refused person's name.
            var actedAs = world[who].Name;
            var auditBefore = await world.Portal.QueryAsync(db => db.AuditEvents.CountAsync(e => e.ActorName == actedAs));
            var outcome = await Outcome.Of(Operations[operation](world, world[who]));
            if (allowed && outcome is not null)
            {
                wrong.Add($"{who} should be allowed but got {outcome.GetType().Name}: {outcome.Message}");
            }
            else if (!allowed && outcome is not ForbiddenException)
            {
                wrong.Add($"{who} should be refused but got {outcome?.GetType().Name ?? "success"}");
            }
            else if (!allowed && await world.Portal.QueryAsync(db => db.AuditEvents.CountAsync(e => e.ActorName == actedAs)) != auditBefore)
            {
                wrong.Add($"{who} was refused but an audit event was written in their name");
            }
        }
        Assert.True(wrong.Count == 0, $"{operation}:\n{string.Join("\n", wrong)}");
    }

    [Fact]
    public void Every_service_operation_that_takes_an_actor_has_a_rule_that_allows_someone_and_refuses_someone()
    {
        var serviceOperations = typeof(PortalServices).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("EntitlementPortal.Features", StringComparison.Ordinal) == true && t.IsClass && t.IsPublic && t != typeof(PortalStore))
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
                .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) && m.GetParameters().Any(p => p.ParameterType == typeof(Actor)))
                .Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet();
        foreach (var operation in serviceOperations.Except(DecidedElsewhere.Keys))
        {
            Assert.True(Operations.ContainsKey(operation) && Allowed.ContainsKey(operation),
                $"{operation} has no authorization rule in this matrix: deny by default means every operation is listed.");
            Assert.NotEmpty(Allowed[operation]);
            Assert.NotEqual(Enum.GetValues<Who>().Length, Allowed[operation].Distinct().Count());
        }
        Assert.Subset(serviceOperations, Operations.Keys.ToHashSet());
        Assert.Equal(Operations.Keys.Order(), Allowed.Keys.Order());
    }

    [Fact]
    public async Task A_blocked_administrator_holds_no_role()
    {
        await using var portal = await CreatePortalAsync();
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
    public async Task A_person_acts_with_every_directory_role_and_every_catalog_role_they_hold_at_once()
    {
        await using var portal = await CreatePortalAsync();
        var first = await portal.Catalogs.CreateAsync(portal.Admin, new CatalogInput("First", null));
        var second = await portal.Catalogs.CreateAsync(portal.Admin, new CatalogInput("Second", null));
        var person = DirectoryUser.CreateMember("Robin Roles", "robin@contoso.com", portal.Now);
        await using (var db = portal.NewDb())
        {
            db.Users.Add(person);
            db.DirectoryRoleAssignments.AddRange(new DirectoryRoleAssignment(person.Id, DirectoryRole.UserAdministrator), new DirectoryRoleAssignment(person.Id, DirectoryRole.CatalogCreator));
            db.CatalogRoleAssignments.AddRange(new CatalogRoleAssignment(first, person.Id, CatalogRole.CatalogOwner),
                new CatalogRoleAssignment(first, person.Id, CatalogRole.CatalogReader), new CatalogRoleAssignment(second, person.Id, CatalogRole.AccessPackageManager));
            await db.SaveChangesAsync();
        }
        await using var read = portal.NewDb();
        var actor = await ActorContext.LoadAsync(read, Actor.For(person), CancellationToken.None);

        Assert.True(actor.HasAny(DirectoryRole.UserAdministrator) && actor.HasAny(DirectoryRole.CatalogCreator));
        Assert.False(actor.HasAny(DirectoryRole.GlobalAdministrator, DirectoryRole.IdentityGovernanceAdministrator));
        Assert.True(actor.HasCatalogRole(first, CatalogRole.CatalogOwner) && actor.HasCatalogRole(first, CatalogRole.CatalogReader));
        Assert.True(actor.HasCatalogRole(second, CatalogRole.AccessPackageManager));
        Assert.False(actor.HasCatalogRole(second, CatalogRole.CatalogOwner, CatalogRole.CatalogReader));
        Assert.Equal(new[] { first, second }.Order(), actor.CatalogsWithAnyRole.Order());
        Assert.Equal(person.Id, actor.UserId);
    }

    [Fact]
    public async Task A_blocked_guest_can_no_longer_extend_give_up_or_cancel_their_own_access()
    {
        var world = await CopyWorldAsync();
        await using var portal = world.Portal;
        var blocked = world[Who.BlockedGuest];
        var ownRequest = await portal.QueryAsync(db => db.AssignmentRequests.Where(r => r.TargetUserId == blocked.UserId && r.State == RequestState.PendingApproval).Select(r => r.Id).FirstAsync());
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Requests.ExtendAsync(blocked, world.BlockedGuestAssignment.Id));
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Requests.RelinquishAsync(blocked, world.BlockedGuestAssignment.Id));
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Requests.CancelAsync(blocked, ownRequest));
    }

    [Fact]
    public async Task Catalog_search_shows_only_the_catalogs_the_actor_holds_a_role_in()
    {
        var world = await CopyWorldAsync();
        await using var portal = world.Portal;
        Assert.Equal(["Partner projects"], (await portal.Catalogs.SearchAsync(world[Who.CatalogReader], null, false, new PageRequest())).Items.Select(c => c.DisplayName));
        Assert.Equal(["Partner projects"], (await portal.Catalogs.SearchAsync(world[Who.CatalogOwner], null, false, new PageRequest())).Items.Select(c => c.DisplayName));
        Assert.Equal(["Other catalog", "Partner projects"], (await portal.Catalogs.SearchAsync(world[Who.GlobalAdministrator], null, false, new PageRequest())).Items.Select(c => c.DisplayName));
        Assert.Equal(2, (await portal.Catalogs.SearchAsync(world[Who.UserAdministrator], null, false, new PageRequest())).TotalItems);
        Assert.Empty((await portal.Catalogs.SearchAsync(world[Who.OtherGuest], null, false, new PageRequest())).Items);
    }

    [Fact]
    public async Task Graph_lists_show_only_what_is_in_catalogs_the_caller_may_read()
    {
        var world = await CopyWorldAsync();
        await using var portal = world.Portal;
        var query = portal.Get<EntitlementQueryService>();
        var all = new Window(0, 1000);
        async Task<(int Catalogs, int Packages, int Policies, int Assignments, int Requests, int Scopes)> SeenByAsync(Who who)
        {
            var packages = await query.AccessPackagesAsync(world[who], null, null, null, all);
            return ((await query.CatalogsAsync(world[who], null, null, null, all)).Count, packages.Count,
                (await query.PoliciesAsync(world[who], null, null, null, all)).Count,
                (await query.AssignmentsAsync(world[who], null, null, null, null, all)).Count,
                (await query.RequestsAsync(world[who], null, null, null, null, all)).Count,
                (await query.RoleScopesAsync(world[who], [world.Scenario.PackageId])).Count);
        }
        var everything = await SeenByAsync(Who.GlobalAdministrator);
        Assert.Equal(everything, await SeenByAsync(Who.IdentityGovernanceAdministrator));
        var thisCatalog = await SeenByAsync(Who.CatalogReader);
        Assert.Equal(thisCatalog, await SeenByAsync(Who.AssignmentManager));
        Assert.Equal(1, thisCatalog.Catalogs);
        Assert.True(thisCatalog.Packages > 0 && thisCatalog.Assignments > 0 && thisCatalog.Requests > 0 && thisCatalog.Scopes > 0);
        Assert.True(everything.Catalogs > thisCatalog.Catalogs);
        var elsewhere = await SeenByAsync(Who.OwnerOfAnotherCatalog);
        Assert.Equal(1, elsewhere.Catalogs);
        Assert.Equal((0, 0, 0), (elsewhere.Assignments, elsewhere.Requests, elsewhere.Scopes));
        Assert.DoesNotContain(await query.AccessPackagesAsync(world[Who.OwnerOfAnotherCatalog], null, null, null, all), p => p.CatalogId == world.Scenario.CatalogId);
        foreach (var nobody in new[] { Who.Member, Who.TargetGuest, Who.ExternalUserOfAllowedOrganization, Who.BlockedGuest, Who.Anonymous })
        {
            Assert.Equal((0, 0, 0, 0, 0, 0), await SeenByAsync(nobody));
        }
    }
}

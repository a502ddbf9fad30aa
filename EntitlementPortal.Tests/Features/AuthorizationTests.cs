using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Dashboard;
using EntitlementPortal.Features.DirectoryAdmin;
using EntitlementPortal.Features.Notifications;
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
        ["CatalogService.DeleteAsync"] = async (w, a) => await w.Portal.Catalogs.DeleteAsync(a, await w.Portal.Catalogs.CreateAsync(w.Portal.Admin, new CatalogInput("Empty", null))),
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
            await w.Portal.Packages.AddIncompatibleAccessPackageAsync(w.Portal.Admin, w.SecondPackageId, w.Scenario.PackageId);
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
    };

    public static TheoryData<string, Who, bool> Matrix => new()
    {
        { "LifecycleSettingsService.GetAsync", Who.IdentityGovernanceAdministrator, true }, { "LifecycleSettingsService.GetAsync", Who.CatalogOwner, false },
        { "LifecycleSettingsService.UpdateAsync", Who.GlobalAdministrator, true }, { "LifecycleSettingsService.UpdateAsync", Who.UserAdministrator, true },
        { "LifecycleSettingsService.UpdateAsync", Who.IdentityGovernanceAdministrator, true }, { "LifecycleSettingsService.UpdateAsync", Who.CatalogOwner, false },
        { "LifecycleSettingsService.UpdateAsync", Who.Member, false }, { "LifecycleSettingsService.UpdateAsync", Who.TargetGuest, false }, { "LifecycleSettingsService.UpdateAsync", Who.Anonymous, false },
        { "CollaborationSettingsService.GetAsync", Who.UserAdministrator, true }, { "CollaborationSettingsService.GetAsync", Who.Member, false },
        { "CollaborationSettingsService.UpdateAsync", Who.GlobalAdministrator, true }, { "CollaborationSettingsService.UpdateAsync", Who.UserAdministrator, true },
        { "CollaborationSettingsService.UpdateAsync", Who.CatalogOwner, false }, { "CollaborationSettingsService.UpdateAsync", Who.ConnectedOrganizationAdministrator, false },
        { "ConnectedOrganizationService.CreateAsync", Who.ConnectedOrganizationAdministrator, true }, { "ConnectedOrganizationService.CreateAsync", Who.IdentityGovernanceAdministrator, true },
        { "ConnectedOrganizationService.CreateAsync", Who.CatalogOwner, false }, { "ConnectedOrganizationService.CreateAsync", Who.UserAdministrator, false },
        { "ConnectedOrganizationService.UpdateAsync", Who.GlobalAdministrator, true }, { "ConnectedOrganizationService.UpdateAsync", Who.Member, false },
        { "ConnectedOrganizationService.DeleteAsync", Who.ConnectedOrganizationAdministrator, true }, { "ConnectedOrganizationService.DeleteAsync", Who.AccessPackageManager, false },
        { "ConnectedOrganizationService.ConfigureAsync", Who.IdentityGovernanceAdministrator, true }, { "ConnectedOrganizationService.ConfigureAsync", Who.CatalogOwner, false },
        { "ConnectedOrganizationService.AddSponsorAsync", Who.ConnectedOrganizationAdministrator, true }, { "ConnectedOrganizationService.AddSponsorAsync", Who.CatalogOwner, false },
        { "ConnectedOrganizationService.RemoveSponsorAsync", Who.GlobalAdministrator, true }, { "ConnectedOrganizationService.RemoveSponsorAsync", Who.Approver, false },
        { "CatalogService.CreateAsync", Who.CatalogCreator, true }, { "CatalogService.CreateAsync", Who.IdentityGovernanceAdministrator, true },
        { "CatalogService.CreateAsync", Who.UserAdministrator, false }, { "CatalogService.CreateAsync", Who.CatalogOwner, false },
        { "CatalogService.UpdateAsync", Who.CatalogOwner, true }, { "CatalogService.UpdateAsync", Who.UserAdministrator, true }, { "CatalogService.UpdateAsync", Who.GlobalAdministrator, true },
        { "CatalogService.UpdateAsync", Who.CatalogReader, false }, { "CatalogService.UpdateAsync", Who.AccessPackageManager, false }, { "CatalogService.UpdateAsync", Who.OwnerOfAnotherCatalog, false },
        { "CatalogService.DeleteAsync", Who.GlobalAdministrator, true }, { "CatalogService.DeleteAsync", Who.OwnerOfAnotherCatalog, false },
        { "CatalogService.AddResourceAsync", Who.CatalogOwner, true }, { "CatalogService.AddResourceAsync", Who.AssignmentManager, false }, { "CatalogService.AddResourceAsync", Who.OwnerOfAnotherCatalog, false },
        { "CatalogService.RemoveResourceAsync", Who.CatalogOwner, true }, { "CatalogService.RemoveResourceAsync", Who.AccessPackageManager, false },
        { "CatalogService.AddRoleHolderAsync", Who.CatalogOwner, true }, { "CatalogService.AddRoleHolderAsync", Who.AccessPackageManager, false },
        { "CatalogService.RemoveRoleHolderAsync", Who.IdentityGovernanceAdministrator, true }, { "CatalogService.RemoveRoleHolderAsync", Who.CatalogReader, false },
        { "AccessPackageService.CreateAsync", Who.AccessPackageManager, true }, { "AccessPackageService.CreateAsync", Who.CatalogOwner, true },
        { "AccessPackageService.CreateAsync", Who.AssignmentManager, false }, { "AccessPackageService.CreateAsync", Who.CatalogReader, false }, { "AccessPackageService.CreateAsync", Who.OwnerOfAnotherCatalog, false },
        { "AccessPackageService.UpdateAsync", Who.AccessPackageManager, true }, { "AccessPackageService.UpdateAsync", Who.CatalogCreator, false },
        { "AccessPackageService.DeleteAsync", Who.CatalogOwner, true }, { "AccessPackageService.DeleteAsync", Who.AssignmentManager, false },
        { "AccessPackageService.AddResourceRoleAsync", Who.AccessPackageManager, true }, { "AccessPackageService.AddResourceRoleAsync", Who.CatalogReader, false },
        { "AccessPackageService.RemoveResourceRoleAsync", Who.CatalogOwner, true }, { "AccessPackageService.RemoveResourceRoleAsync", Who.AssignmentManager, false },
        { "AccessPackageService.AddIncompatibleAccessPackageAsync", Who.AccessPackageManager, true }, { "AccessPackageService.AddIncompatibleAccessPackageAsync", Who.Member, false },
        { "AccessPackageService.RemoveIncompatibleAccessPackageAsync", Who.CatalogOwner, true }, { "AccessPackageService.RemoveIncompatibleAccessPackageAsync", Who.OwnerOfAnotherCatalog, false },
        { "PolicyService.CreateAsync", Who.AccessPackageManager, true }, { "PolicyService.CreateAsync", Who.AssignmentManager, false }, { "PolicyService.CreateAsync", Who.UserAdministrator, false },
        { "PolicyService.UpdateAsync", Who.CatalogOwner, true }, { "PolicyService.UpdateAsync", Who.CatalogReader, false },
        { "PolicyService.DeleteAsync", Who.AccessPackageManager, true }, { "PolicyService.DeleteAsync", Who.Approver, false },
        { "RequestService.AssignDirectlyAsync", Who.AssignmentManager, true }, { "RequestService.AssignDirectlyAsync", Who.AccessPackageManager, true },
        { "RequestService.AssignDirectlyAsync", Who.CatalogReader, false }, { "RequestService.AssignDirectlyAsync", Who.OwnerOfAnotherCatalog, false }, { "RequestService.AssignDirectlyAsync", Who.Approver, false },
        { "RequestService.RemoveAssignmentAsync", Who.AssignmentManager, true }, { "RequestService.RemoveAssignmentAsync", Who.CatalogReader, false }, { "RequestService.RemoveAssignmentAsync", Who.OtherGuest, false },
        { "RequestService.ReprocessAsync", Who.AssignmentManager, true }, { "RequestService.ReprocessAsync", Who.TargetGuest, false },
        { "RequestService.CancelAsync", Who.AssignmentManager, true }, { "RequestService.CancelAsync", Who.OtherGuest, false }, { "RequestService.CancelAsync", Who.Approver, false },
        { "RequestService.ExtendAsync", Who.TargetGuest, true }, { "RequestService.ExtendAsync", Who.OtherGuest, false }, { "RequestService.ExtendAsync", Who.AssignmentManager, false },
        { "RequestService.RelinquishAsync", Who.TargetGuest, true }, { "RequestService.RelinquishAsync", Who.OtherGuest, false }, { "RequestService.RelinquishAsync", Who.GlobalAdministrator, false },
        { "ApprovalService.ApproveAsync", Who.Approver, true }, { "ApprovalService.ApproveAsync", Who.GlobalAdministrator, false },
        { "ApprovalService.ApproveAsync", Who.CatalogOwner, false }, { "ApprovalService.ApproveAsync", Who.Anonymous, false },
        { "ApprovalService.DenyAsync", Who.Approver, true }, { "ApprovalService.DenyAsync", Who.Member, false },
        { "DirectoryAdminService.CreateMemberAsync", Who.UserAdministrator, true }, { "DirectoryAdminService.CreateMemberAsync", Who.IdentityGovernanceAdministrator, false }, { "DirectoryAdminService.CreateMemberAsync", Who.Member, false },
        { "DirectoryAdminService.AddExistingGuestAsync", Who.GlobalAdministrator, true }, { "DirectoryAdminService.AddExistingGuestAsync", Who.CatalogOwner, false },
        { "DirectoryAdminService.CreateResourceAsync", Who.GlobalAdministrator, true }, { "DirectoryAdminService.CreateResourceAsync", Who.CatalogOwner, false },
        { "DirectoryAdminService.AssignDirectoryRoleAsync", Who.GlobalAdministrator, true }, { "DirectoryAdminService.AssignDirectoryRoleAsync", Who.UserAdministrator, false },
        { "DirectoryAdminService.AddToResourceRoleAsync", Who.UserAdministrator, true }, { "DirectoryAdminService.AddToResourceRoleAsync", Who.AccessPackageManager, false },
        { "ExternalUserLifecycle.MarkGuestAsGovernedAsync", Who.UserAdministrator, true }, { "ExternalUserLifecycle.MarkGuestAsGovernedAsync", Who.CatalogOwner, false },
        { "ConnectedOrganizationService.GetAsync", Who.CatalogReader, true }, { "ConnectedOrganizationService.GetAsync", Who.OtherGuest, false },
        { "ConnectedOrganizationService.SearchAsync", Who.ConnectedOrganizationAdministrator, true }, { "ConnectedOrganizationService.SearchAsync", Who.Member, false },
        { "ConnectedOrganizationService.ExportCsvAsync", Who.GlobalAdministrator, true }, { "ConnectedOrganizationService.ExportCsvAsync", Who.Anonymous, false },
        { "ConnectedOrganizationService.SponsorCandidatesAsync", Who.ConnectedOrganizationAdministrator, true }, { "ConnectedOrganizationService.SponsorCandidatesAsync", Who.CatalogOwner, false },
        { "CatalogService.GetDetailsAsync", Who.CatalogReader, true }, { "CatalogService.GetDetailsAsync", Who.UserAdministrator, true },
        { "CatalogService.GetDetailsAsync", Who.OwnerOfAnotherCatalog, false }, { "CatalogService.GetDetailsAsync", Who.Member, false },
        { "CatalogService.CandidatesAsync", Who.CatalogOwner, true }, { "CatalogService.CandidatesAsync", Who.CatalogReader, false },
        { "AuditQueryService.SearchAsync", Who.IdentityGovernanceAdministrator, true }, { "AuditQueryService.SearchAsync", Who.CatalogOwner, false },
        { "AuditQueryService.ActivitiesAsync", Who.UserAdministrator, true }, { "AuditQueryService.ActivitiesAsync", Who.Member, false },
        { "AuditQueryService.ExportCsvAsync", Who.GlobalAdministrator, true }, { "AuditQueryService.ExportCsvAsync", Who.Approver, false },
        { "UserQueryService.SearchAsync", Who.UserAdministrator, true }, { "UserQueryService.SearchAsync", Who.CatalogCreator, false },
        { "OutboxQueryService.SearchAsync", Who.GlobalAdministrator, true }, { "OutboxQueryService.SearchAsync", Who.TargetGuest, false },
        { "DashboardService.GetAsync", Who.IdentityGovernanceAdministrator, true }, { "DashboardService.GetAsync", Who.Member, false },
        { "AccessPackageQueryService.GetDetailsAsync", Who.CatalogReader, true }, { "AccessPackageQueryService.GetDetailsAsync", Who.OwnerOfAnotherCatalog, false },
        { "AccessPackageQueryService.GetDetailsAsync", Who.TargetGuest, false },
        { "AccessPackageQueryService.AssignmentsAsync", Who.AssignmentManager, true }, { "AccessPackageQueryService.AssignmentsAsync", Who.Approver, false },
        { "AccessPackageQueryService.ExportAssignmentsCsvAsync", Who.AccessPackageManager, true }, { "AccessPackageQueryService.ExportAssignmentsCsvAsync", Who.UserAdministrator, false },
        { "AccessPackageQueryService.GetPolicyAsync", Who.AccessPackageManager, true }, { "AccessPackageQueryService.GetPolicyAsync", Who.CatalogReader, false },
        { "AccessPackageQueryService.NewPackageChoicesAsync", Who.AccessPackageManager, true }, { "AccessPackageQueryService.NewPackageChoicesAsync", Who.AssignmentManager, false },
        { "AccessPackageService.CreateWithPolicyAsync", Who.CatalogOwner, true }, { "AccessPackageService.CreateWithPolicyAsync", Who.CatalogReader, false },
        { "AccessPackageQueryService.RequestsAsync", Who.IdentityGovernanceAdministrator, true }, { "AccessPackageQueryService.RequestsAsync", Who.Member, false },
        { "CatalogService.UpdateAsync", Who.ReaderOfAnotherCatalog, false }, { "CatalogService.GetDetailsAsync", Who.ReaderOfAnotherCatalog, false },
        { "CatalogService.GetDetailsAsync", Who.AssignmentManagerOfAnotherCatalog, false }, { "CatalogService.GetDetailsAsync", Who.BlockedGuest, false },
        { "AccessPackageService.UpdateAsync", Who.PackageManagerOfAnotherCatalog, false }, { "PolicyService.CreateAsync", Who.PackageManagerOfAnotherCatalog, false },
        { "RequestService.AssignDirectlyAsync", Who.AssignmentManagerOfAnotherCatalog, false }, { "RequestService.AssignDirectlyAsync", Who.ExternalUserOfAllowedOrganization, false },
        { "RequestService.RemoveAssignmentAsync", Who.AssignmentManagerOfAnotherCatalog, false }, { "RequestService.RemoveAssignmentAsync", Who.BlockedGuest, false },
        { "RequestService.ReprocessAsync", Who.AssignmentManagerOfAnotherCatalog, false }, { "RequestService.CancelAsync", Who.ApproverOfAnotherRequest, false },
        { "RequestService.ExtendAsync", Who.BlockedGuest, false }, { "RequestService.RelinquishAsync", Who.BlockedGuest, false },
        { "ApprovalService.ApproveAsync", Who.ApproverOfAnotherRequest, false }, { "ApprovalService.ApproveAsync", Who.BlockedGuest, false },
        { "ApprovalService.ApproveAsync", Who.ExternalUserOfAnotherOrganization, false }, { "ApprovalService.DenyAsync", Who.ApproverOfAnotherRequest, false },
        { "AccessPackageQueryService.GetDetailsAsync", Who.ReaderOfAnotherCatalog, false }, { "AccessPackageQueryService.GetDetailsAsync", Who.ExternalUserOfAllowedOrganization, false },
        { "AccessPackageQueryService.AssignmentsAsync", Who.AssignmentManagerOfAnotherCatalog, false }, { "AccessPackageQueryService.RequestsAsync", Who.PackageManagerOfAnotherCatalog, false },
        { "ConnectedOrganizationService.GetAsync", Who.ExternalUserOfAnotherOrganization, false }, { "ConnectedOrganizationService.GetAsync", Who.BlockedGuest, false },
        { "LifecycleSettingsService.UpdateAsync", Who.BlockedGuest, false }, { "AuditQueryService.SearchAsync", Who.ExternalUserOfAllowedOrganization, false },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Operation_is_allowed_only_for_the_roles_that_may_use_it(string operation, Who who, bool allowed)
    {
        await using var portal = await TestPortal.CreateAsync();
        var world = await AuthorizationWorld.BuildAsync(portal);
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
    public void Every_service_operation_that_takes_an_actor_has_an_allowed_and_a_refused_row()
    {
        var serviceOperations = typeof(PortalServices).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("EntitlementPortal.Features", StringComparison.Ordinal) == true && t.IsClass && t.IsPublic && t != typeof(PortalStore))
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
                .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) && m.GetParameters().Any(p => p.ParameterType == typeof(Actor)))
                .Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet();
        var rows = Matrix.Select(r => ((string)r[0], (bool)r[2])).ToList();
        foreach (var operation in serviceOperations.Except(DecidedElsewhere.Keys))
        {
            Assert.True(Operations.ContainsKey(operation), $"{operation} has no authorization rule in this matrix: deny by default means every operation is listed.");
            Assert.Contains((operation, true), rows);
            Assert.Contains((operation, false), rows);
        }
        Assert.Subset(serviceOperations, Operations.Keys.ToHashSet());
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
    public async Task A_blocked_guest_can_no_longer_extend_give_up_or_cancel_their_own_access()
    {
        await using var portal = await TestPortal.CreateAsync();
        var world = await AuthorizationWorld.BuildAsync(portal);
        var blocked = world[Who.BlockedGuest];
        var ownRequest = await portal.QueryAsync(db => db.AssignmentRequests.Where(r => r.TargetUserId == blocked.UserId && r.State == RequestState.PendingApproval).Select(r => r.Id).FirstAsync());
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Requests.ExtendAsync(blocked, world.BlockedGuestAssignment.Id));
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Requests.RelinquishAsync(blocked, world.BlockedGuestAssignment.Id));
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Requests.CancelAsync(blocked, ownRequest));
    }

    [Fact]
    public async Task Catalog_search_shows_only_the_catalogs_the_actor_holds_a_role_in()
    {
        await using var portal = await TestPortal.CreateAsync();
        var world = await AuthorizationWorld.BuildAsync(portal);
        Assert.Equal(["Partner projects"], (await portal.Catalogs.SearchAsync(world[Who.CatalogReader], null, false, new PageRequest())).Items.Select(c => c.DisplayName));
        Assert.Equal(["Partner projects"], (await portal.Catalogs.SearchAsync(world[Who.CatalogOwner], null, false, new PageRequest())).Items.Select(c => c.DisplayName));
        Assert.Equal(["Other catalog", "Partner projects"], (await portal.Catalogs.SearchAsync(world[Who.GlobalAdministrator], null, false, new PageRequest())).Items.Select(c => c.DisplayName));
        Assert.Equal(2, (await portal.Catalogs.SearchAsync(world[Who.UserAdministrator], null, false, new PageRequest())).TotalItems);
        Assert.Empty((await portal.Catalogs.SearchAsync(world[Who.OtherGuest], null, false, new PageRequest())).Items);
    }
}

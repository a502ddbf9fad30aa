using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Infrastructure;

/// <summary>
/// The seed's setting: a catalog enabled for external users, a group, the connected organization Fabrikam, and an
/// access package whose policy is "For users not in your directory" with one approval stage and 180-day expiry.
/// </summary>
public sealed class Scenario
{
    public required TestPortal Portal { get; init; }
    public required Guid CatalogId { get; init; }
    public required Guid GroupId { get; init; }
    public required Guid MemberRoleId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required Guid PackageId { get; init; }
    public required Guid PolicyId { get; init; }
    public required Actor Approver { get; init; }

    public static PolicyDefinition ExternalPolicy(Guid organizationId, Guid approverId) => new()
    {
        DisplayName = "Partners from connected organizations",
        AllowedTargetScope = AllowedTargetScope.SpecificConnectedOrganizationUsers,
        SpecificAllowedTargets = [organizationId],
        IsApprovalRequired = true,
        IsRequestorJustificationRequired = true,
        Stages = [new ApprovalStage { DurationBeforeAutomaticDenialInDays = 14, PrimaryApprovers = [new Approver { Type = ApproverType.SingleUser, UserId = approverId }] }],
        Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = 180 },
        CanExtend = true,
    };

    public static async Task<Scenario> CreateAsync(TestPortal portal, Func<Scenario, PolicyDefinition, PolicyDefinition>? customize = null, bool externallyVisible = true)
    {
        var admin = portal.Admin;
        var approver = await portal.MemberAsync("Avery Approver", "approver@contoso.com");
        var catalogId = await portal.Catalogs.CreateAsync(admin, new CatalogInput("Partner projects", "Resources shared with partners", true, externallyVisible));
        var groupId = await portal.DirectoryAdmin.CreateResourceAsync(admin, "Project Falcon", ResourceType.Group);
        await portal.Catalogs.AddResourceAsync(admin, catalogId, groupId);
        var memberRoleId = await portal.QueryAsync(db => db.ResourceRoles.Where(r => r.ResourceId == groupId && r.DisplayName == "Member").Select(r => r.Id).SingleAsync());
        var orgId = await portal.Organizations.CreateAsync(admin, new ConnectedOrganizationInput("Fabrikam", "Partner", ["fabrikam.com"]));
        var packageId = await portal.Packages.CreateAsync(admin, new AccessPackageInput(catalogId, "Falcon partners", "Access to Project Falcon"));
        await portal.Packages.AddResourceRoleAsync(admin, packageId, memberRoleId);
        var partial = new Scenario
        {
            Portal = portal, CatalogId = catalogId, GroupId = groupId, MemberRoleId = memberRoleId, OrganizationId = orgId,
            PackageId = packageId, PolicyId = Guid.Empty, Approver = approver,
        };
        var definition = ExternalPolicy(orgId, approver.UserId!.Value);
        definition = customize?.Invoke(partial, definition) ?? definition;
        var policy = await portal.Policies.CreateAsync(admin, packageId, definition);
        return new Scenario
        {
            Portal = portal, CatalogId = catalogId, GroupId = groupId, MemberRoleId = memberRoleId, OrganizationId = orgId,
            PackageId = packageId, PolicyId = policy.PolicyId, Approver = approver,
        };
    }

    /// <summary>The same scenario on another portal holding a copy of this one's database.</summary>
    public Scenario On(TestPortal portal) => new()
    {
        Portal = portal, CatalogId = CatalogId, GroupId = GroupId, MemberRoleId = MemberRoleId, OrganizationId = OrganizationId,
        PackageId = PackageId, PolicyId = PolicyId, Approver = Approver,
    };

    public Task<Guid> RequestAsync(Actor requestor, Guid? packageId = null) =>
        Portal.Requests.SubmitAsync(requestor, new AccessRequestInput(packageId ?? PackageId, Justification: "Working on Project Falcon"));

    /// <summary>Request, approve, deliver: returns the assignment.</summary>
    public async Task<AccessPackageAssignment> GrantAsync(Actor requestor, Guid? packageId = null)
    {
        var requestId = await RequestAsync(requestor, packageId);
        if ((await Portal.RequestAsync(requestId)).State == RequestState.PendingApproval)
        {
            await Portal.Approvals.ApproveAsync(Approver, requestId, "Known partner");
        }
        await Portal.Delivery.DeliverPendingAsync();
        var request = await Portal.RequestAsync(requestId);
        Assert.Equal(RequestState.Delivered, request.State);
        return await Portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == request.AssignmentId));
    }

    /// <summary>A second package in the same catalog granting the same group role, open to Fabrikam without approval.</summary>
    public async Task<Guid> SecondPackageWithSameRoleAsync(string name = "Falcon reviewers")
    {
        var packageId = await Portal.Packages.CreateAsync(Portal.Admin, new AccessPackageInput(CatalogId, name, null));
        await Portal.Packages.AddResourceRoleAsync(Portal.Admin, packageId, MemberRoleId);
        await Portal.Policies.CreateAsync(Portal.Admin, packageId, ExternalPolicy(OrganizationId, Approver.UserId!.Value) with
        {
            IsApprovalRequired = false, IsRequestorJustificationRequired = false, Stages = [],
            Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = 365 },
        });
        return packageId;
    }

    /// <summary>The signed-in external user, once they are in the directory.</summary>
    public async Task<Actor> AsDirectoryUserAsync(string mail) => Actor.For(await Portal.UserAsync(mail));
}

using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.DirectoryAdmin;
using EntitlementPortal.Features.Policies;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Benchmarks;

/// <summary>The seed's setup through the services: a catalog for partners, a package granting a group's two roles, Fabrikam connected.</summary>
public sealed record PartnerPackage(Guid PackageId, Guid PolicyId, Guid OrganizationId, Guid ApproverId, IReadOnlyList<Guid> RoleIds)
{
    public static async Task<PartnerPackage> CreateAsync(BenchmarkPortal portal, bool approval)
    {
        var admin = portal.Admin;
        var catalogs = portal.Get<CatalogService>();
        var directory = portal.Get<DirectoryAdminService>();
        var packages = portal.Get<AccessPackageService>();
        var catalog = await catalogs.CreateAsync(admin, new CatalogInput("Partner projects", null, true, true));
        var group = await directory.CreateResourceAsync(admin, "Project Falcon", ResourceType.Group);
        await catalogs.AddResourceAsync(admin, catalog, group);
        await using var db = portal.NewDb();
        var roles = await db.ResourceRoles.Where(r => r.ResourceId == group).Select(r => r.Id).ToListAsync();
        var package = await packages.CreateAsync(admin, new AccessPackageInput(catalog, "Falcon partners", null));
        foreach (var role in roles)
        {
            await packages.AddResourceRoleAsync(admin, package, role);
        }
        var organization = await portal.Get<ConnectedOrganizationService>().CreateAsync(admin, new ConnectedOrganizationInput("Fabrikam", null, ["fabrikam.com"]));
        var approver = await directory.CreateMemberAsync(admin, "Avery Approver", "approver@contoso.com");
        var policy = await portal.Get<PolicyService>().CreateAsync(admin, package, new PolicyDefinition
        {
            DisplayName = "Partners from Fabrikam",
            AllowedTargetScope = AllowedTargetScope.SpecificConnectedOrganizationUsers,
            SpecificAllowedTargets = [organization],
            IsApprovalRequired = approval,
            Stages = approval
                ? [new ApprovalStage { DurationBeforeAutomaticDenialInDays = 14, PrimaryApprovers = [new Approver { Type = ApproverType.SingleUser, UserId = approver }] }]
                : [],
            Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = 180 },
        });
        return new PartnerPackage(package, policy.PolicyId, organization, approver, roles);
    }
}

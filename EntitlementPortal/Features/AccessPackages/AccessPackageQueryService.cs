using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.AccessPackages;

public sealed record PackageRoleRow(Guid ResourceRoleId, string Resource, ResourceType ResourceType, string Role);

public sealed record PackagePolicyRow(Guid Id, string DisplayName, AllowedTargetScope Scope, bool IsEnabled, bool IsApprovalRequired, int Stages, ExpirationSettings Expiration, bool CanExtend);

public sealed record PackageAssignmentRow(Guid Id, Guid UserId, string DisplayName, string Mail, string Policy, AssignmentState State, string Status, DateTime StartDateTime, DateTime? ExpiredDateTime);

public sealed record PackageRequestRow(Guid Id, RequestType RequestType, RequestState State, string Status, string Target, DateTime CreatedDateTime, DateTime? CompletedDateTime, string? DeliveryError);

public sealed record AccessPackageDetails(
    AccessPackage Package, string CatalogName, string MyAccessLink, IReadOnlyList<PackageRoleRow> ResourceRoles, IReadOnlyList<PackageRoleRow> AvailableRoles,
    IReadOnlyList<PackagePolicyRow> Policies, IReadOnlyList<(Guid Id, string Name)> IncompatiblePackages, IReadOnlyList<(Guid Id, string Name)> OtherPackages,
    bool CanManage, bool CanAssign);

public sealed record CatalogChoice(Guid Id, string DisplayName, bool IsExternallyVisible, IReadOnlyList<PackageRoleRow> Roles);

public sealed record PersonChoice(Guid Id, string DisplayName, string Mail, UserType UserType);

public sealed record OrganizationChoice(Guid Id, string DisplayName, ConnectedOrganizationState State);

public sealed record NewPackageChoices(IReadOnlyList<CatalogChoice> Catalogs, IReadOnlyList<PersonChoice> People, IReadOnlyList<OrganizationChoice> Organizations);

/// <summary>What the access package page shows, for anyone with a role in its catalog.</summary>
public sealed class AccessPackageQueryService(PortalStore store, IOptions<PortalOptions> options)
{
    public Task<AccessPackageDetails> GetDetailsAsync(Actor actor, Guid packageId, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            var package = await db.AccessPackageAsync(packageId, ct);
            a.Require(a.HasCatalogRole(package.CatalogId, Permissions.ReadCatalog), "view this access package");
            var catalog = await db.Catalogs.SingleAsync(c => c.Id == package.CatalogId, ct);
            var catalogRoles = await (from cr in db.CatalogResources
                                      join r in db.Resources on cr.ResourceId equals r.Id
                                      join role in db.ResourceRoles on r.Id equals role.ResourceId
                                      where cr.CatalogId == package.CatalogId
                                      orderby r.DisplayName, role.DisplayName
                                      select new PackageRoleRow(role.Id, r.DisplayName, r.ResourceType, role.DisplayName)).ToListAsync(ct);
            var granted = await db.AccessPackageResourceRoles.Where(r => r.AccessPackageId == packageId).Select(r => r.ResourceRoleId).ToListAsync(ct);
            var policies = (await db.AssignmentPolicies.Where(p => p.AccessPackageId == packageId).OrderBy(p => p.DisplayName).ToListAsync(ct))
                .Select(p => new PackagePolicyRow(p.Id, p.DisplayName, p.AllowedTargetScope, p.IsEnabled, p.IsApprovalRequired, p.Stages.Count, p.Expiration, p.CanExtend)).ToList();
            // Only packages of catalogs the actor may read: names of other catalogs' packages stay hidden.
            var others = (await db.AccessPackages.Where(p => p.Id != packageId).OrderBy(p => p.DisplayName).Take(2000)
                    .Select(p => new { p.Id, p.DisplayName, p.CatalogId }).ToListAsync(ct))
                .Where(p => a.HasCatalogRole(p.CatalogId, Permissions.ReadCatalog)).Take(500).ToList();
            var incompatible = package.IncompatibleAccessPackages.Select(i => i.IncompatibleAccessPackageId).ToHashSet();
            var incompatibleNames = await db.AccessPackages.Where(p => incompatible.Contains(p.Id)).OrderBy(p => p.DisplayName).Select(p => new { p.Id, p.DisplayName }).ToListAsync(ct);
            return new AccessPackageDetails(
                package, catalog.DisplayName, options.Value.Link($"myaccess/access-packages/{package.Id}"),
                catalogRoles.Where(r => granted.Contains(r.ResourceRoleId)).ToList(),
                catalogRoles.Where(r => !granted.Contains(r.ResourceRoleId)).ToList(),
                policies,
                incompatibleNames.Select(p => (p.Id, p.DisplayName)).ToList(),
                others.Where(p => !incompatible.Contains(p.Id)).Select(p => (p.Id, p.DisplayName)).ToList(),
                CanManage: a.HasCatalogRole(package.CatalogId, Permissions.ManageAccessPackages),
                CanAssign: a.HasCatalogRole(package.CatalogId, Permissions.ManageAssignments));
        }, ct);

    /// <summary>What the wizard offers: catalogs where the actor may create packages, with their resource roles, users and connected organizations.</summary>
    public Task<NewPackageChoices> NewPackageChoicesAsync(Actor actor, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            var catalogs = (await db.Catalogs.OrderBy(c => c.DisplayName).ToListAsync(ct))
                .Where(c => a.HasCatalogRole(c.Id, Permissions.ManageAccessPackages)).ToList();
            a.Require(catalogs.Count > 0, "create access packages");
            var ids = catalogs.Select(c => c.Id).ToList();
            var roles = await (from cr in db.CatalogResources
                               join r in db.Resources on cr.ResourceId equals r.Id
                               join role in db.ResourceRoles on r.Id equals role.ResourceId
                               where ids.Contains(cr.CatalogId)
                               orderby r.DisplayName, role.DisplayName
                               select new { cr.CatalogId, Row = new PackageRoleRow(role.Id, r.DisplayName, r.ResourceType, role.DisplayName) }).ToListAsync(ct);
            var users = await db.Users.Where(u => u.DeletedDateTime == null && u.AccountEnabled).OrderBy(u => u.DisplayName).Take(1000)
                .Select(u => new PersonChoice(u.Id, u.DisplayName, u.Mail, u.UserType)).ToListAsync(ct);
            var organizations = await db.ConnectedOrganizations.OrderBy(o => o.DisplayName).Take(2500)
                .Select(o => new OrganizationChoice(o.Id, o.DisplayName, o.State)).ToListAsync(ct);
            return new NewPackageChoices(
                catalogs.Select(c => new CatalogChoice(c.Id, c.DisplayName, c.IsExternallyVisible, roles.Where(r => r.CatalogId == c.Id).Select(r => r.Row).ToList())).ToList(),
                users, organizations);
        }, ct);

    /// <summary>A policy as its editor shows it, for those who may edit the package's policies.</summary>
    public Task<(Guid PackageId, PolicyDefinition Definition)> GetPolicyAsync(Actor actor, Guid policyId, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            var policy = await db.AssignmentPolicies.SingleOrDefaultAsync(p => p.Id == policyId, ct) ?? throw new NotFoundException("Policy", policyId);
            var catalogId = await db.AccessPackages.Where(p => p.Id == policy.AccessPackageId).Select(p => p.CatalogId).SingleAsync(ct);
            a.Require(a.HasCatalogRole(catalogId, Permissions.ManageAccessPackages), "edit this policy");
            return (policy.AccessPackageId, policy.ToDefinition());
        }, ct);

    public Task<PagedResult<PackageAssignmentRow>> AssignmentsAsync(Actor actor, Guid packageId, AssignmentState? state, PageRequest page, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            await RequireReadAsync(db, a, packageId, ct);
            var query = db.Assignments.Where(x => x.AccessPackageId == packageId);
            query = state is { } s ? query.Where(x => x.State == s) : query;
            var rows = await (from x in query.OrderByDescending(x => x.StartDateTime).Skip(page.Skip).Take(page.Size)
                              join u in db.Users on x.TargetUserId equals u.Id
                              join p in db.AssignmentPolicies on x.AssignmentPolicyId equals p.Id
                              select new PackageAssignmentRow(x.Id, u.Id, u.DisplayName, u.Mail, p.DisplayName, x.State, x.Status, x.StartDateTime, x.ExpiredDateTime)).ToListAsync(ct);
            return new PagedResult<PackageAssignmentRow>(rows, await query.CountAsync(ct));
        }, ct);

    public Task<string> ExportAssignmentsCsvAsync(Actor actor, Guid packageId, AssignmentState? state, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            await RequireReadAsync(db, a, packageId, ct);
            var query = db.Assignments.Where(x => x.AccessPackageId == packageId);
            query = state is { } s ? query.Where(x => x.State == s) : query;
            var rows = await (from x in query.OrderBy(x => x.StartDateTime)
                              join u in db.Users on x.TargetUserId equals u.Id
                              join p in db.AssignmentPolicies on x.AssignmentPolicyId equals p.Id
                              select new { u.DisplayName, u.Mail, Policy = p.DisplayName, x.State, x.StartDateTime, x.ExpiredDateTime }).ToListAsync(ct);
            return Csv.Write(["Name", "E-mail", "Policy", "State", "Start (UTC)", "End (UTC)"],
                rows.Select(r => new[] { r.DisplayName, r.Mail, r.Policy, r.State.ToString(), r.StartDateTime.ToString("u"), r.ExpiredDateTime?.ToString("u") }));
        }, ct);

    public Task<PagedResult<PackageRequestRow>> RequestsAsync(Actor actor, Guid packageId, PageRequest page, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            await RequireReadAsync(db, a, packageId, ct);
            var query = db.AssignmentRequests.Where(r => r.AccessPackageId == packageId);
            var rows = await query.OrderByDescending(r => r.CreatedDateTime).Skip(page.Skip).Take(page.Size)
                .Select(r => new PackageRequestRow(r.Id, r.RequestType, r.State, r.Status, r.TargetEmail, r.CreatedDateTime, r.CompletedDateTime, r.DeliveryError))
                .ToListAsync(ct);
            return new PagedResult<PackageRequestRow>(rows, await query.CountAsync(ct));
        }, ct);

    private static async Task RequireReadAsync(Data.PortalDbContext db, ActorContext a, Guid packageId, CancellationToken ct)
    {
        var catalogId = await db.AccessPackages.Where(p => p.Id == packageId).Select(p => (Guid?)p.CatalogId).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("Access package", packageId);
        a.Require(a.HasCatalogRole(catalogId, Permissions.ReadCatalog), "view this access package");
    }
}

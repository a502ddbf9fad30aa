using EntitlementPortal.Data;
using EntitlementPortal.Directory;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Assignments;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Policies;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.AccessPackages;

public sealed record AccessPackageInput(Guid CatalogId, string DisplayName, string? Description, bool IsHidden = false);

public sealed record AccessPackageCreated(Guid AccessPackageId, Guid PolicyId, IReadOnlyList<string> Warnings);

public sealed class AccessPackageService(PortalStore store, IDirectory directory)
{
    public Task<Guid> CreateAsync(Actor actor, AccessPackageInput input, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            await c.FindAsync<Catalog>(input.CatalogId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(input.CatalogId, Permissions.ManageAccessPackages), "create access packages in this catalog");
            await ValidateAsync(c.Db, input, null, ct);
            var package = AccessPackage.Create(input.CatalogId, input.DisplayName, input.Description, input.IsHidden, c.Now);
            c.Db.AccessPackages.Add(package);
            c.Audit(AuditCategory.EntitlementManagement, "Create access package", "AccessPackage", package.Id, package.DisplayName);
            return package.Id;
        }, ct);

    /// <summary>The wizard's "Create": the package, its resource roles and its first policy, all or nothing.</summary>
    public Task<AccessPackageCreated> CreateWithPolicyAsync(Actor actor, AccessPackageInput input, IReadOnlyCollection<Guid> resourceRoleIds, PolicyDefinition policy, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            await c.FindAsync<Catalog>(input.CatalogId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(input.CatalogId, Permissions.ManageAccessPackages), "create access packages in this catalog");
            await ValidateAsync(c.Db, input, null, ct);
            var catalogRoles = await (from cr in c.Db.CatalogResources
                                      join role in c.Db.ResourceRoles on cr.ResourceId equals role.ResourceId
                                      where cr.CatalogId == input.CatalogId && resourceRoleIds.Contains(role.Id)
                                      select role.Id).ToListAsync(ct);
            if (catalogRoles.Count != resourceRoleIds.Distinct().Count())
            {
                throw new PortalValidationException("ResourceRoleIds", "Choose roles of resources in this catalog.");
            }
            var package = AccessPackage.Create(input.CatalogId, input.DisplayName, input.Description, input.IsHidden, c.Now);
            package.ResourceRoles.AddRange(catalogRoles.Select(r => new AccessPackageResourceRole(package.Id, r)));
            var warnings = await PolicyService.ValidateAsync(c.Db, package, policy, c.Now, ct);
            c.Db.AccessPackages.Add(package);
            var created = AssignmentPolicy.Create(package.Id, policy, c.Now);
            c.Db.AssignmentPolicies.Add(created);
            c.Audit(AuditCategory.EntitlementManagement, "Create access package", "AccessPackage", package.Id, package.DisplayName, $"{catalogRoles.Count} resource role(s)");
            c.Audit(AuditCategory.EntitlementManagement, "Create access package assignment policy", "AssignmentPolicy", created.Id, created.DisplayName,
                $"{package.DisplayName}: {policy.AllowedTargetScope}, approval {(policy.IsApprovalRequired ? "required" : "not required")}");
            return new AccessPackageCreated(package.Id, created.Id, warnings);
        }, ct);

    public Task UpdateAsync(Actor actor, Guid packageId, AccessPackageInput input, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var package = await LoadManagedAsync(c, packageId, ct);
            if (input.CatalogId != package.CatalogId)
            {
                throw new PortalValidationException(nameof(input.CatalogId), "An access package cannot move to another catalog.");
            }
            await ValidateAsync(c.Db, input, packageId, ct);
            package.Update(input.DisplayName, input.Description, input.IsHidden, c.Now);
            c.Audit(AuditCategory.EntitlementManagement, "Update access package", "AccessPackage", package.Id, package.DisplayName);
        }, ct);

    /// <summary>Entra refuses to delete a package that still has active assignments.</summary>
    public Task DeleteAsync(Actor actor, Guid packageId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var package = await LoadManagedAsync(c, packageId, ct);
            var active = await c.Db.Assignments.CountAsync(a => a.AccessPackageId == packageId && a.State != AssignmentState.Expired, ct);
            if (active > 0)
            {
                throw new DomainRuleException($"{package.DisplayName} has {active} active assignment(s); remove them before deleting the package.");
            }
            if (await c.Db.AssignmentRequests.AnyAsync(r => r.AccessPackageId == packageId && (r.State == RequestState.Submitted || r.State == RequestState.PendingApproval || r.State == RequestState.Delivering), ct))
            {
                throw new DomainRuleException($"{package.DisplayName} has open requests; cancel them before deleting the package.");
            }
            // History goes with the package; audit events keep the record.
            await c.Db.AssignmentRequests.Where(r => r.AccessPackageId == packageId).ExecuteDeleteAsync(ct);
            await c.Db.Assignments.Where(a => a.AccessPackageId == packageId).ExecuteDeleteAsync(ct);
            c.Db.AccessPackages.Remove(package);
            c.Audit(AuditCategory.EntitlementManagement, "Delete access package", "AccessPackage", package.Id, package.DisplayName);
        }, ct);

    /// <summary>Users who hold the package now gain the role too.</summary>
    public Task AddResourceRoleAsync(Actor actor, Guid packageId, Guid resourceRoleId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var package = await LoadManagedAsync(c, packageId, ct);
            var role = await c.Db.ResourceRoles.SingleOrDefaultAsync(r => r.Id == resourceRoleId, ct)
                ?? throw new PortalValidationException("ResourceRoleId", "Choose a role of a resource in this catalog.");
            if (!await c.Db.CatalogResources.AnyAsync(r => r.CatalogId == package.CatalogId && r.ResourceId == role.ResourceId, ct))
            {
                throw new PortalValidationException("ResourceRoleId", "The resource must be added to the catalog first.");
            }
            if (package.ResourceRoles.Any(r => r.ResourceRoleId == resourceRoleId))
            {
                throw new DomainRuleException("The access package already includes this role.");
            }
            package.ResourceRoles.Add(new AccessPackageResourceRole(package.Id, resourceRoleId));
            foreach (var userId in await ActiveHoldersAsync(c.Db, packageId, ct))
            {
                await directory.AddToRolesAsync(c.Db, userId, [resourceRoleId], c.Now, ct);
            }
            c.Audit(AuditCategory.EntitlementManagement, "Add resource role to access package", "AccessPackage", package.Id, package.DisplayName, role.DisplayName);
        }, ct);

    /// <summary>Users who hold the package lose the role, unless another active assignment grants it.</summary>
    public Task RemoveResourceRoleAsync(Actor actor, Guid packageId, Guid resourceRoleId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var package = await LoadManagedAsync(c, packageId, ct);
            var link = package.ResourceRoles.SingleOrDefault(r => r.ResourceRoleId == resourceRoleId)
                ?? throw new NotFoundException("Access package resource role", resourceRoleId);
            package.ResourceRoles.Remove(link);
            foreach (var userId in await ActiveHoldersAsync(c.Db, packageId, ct))
            {
                if (!(await AccessGrants.RolesFromOtherPackagesAsync(c.Db, userId, packageId, ct)).Contains(resourceRoleId))
                {
                    await directory.RemoveFromRolesAsync(c.Db, [(userId, resourceRoleId)], ct);
                }
            }
            c.Audit(AuditCategory.EntitlementManagement, "Remove resource role from access package", "AccessPackage", package.Id, package.DisplayName, resourceRoleId.ToString());
        }, ct);

    public Task AddIncompatibleAccessPackageAsync(Actor actor, Guid packageId, Guid incompatibleId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var package = await LoadManagedAsync(c, packageId, ct);
            var other = await c.FindAsync<AccessPackage>(incompatibleId, ct);
            if (incompatibleId == packageId || package.IncompatibleAccessPackages.Any(i => i.IncompatibleAccessPackageId == incompatibleId))
            {
                throw new PortalValidationException("IncompatibleAccessPackageId", "Choose another access package that is not already incompatible.");
            }
            package.IncompatibleAccessPackages.Add(new IncompatibleAccessPackage(packageId, incompatibleId));
            c.Audit(AuditCategory.EntitlementManagement, "Add incompatible access package", "AccessPackage", package.Id, package.DisplayName, other.DisplayName);
        }, ct);

    public Task RemoveIncompatibleAccessPackageAsync(Actor actor, Guid packageId, Guid incompatibleId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var package = await LoadManagedAsync(c, packageId, ct);
            var link = package.IncompatibleAccessPackages.SingleOrDefault(i => i.IncompatibleAccessPackageId == incompatibleId)
                ?? throw new NotFoundException("Incompatible access package", incompatibleId);
            package.IncompatibleAccessPackages.Remove(link);
            c.Audit(AuditCategory.EntitlementManagement, "Remove incompatible access package", "AccessPackage", package.Id, package.DisplayName, incompatibleId.ToString());
        }, ct);

    private static async Task<AccessPackage> LoadManagedAsync(WriteContext c, Guid packageId, CancellationToken ct)
    {
        // Two queries: one joined query would return every role once for each incompatible package.
        var package = await c.Db.AccessPackages.Include(p => p.ResourceRoles).Include(p => p.IncompatibleAccessPackages).AsSplitQuery()
            .SingleOrDefaultAsync(p => p.Id == packageId, ct)
            ?? throw new NotFoundException("Access package", packageId);
        c.Actor.Require(c.Actor.HasCatalogRole(package.CatalogId, Permissions.ManageAccessPackages), "manage this access package");
        return package;
    }

    private static Task<List<Guid>> ActiveHoldersAsync(PortalDbContext db, Guid packageId, CancellationToken ct) =>
        db.Assignments.Where(a => a.AccessPackageId == packageId && a.State != AssignmentState.Expired).Select(a => a.TargetUserId).ToListAsync(ct);

    private static async Task ValidateAsync(PortalDbContext db, AccessPackageInput input, Guid? self, CancellationToken ct)
    {
        var v = new Validator()
            .Text(nameof(input.DisplayName), input.DisplayName, 256, label: "Name")
            .Text(nameof(input.Description), input.Description, 4000, required: false, label: "Description");
        v.ThrowIfInvalid();
        var name = input.DisplayName.Trim();
        v.When(await db.AccessPackages.AnyAsync(p => p.CatalogId == input.CatalogId && p.DisplayName == name && p.Id != self, ct),
            nameof(input.DisplayName), $"The catalog already has an access package named '{name}'.");
        v.ThrowIfInvalid();
    }
}

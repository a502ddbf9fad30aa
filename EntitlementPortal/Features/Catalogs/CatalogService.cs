using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Catalogs;

/// <summary>"Enabled" lets packages be requested at all; "Enabled for external users" lets external users request them.</summary>
public sealed record CatalogInput(string DisplayName, string? Description, bool IsEnabled = true, bool IsExternallyVisible = true);

public sealed record CatalogRow(Guid Id, string DisplayName, string? Description, bool IsEnabled, bool IsExternallyVisible, int AccessPackages);

public sealed record CatalogPackageRow(Guid Id, string DisplayName, string? Description, bool IsHidden, int ActiveAssignments);

public sealed record CatalogRoleHolder(Guid UserId, string DisplayName, string Mail, CatalogRole Role);

public sealed record CatalogDetails(
    Catalog Catalog, IReadOnlyList<Resource> Resources, IReadOnlyList<CatalogPackageRow> AccessPackages, IReadOnlyList<CatalogRoleHolder> RoleHolders,
    bool CanEdit, bool CanManage, bool CanManagePackages);

public sealed class CatalogService(PortalStore store)
{
    /// <summary>The creator becomes the catalog's first owner, as in Entra.</summary>
    public Task<Guid> CreateAsync(Actor actor, CatalogInput input, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.CanCreateCatalog(), "create catalogs");
            await ValidateAsync(c.Db, input, null, ct);
            var catalog = Catalog.Create(input.DisplayName, input.Description, input.IsEnabled, input.IsExternallyVisible, c.Now);
            c.Db.Catalogs.Add(catalog);
            if (c.Actor.UserId is { } creator)
            {
                catalog.RoleAssignments.Add(new CatalogRoleAssignment(catalog.Id, creator, CatalogRole.CatalogOwner));
            }
            c.Audit(AuditCategory.EntitlementManagement, "Create catalog", "Catalog", catalog.Id, catalog.DisplayName, Describe(input));
            return catalog.Id;
        }, ct);

    public Task UpdateAsync(Actor actor, Guid catalogId, CatalogInput input, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var catalog = await c.FindAsync<Catalog>(catalogId, ct);
            c.Actor.Require(c.Actor.CanEditCatalog(catalogId), "edit this catalog");
            await ValidateAsync(c.Db, input, catalogId, ct);
            catalog.Update(input.DisplayName, input.Description, input.IsEnabled, input.IsExternallyVisible, c.Now);
            c.Audit(AuditCategory.EntitlementManagement, "Update catalog", "Catalog", catalog.Id, catalog.DisplayName, Describe(input));
        }, ct);

    public Task DeleteAsync(Actor actor, Guid catalogId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var catalog = await c.FindAsync<Catalog>(catalogId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(catalogId, Permissions.ManageCatalog), "delete this catalog");
            if (await c.Db.AccessPackages.AnyAsync(p => p.CatalogId == catalogId, ct))
            {
                throw new DomainRuleException("Delete the catalog's access packages first.");
            }
            c.Db.Catalogs.Remove(catalog);
            c.Audit(AuditCategory.EntitlementManagement, "Delete catalog", "Catalog", catalog.Id, catalog.DisplayName);
        }, ct);

    public Task AddResourceAsync(Actor actor, Guid catalogId, Guid resourceId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var catalog = await c.FindAsync<Catalog>(catalogId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(catalogId, Permissions.ManageCatalog), "add resources to this catalog");
            var resource = await c.FindAsync<Resource>(resourceId, ct);
            if (await c.Db.CatalogResources.AnyAsync(r => r.CatalogId == catalogId && r.ResourceId == resourceId, ct))
            {
                throw new DomainRuleException($"{resource.DisplayName} is already in this catalog.");
            }
            c.Db.CatalogResources.Add(new CatalogResource(catalogId, resourceId, c.Now));
            c.Audit(AuditCategory.EntitlementManagement, "Add resource to catalog", "Catalog", catalog.Id, catalog.DisplayName, resource.DisplayName);
        }, ct);

    /// <summary>Refused while an access package of the catalog grants one of the resource's roles.</summary>
    public Task RemoveResourceAsync(Actor actor, Guid catalogId, Guid resourceId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var catalog = await c.FindAsync<Catalog>(catalogId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(catalogId, Permissions.ManageCatalog), "remove resources from this catalog");
            var link = await c.Db.CatalogResources.SingleOrDefaultAsync(r => r.CatalogId == catalogId && r.ResourceId == resourceId, ct)
                ?? throw new NotFoundException("Catalog resource", resourceId);
            var inUse = await (from pr in c.Db.AccessPackageResourceRoles
                               join p in c.Db.AccessPackages on pr.AccessPackageId equals p.Id
                               join rr in c.Db.ResourceRoles on pr.ResourceRoleId equals rr.Id
                               where p.CatalogId == catalogId && rr.ResourceId == resourceId
                               select p.DisplayName).FirstOrDefaultAsync(ct);
            if (inUse is not null)
            {
                throw new DomainRuleException($"The access package '{inUse}' uses this resource; remove its role from the package first.");
            }
            c.Db.CatalogResources.Remove(link);
            c.Audit(AuditCategory.EntitlementManagement, "Remove resource from catalog", "Catalog", catalog.Id, catalog.DisplayName, resourceId.ToString());
        }, ct);

    public Task AddRoleHolderAsync(Actor actor, Guid catalogId, Guid userId, CatalogRole role, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var catalog = await c.FindAsync<Catalog>(catalogId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(catalogId, Permissions.ManageCatalog), "change the roles of this catalog");
            var user = await c.Db.ActiveUserAsync(userId, ct)
                ?? throw new PortalValidationException("UserId", "Choose a user of this directory.");
            if (await c.Db.CatalogRoleAssignments.AnyAsync(r => r.CatalogId == catalogId && r.UserId == userId && r.Role == role, ct))
            {
                throw new DomainRuleException($"{user.DisplayName} already holds this role.");
            }
            c.Db.CatalogRoleAssignments.Add(new CatalogRoleAssignment(catalogId, userId, role));
            c.Audit(AuditCategory.EntitlementManagement, "Add catalog role assignment", "Catalog", catalog.Id, catalog.DisplayName, $"{role}: {user.Mail}");
        }, ct);

    public Task RemoveRoleHolderAsync(Actor actor, Guid catalogId, Guid userId, CatalogRole role, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var catalog = await c.FindAsync<Catalog>(catalogId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(catalogId, Permissions.ManageCatalog), "change the roles of this catalog");
            var holder = await c.Db.CatalogRoleAssignments.SingleOrDefaultAsync(r => r.CatalogId == catalogId && r.UserId == userId && r.Role == role, ct)
                ?? throw new NotFoundException("Catalog role assignment", userId);
            c.Db.CatalogRoleAssignments.Remove(holder);
            c.Audit(AuditCategory.EntitlementManagement, "Remove catalog role assignment", "Catalog", catalog.Id, catalog.DisplayName, $"{role}: {userId}");
        }, ct);

    /// <summary>The catalogs list: administrators see all, others those where they hold a role; paged on the server.</summary>
    public Task<PagedResult<CatalogRow>> SearchAsync(Actor actor, string? search, bool onlyEnabledForExternalUsers, PageRequest page, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            var all = a.SeesEveryCatalog();
            var mine = a.CatalogsWithAnyRole.ToList();
            var query = db.Catalogs.Where(c => all || mine.Contains(c.Id));
            if (!string.IsNullOrWhiteSpace(search))
            {
                var words = search.Trim().ToLowerInvariant();
                query = query.Where(c => c.DisplayName.ToLower().Contains(words));
            }
            if (onlyEnabledForExternalUsers)
            {
                query = query.Where(c => c.IsExternallyVisible);
            }
            var rows = await query.SortAndPage(page, CatalogColumns, "DisplayName")
                .Select(c => new CatalogRow(c.Id, c.DisplayName, c.Description, c.IsEnabled, c.IsExternallyVisible, db.AccessPackages.Count(p => p.CatalogId == c.Id)))
                .ToListAsync(ct);
            return new PagedResult<CatalogRow>(rows, await query.CountAsync(ct));
        }, ct);

    /// <summary>Everything the catalog page shows, for anyone with a role in the catalog.</summary>
    public Task<CatalogDetails> GetDetailsAsync(Actor actor, Guid catalogId, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            var catalog = await db.Catalogs.SingleOrDefaultAsync(c => c.Id == catalogId, ct) ?? throw new NotFoundException("Catalog", catalogId);
            a.Require(a.HasCatalogRole(catalogId, Permissions.ReadCatalog) || a.HasAny(DirectoryRole.UserAdministrator), "view this catalog");
            var resources = await (from cr in db.CatalogResources
                                   join r in db.Resources.Include(r => r.Roles) on cr.ResourceId equals r.Id
                                   where cr.CatalogId == catalogId
                                   orderby r.DisplayName
                                   select r).ToListAsync(ct);
            var packages = await db.AccessPackages.Where(p => p.CatalogId == catalogId).OrderBy(p => p.DisplayName)
                .Select(p => new CatalogPackageRow(p.Id, p.DisplayName, p.Description, p.IsHidden,
                    db.Assignments.Count(x => x.AccessPackageId == p.Id && x.State != AssignmentState.Expired)))
                .ToListAsync(ct);
            var holders = await (from h in db.CatalogRoleAssignments
                                 join u in db.Users on h.UserId equals u.Id
                                 where h.CatalogId == catalogId
                                 orderby h.Role, u.DisplayName
                                 select new CatalogRoleHolder(u.Id, u.DisplayName, u.Mail, h.Role)).ToListAsync(ct);
            return new CatalogDetails(catalog, resources, packages, holders,
                CanEdit: a.CanEditCatalog(catalogId), CanManage: a.HasCatalogRole(catalogId, Permissions.ManageCatalog),
                CanManagePackages: a.HasCatalogRole(catalogId, Permissions.ManageAccessPackages));
        }, ct);

    /// <summary>What a catalog owner may pick from: directory resources not yet in the catalog, and people for the roles.</summary>
    public Task<(List<Resource> Resources, List<DirectoryUser> People)> CandidatesAsync(Actor actor, Guid catalogId, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            a.Require(a.HasCatalogRole(catalogId, Permissions.ManageCatalog), "change this catalog");
            var inCatalog = db.CatalogResources.Where(r => r.CatalogId == catalogId).Select(r => r.ResourceId);
            var resources = await db.Resources.Where(r => !inCatalog.Contains(r.Id)).OrderBy(r => r.DisplayName).Take(500).ToListAsync(ct);
            var people = await db.Users.Where(u => u.DeletedDateTime == null && u.UserType == UserType.Member).OrderBy(u => u.DisplayName).Take(500).ToListAsync(ct);
            return (resources, people);
        }, ct);

    private static readonly Dictionary<string, System.Linq.Expressions.Expression<Func<Catalog, object?>>> CatalogColumns = new()
    {
        ["DisplayName"] = c => c.DisplayName,
        ["IsEnabled"] = c => c.IsEnabled,
        ["IsExternallyVisible"] = c => c.IsExternallyVisible,
    };

    private static async Task ValidateAsync(PortalDbContext db, CatalogInput input, Guid? self, CancellationToken ct)
    {
        var v = new Validator()
            .Text(nameof(input.DisplayName), input.DisplayName, 256, label: "Name")
            .Text(nameof(input.Description), input.Description, 4000, required: false, label: "Description");
        v.ThrowIfInvalid();
        var name = input.DisplayName.Trim();
        v.When(await db.Catalogs.AnyAsync(c => c.DisplayName == name && c.Id != self, ct), nameof(input.DisplayName), $"A catalog named '{name}' already exists.");
        v.ThrowIfInvalid();
    }

    private static string Describe(CatalogInput input) =>
        $"Enabled={(input.IsEnabled ? "Yes" : "No")}; Enabled for external users={(input.IsExternallyVisible ? "Yes" : "No")}";
}

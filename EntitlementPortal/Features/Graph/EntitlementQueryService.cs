using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Graph;

/// <summary>A window of a list: <see cref="Take"/> is one more than the page, so the caller knows whether more follow.</summary>
public sealed record Window(int Skip, int Take);

public sealed record PackageRoleScope(Guid PackageId, ResourceRole Role, Resource Resource);

public sealed record AssignmentView(AccessPackageAssignment Assignment, DirectoryUser Target, AccessPackage Package);

/// <summary>
/// The lists behind the Graph-compatible API, each narrowed to what the caller may read: administrators see every catalog,
/// others the catalogs where they hold a role (as the catalogs page does); connected organizations need a reader of them.
/// </summary>
public sealed class EntitlementQueryService(PortalStore store)
{
    /// <summary><paramref name="enabled"/>: Graph's state, published (true) or unpublished (false).</summary>
    public Task<List<Catalog>> CatalogsAsync(Actor actor, Guid? id, string? displayName, bool? enabled, Window window, CancellationToken ct = default) =>
        store.ReadAsync(actor, (db, a) =>
        {
            var all = a.SeesEveryCatalog();
            var mine = a.CatalogsWithAnyRole.ToList();
            var query = db.Catalogs.Where(c => all || mine.Contains(c.Id));
            query = id is { } catalogId ? query.Where(c => c.Id == catalogId) : query;
            query = displayName is null ? query : query.Where(c => c.DisplayName == displayName);
            query = enabled is { } isEnabled ? query.Where(c => c.IsEnabled == isEnabled) : query;
            return query.OrderBy(c => c.CreatedDateTime).ThenBy(c => c.Id).Skip(window.Skip).Take(window.Take).ToListAsync(ct);
        }, ct);

    public Task<List<AccessPackage>> AccessPackagesAsync(Actor actor, Guid? id, string? displayName, Guid? catalogId, Window window, CancellationToken ct = default) =>
        store.ReadAsync(actor, (db, a) =>
        {
            var query = ReadablePackages(db, a);
            query = id is { } packageId ? query.Where(p => p.Id == packageId) : query;
            query = displayName is null ? query : query.Where(p => p.DisplayName == displayName);
            query = catalogId is { } inCatalog ? query.Where(p => p.CatalogId == inCatalog) : query;
            return query.OrderBy(p => p.CreatedDateTime).ThenBy(p => p.Id).Skip(window.Skip).Take(window.Take).ToListAsync(ct);
        }, ct);

    /// <summary>The resource roles each package grants: Graph's resourceRoleScopes.</summary>
    public Task<List<PackageRoleScope>> RoleScopesAsync(Actor actor, IReadOnlyCollection<Guid> packageIds, CancellationToken ct = default) =>
        store.ReadAsync(actor, (db, a) =>
            (from granted in db.AccessPackageResourceRoles
             join package in ReadablePackages(db, a) on granted.AccessPackageId equals package.Id
             join role in db.ResourceRoles on granted.ResourceRoleId equals role.Id
             join resource in db.Resources on role.ResourceId equals resource.Id
             where packageIds.Contains(granted.AccessPackageId)
             select new PackageRoleScope(granted.AccessPackageId, role, resource)).ToListAsync(ct), ct);

    public Task<List<AssignmentPolicy>> PoliciesAsync(Actor actor, Guid? id, string? displayName, IReadOnlyCollection<Guid>? packageIds, Window window, CancellationToken ct = default) =>
        store.ReadAsync(actor, (db, a) =>
        {
            var query = from policy in db.AssignmentPolicies
                        join package in ReadablePackages(db, a) on policy.AccessPackageId equals package.Id
                        select policy;
            query = id is { } policyId ? query.Where(p => p.Id == policyId) : query;
            query = displayName is null ? query : query.Where(p => p.DisplayName == displayName);
            query = packageIds is null ? query : query.Where(p => packageIds.Contains(p.AccessPackageId));
            return query.Include(p => p.Targets).OrderBy(p => p.CreatedDateTime).ThenBy(p => p.Id).Skip(window.Skip).Take(window.Take).ToListAsync(ct);
        }, ct);

    public Task<List<AssignmentView>> AssignmentsAsync(Actor actor, Guid? id, AssignmentState? state, Guid? accessPackageId, Guid? targetId, Window window, CancellationToken ct = default) =>
        store.ReadAsync(actor, (db, a) =>
        {
            var query = from assignment in db.Assignments
                        join package in ReadablePackages(db, a) on assignment.AccessPackageId equals package.Id
                        select assignment;
            query = id is { } assignmentId ? query.Where(x => x.Id == assignmentId) : query;
            query = state is { } s ? query.Where(x => x.State == s) : query;
            query = accessPackageId is { } packageId ? query.Where(x => x.AccessPackageId == packageId) : query;
            query = targetId is { } userId ? query.Where(x => x.TargetUserId == userId) : query;
            return (from assignment in query.OrderBy(x => x.StartDateTime).ThenBy(x => x.Id).Skip(window.Skip).Take(window.Take)
                    join user in db.Users on assignment.TargetUserId equals user.Id
                    join package in db.AccessPackages on assignment.AccessPackageId equals package.Id
                    select new AssignmentView(assignment, user, package)).ToListAsync(ct);
        }, ct);

    public Task<List<AccessPackageAssignmentRequest>> RequestsAsync(Actor actor, Guid? id, RequestState? state, RequestType? requestType, Guid? accessPackageId, Window window, CancellationToken ct = default) =>
        store.ReadAsync(actor, (db, a) =>
        {
            var query = from request in db.AssignmentRequests
                        join package in ReadablePackages(db, a) on request.AccessPackageId equals package.Id
                        select request;
            query = id is { } requestId ? query.Where(r => r.Id == requestId) : query;
            query = state is { } s ? query.Where(r => r.State == s) : query;
            query = requestType is { } type ? query.Where(r => r.RequestType == type) : query;
            query = accessPackageId is { } packageId ? query.Where(r => r.AccessPackageId == packageId) : query;
            return query.OrderBy(r => r.CreatedDateTime).ThenBy(r => r.Id).Skip(window.Skip).Take(window.Take).ToListAsync(ct);
        }, ct);

    public Task<List<ConnectedOrganization>> ConnectedOrganizationsAsync(Actor actor, Guid? id, string? displayName, ConnectedOrganizationState? state, Window window, CancellationToken ct = default) =>
        store.ReadAsync(actor, (db, a) =>
        {
            a.Require(a.CanReadConnectedOrganizations(), "view connected organizations");
            var query = db.ConnectedOrganizations.AsQueryable();
            query = id is { } organizationId ? query.Where(o => o.Id == organizationId) : query;
            query = displayName is null ? query : query.Where(o => o.DisplayName == displayName);
            query = state is { } s ? query.Where(o => o.State == s) : query;
            return query.Include(o => o.IdentitySources).OrderBy(o => o.CreatedDateTime).ThenBy(o => o.Id).Skip(window.Skip).Take(window.Take).ToListAsync(ct);
        }, ct);

    public Task<List<DirectoryUser>> SponsorsAsync(Actor actor, Guid organizationId, SponsorKind kind, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            a.Require(a.CanReadConnectedOrganizations(), "view connected organizations");
            if (!await db.ConnectedOrganizations.AnyAsync(o => o.Id == organizationId, ct))
            {
                throw new NotFoundException("Connected organization", organizationId);
            }
            return await (from sponsor in db.ConnectedOrganizationSponsors
                          join user in db.Users on sponsor.UserId equals user.Id
                          where sponsor.ConnectedOrganizationId == organizationId && sponsor.Kind == kind
                          orderby user.DisplayName
                          select user).ToListAsync(ct);
        }, ct);

    private static IQueryable<AccessPackage> ReadablePackages(PortalDbContext db, ActorContext a)
    {
        if (a.HasAny(DirectoryRole.GlobalAdministrator, DirectoryRole.IdentityGovernanceAdministrator))
        {
            return db.AccessPackages;
        }
        var mine = a.CatalogsWithAnyRole.ToList();
        return db.AccessPackages.Where(p => mine.Contains(p.CatalogId));
    }
}

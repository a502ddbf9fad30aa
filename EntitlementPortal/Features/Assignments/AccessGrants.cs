using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Assignments;

/// <summary>Which resource roles a user holds through access packages: the basis of "keep a role another assignment still grants".</summary>
/// <remarks>
/// A sweep batch's ids go down as one parameter (<c>EF.Parameter</c>) rather than one each: Microsoft.Data.Sqlite binds
/// parameters by name, and hundreds of them cost more than the query.
/// </remarks>
public static class AccessGrants
{
    private static readonly CompiledQuery<Func<PortalDbContext, Guid, IAsyncEnumerable<Guid>>> PackageRoleIds =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, Guid packageId) =>
            db.AccessPackageResourceRoles.Where(r => r.AccessPackageId == packageId).Select(r => r.ResourceRoleId)));

    /// <summary>The roles the package grants, shared (<see cref="ConfigurationCache"/>).</summary>
    public static Task<IReadOnlyList<Guid>> PackageRoleIdsAsync(PortalDbContext db, Guid accessPackageId, CancellationToken ct) =>
        ConfigurationCache.GetAsync<IReadOnlyList<Guid>>(db, (nameof(PackageRoleIds), accessPackageId),
            async () => await PackageRoleIds.For(db)(db, accessPackageId).ToListAsync(ct), ct);

    /// <summary>Roles granted to the user by their active assignments, leaving out one package.</summary>
    public static Task<List<Guid>> RolesFromOtherPackagesAsync(PortalDbContext db, Guid userId, Guid exceptAccessPackageId, CancellationToken ct) =>
        (from a in db.Assignments
         join r in db.AccessPackageResourceRoles on a.AccessPackageId equals r.AccessPackageId
         where a.TargetUserId == userId && a.State != AssignmentState.Expired && a.AccessPackageId != exceptAccessPackageId
         select r.ResourceRoleId).Distinct().ToListAsync(ct);

    /// <summary>For a batch of ending assignments: the (user, role) pairs their users keep through their other active assignments.</summary>
    public static async Task<HashSet<(Guid UserId, Guid ResourceRoleId)>> RolesKeptAsync(
        PortalDbContext db, IReadOnlyCollection<Guid> userIds, IReadOnlyCollection<Guid> endingAssignmentIds, CancellationToken ct) =>
        (await (from a in db.Assignments
                join r in db.AccessPackageResourceRoles on a.AccessPackageId equals r.AccessPackageId
                where EF.Parameter(userIds).Contains(a.TargetUserId) && a.State != AssignmentState.Expired && !EF.Parameter(endingAssignmentIds).Contains(a.Id)
                select new { a.TargetUserId, r.ResourceRoleId }).Distinct().ToListAsync(ct))
        .Select(k => (k.TargetUserId, k.ResourceRoleId)).ToHashSet();

    /// <summary>For a batch of ending assignments: the users who still hold another active assignment.</summary>
    public static async Task<HashSet<Guid>> UsersStillAssignedAsync(
        PortalDbContext db, IReadOnlyCollection<Guid> userIds, IReadOnlyCollection<Guid> endingAssignmentIds, CancellationToken ct) =>
        (await db.Assignments
            .Where(a => EF.Parameter(userIds).Contains(a.TargetUserId) && a.State != AssignmentState.Expired && !EF.Parameter(endingAssignmentIds).Contains(a.Id))
            .Select(a => a.TargetUserId).Distinct().ToListAsync(ct)).ToHashSet();

    public static Task<bool> HasActiveAssignmentAsync(PortalDbContext db, Guid userId, CancellationToken ct) =>
        db.Assignments.AnyAsync(a => a.TargetUserId == userId && a.State != AssignmentState.Expired, ct);
}

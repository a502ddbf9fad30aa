using EntitlementPortal.Directory;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Lifecycle;
using EntitlementPortal.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Assignments;

/// <summary>DESIGN.md rule 4: how any assignment ends — expiry, relinquish or removal.</summary>
public sealed class AssignmentEnder(IDirectory directory, Notifier notifier, ExternalUserLifecycle lifecycle)
{
    /// <summary>Ends one assignment; returns the removal request that records it.</summary>
    public async Task<AccessPackageAssignmentRequest> EndAsync(WriteContext c, AccessPackageAssignment assignment, RequestType why, CancellationToken ct) =>
        (await EndAllAsync(c, [assignment], why, ct)).Single();

    /// <summary>
    /// Ends a batch in a handful of queries whatever its size: roles another active assignment still grants are kept, and
    /// a guest left with nothing meets the lifecycle settings.
    /// </summary>
    public async Task<List<AccessPackageAssignmentRequest>> EndAllAsync(WriteContext c, IReadOnlyList<AccessPackageAssignment> assignments, RequestType why, CancellationToken ct)
    {
        var removals = new List<AccessPackageAssignmentRequest>();
        if (assignments.Count == 0)
        {
            return removals;
        }
        var status = why switch
        {
            RequestType.UserRemove => "Relinquished",
            RequestType.AdminRemove => "Removed",
            _ => "Expired",
        };
        var ending = assignments.Select(a => a.Id).ToList();
        var userIds = assignments.Select(a => a.TargetUserId).Distinct().ToList();
        var packageIds = assignments.Select(a => a.AccessPackageId).Distinct().ToList();
        // One parameter for the batch's ids, as in AccessGrants.
        var users = await c.Db.Users.Where(u => EF.Parameter(userIds).Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        var packages = await c.Db.AccessPackages.Where(p => packageIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var packageRoles = (await c.Db.AccessPackageResourceRoles.Where(r => packageIds.Contains(r.AccessPackageId)).ToListAsync(ct))
            .ToLookup(r => r.AccessPackageId, r => r.ResourceRoleId);
        var kept = await AccessGrants.RolesKeptAsync(c.Db, userIds, ending, ct);
        var lost = new HashSet<(Guid UserId, Guid ResourceRoleId)>();
        foreach (var assignment in assignments)
        {
            assignment.End(status, c.Now);
            var user = users[assignment.TargetUserId];
            var package = packages[assignment.AccessPackageId];
            var removal = AccessPackageAssignmentRequest.CreateRemoval(why, assignment, (c.Actor.UserId, c.Actor.Actor.Email), user, c.Now);
            c.Db.AssignmentRequests.Add(removal);
            removals.Add(removal);
            lost.UnionWith(packageRoles[package.Id].Select(role => (user.Id, role)).Where(m => !kept.Contains(m)));
            c.Audit(AuditCategory.EntitlementManagement, "Remove access package assignment", "AccessPackageAssignment", assignment.Id, package.DisplayName,
                $"{status}: {user.Mail}");
            if (!user.IsDeleted)
            {
                notifier.AccessEnded(c, assignment, package, user.Mail);
            }
        }
        await directory.RemoveFromRolesAsync(c.Db, lost, ct);
        await lifecycle.AfterAssignmentsEndedAsync(c, [.. users.Values], ending, ct);
        return removals;
    }
}

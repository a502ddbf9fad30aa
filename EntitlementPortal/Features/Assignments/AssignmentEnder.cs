using EntitlementPortal.Directory;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Lifecycle;
using EntitlementPortal.Features.Notifications;

namespace EntitlementPortal.Features.Assignments;

/// <summary>DESIGN.md rule 4: how any assignment ends — expiry, relinquish or removal.</summary>
public sealed class AssignmentEnder(IDirectory directory, Notifier notifier, ExternalUserLifecycle lifecycle)
{
    public async Task EndAsync(WriteContext c, AccessPackageAssignment assignment, RequestType why, CancellationToken ct)
    {
        var status = why switch
        {
            RequestType.UserRemove => "Relinquished",
            RequestType.AdminRemove => "Removed",
            _ => "Expired",
        };
        assignment.End(status, c.Now);
        var user = await c.FindAsync<DirectoryUser>(assignment.TargetUserId, ct);
        var package = await c.FindAsync<AccessPackage>(assignment.AccessPackageId, ct);
        var removal = AccessPackageAssignmentRequest.CreateRemoval(why, assignment, (c.Actor.UserId, c.Actor.Actor.Email), user, c.Now);
        c.Db.AssignmentRequests.Add(removal);
        // Flush inside the transaction so the queries below see this assignment as ended.
        await c.Db.SaveChangesAsync(ct);

        var packageRoles = await AccessGrants.PackageRoleIdsAsync(c.Db, assignment.AccessPackageId, ct);
        var keptByOthers = await AccessGrants.RolesFromOtherPackagesAsync(c.Db, user.Id, assignment.AccessPackageId, ct);
        await directory.RemoveFromRolesAsync(c.Db, user.Id, packageRoles.Except(keptByOthers).ToList(), ct);

        c.Audit(AuditCategory.EntitlementManagement, "Remove access package assignment", "AccessPackageAssignment", assignment.Id, package.DisplayName,
            $"{status}: {user.Mail}");
        if (!user.IsDeleted)
        {
            notifier.AccessEnded(c, assignment, package, user.Mail);
        }
        await lifecycle.AfterAssignmentEndedAsync(c, user, ct);
    }
}

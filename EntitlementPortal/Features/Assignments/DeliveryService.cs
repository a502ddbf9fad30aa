using EntitlementPortal.Data;
using EntitlementPortal.Directory;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Lifecycle;
using EntitlementPortal.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Assignments;

/// <summary>DESIGN.md rule 3: an approved request becomes an assignment, inviting the guest first where needed.</summary>
public sealed class DeliveryService(PortalStore store, IDirectory directory, Notifier notifier)
{
    public const int BatchSize = 200;

    /// <summary>Delivers every request waiting in Delivering; each in its own transaction, so one failure stops nothing else.</summary>
    public async Task<int> DeliverPendingAsync(CancellationToken ct = default)
    {
        var delivered = 0;
        while (true)
        {
            var ids = await store.ReadAsync(Actor.System, (db, _) => db.AssignmentRequests
                .Where(r => r.State == RequestState.Delivering)
                .OrderBy(r => r.CreatedDateTime)
                .Select(r => r.Id)
                .Take(BatchSize)
                .ToListAsync(ct), ct);
            foreach (var id in ids)
            {
                if (await DeliverAsync(id, ct))
                {
                    delivered++;
                }
            }
            if (ids.Count < BatchSize)
            {
                return delivered;
            }
        }
    }

    /// <summary>
    /// Delivers an approved request in the transaction that approves it, once the approval is saved, so access arrives
    /// with the approval; a delivery that fails leaves the request Delivering for the delivery sweep.
    /// </summary>
    public void DeliverWith(WriteContext c, AccessPackageAssignmentRequest request) =>
        c.FollowWith((system, ct) => DeliverAsync(system, request, ct));

    /// <summary>Returns false when another run already took the request.</summary>
    public Task<bool> DeliverAsync(Guid requestId, CancellationToken ct = default) =>
        store.WriteAsync(Actor.System, async c =>
        {
            var request = await c.Db.AssignmentRequests.SingleOrDefaultAsync(r => r.Id == requestId && r.State == RequestState.Delivering, ct);
            if (request is null)
            {
                return false;
            }
            await DeliverAsync(c, request, ct);
            return true;
        }, ct);

    private async Task DeliverAsync(WriteContext c, AccessPackageAssignmentRequest request, CancellationToken ct)
    {
        var package = await c.FindAsync<AccessPackage>(request.AccessPackageId, ct);
        // The request holds its own copy of what the policy decides (its expiration); the policy need only still exist, and
        // deleting it empties the request's reference (ON DELETE SET NULL) in the transaction that deletes it.
        if (request.AssignmentPolicyId is not { } policyId)
        {
            Fail(c, request, package, "The policy of this request no longer exists.");
        }
        else if (request.RequestType == RequestType.UserExtend)
        {
            await ExtendAsync(c, request, package, ct);
        }
        else
        {
            await GrantAsync(c, request, package, policyId, ct);
        }
    }

    private async Task GrantAsync(WriteContext c, AccessPackageAssignmentRequest request, AccessPackage package, Guid policyId, CancellationToken ct)
    {
        var user = request.TargetUserId is { } userId
            ? await c.Db.ActiveUserAsync(userId, ct)
            : await c.Db.ActiveUserByMailAsync(request.TargetEmail, ct);
        string? redeemToken = null;
        if (user is null)
        {
            if (request.TargetUserId is not null)
            {
                Fail(c, request, package, "The user has been removed from the directory.");
                return;
            }
            try
            {
                var invitation = await directory.InviteGuestAsync(c.Db, request.TargetEmail, request.TargetDisplayName, request.TargetConnectedOrganizationId, c.Now, ct);
                (user, redeemToken) = (invitation.User, invitation.RedeemToken);
            }
            catch (InvitationBlockedException blocked)
            {
                Fail(c, request, package, blocked.Message);
                return;
            }
            c.Audit(AuditCategory.UserManagement, "Invite external user", "User", user.Id, user.Mail, "Invited by entitlement management; governed");
        }
        var invitedNow = redeemToken is not null;
        // A guest invited just now holds no assignment yet.
        if (!invitedNow && await c.Db.Assignments.AnyAsync(a => a.TargetUserId == user.Id && a.AccessPackageId == package.Id && a.State != AssignmentState.Expired, ct))
        {
            Fail(c, request, package, "The user already has an active assignment to this access package.");
            return;
        }
        if (request.TargetConnectedOrganizationId is { } orgId)
        {
            user.JoinConnectedOrganization(orgId);
        }
        ExternalUserLifecycle.OnAssignmentDelivered(c, user);
        await directory.AddToRolesAsync(c.Db, user.Id, await AccessGrants.PackageRoleIdsAsync(c.Db, package.Id, ct), c.Now, ct);
        var assignment = AccessPackageAssignment.Deliver(package.Id, policyId, user.Id, request.Expiration.EndFor(c.Now, request.RequestedEndDateTime), c.Now);
        c.Db.Assignments.Add(assignment);
        request.AttachTargetUser(user);
        request.MarkDelivered(assignment.Id, c.Now);
        c.Audit(AuditCategory.EntitlementManagement, "Fulfill access package assignment", "AccessPackageAssignment", assignment.Id, package.DisplayName, user.Mail);
        notifier.AccessGranted(c, request, package, redeemToken);
    }

    private static async Task ExtendAsync(WriteContext c, AccessPackageAssignmentRequest request, AccessPackage package, CancellationToken ct)
    {
        var assignment = await c.FindAsync<AccessPackageAssignment>(request.AssignmentId!.Value, ct);
        var newEnd = request.Expiration.EndFor(c.Now);
        if (!assignment.IsActive || (assignment.ExpiredDateTime is { } end && newEnd is { } proposed && proposed <= end))
        {
            Fail(c, request, package, assignment.IsActive ? "The extension would not move the end date later." : "The assignment ended before the extension was delivered.");
            return;
        }
        assignment.Extend(newEnd);
        request.MarkDelivered(assignment.Id, c.Now);
        c.Audit(AuditCategory.EntitlementManagement, "Extend access package assignment", "AccessPackageAssignment", assignment.Id, package.DisplayName,
            $"{request.TargetEmail} until {newEnd:yyyy-MM-dd HH:mm}");
    }

    private static void Fail(WriteContext c, AccessPackageAssignmentRequest request, AccessPackage package, string reason)
    {
        request.FailDelivery(reason, c.Now);
        c.Audit(AuditCategory.EntitlementManagement, "Fulfill access package assignment", "AccessPackageAssignmentRequest", request.Id, package.DisplayName,
            $"{request.TargetEmail}: {reason}", result: "failure");
    }
}

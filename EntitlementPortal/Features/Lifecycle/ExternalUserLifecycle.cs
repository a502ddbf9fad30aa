using EntitlementPortal.Directory;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Assignments;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Lifecycle;

/// <summary>DESIGN.md rule 5: what happens to a governed guest who loses their last assignment.</summary>
public sealed class ExternalUserLifecycle(PortalStore store, IDirectory directory)
{
    public const int BatchSize = 500;

    /// <summary>
    /// For the users of assignments now ending: each governed guest left with no other active assignment meets the settings
    /// in force now; later setting changes never move what is scheduled here.
    /// </summary>
    public async Task AfterAssignmentsEndedAsync(WriteContext c, IReadOnlyCollection<DirectoryUser> users, IReadOnlyCollection<Guid> endingAssignmentIds, CancellationToken ct)
    {
        var guests = users.Where(u => u.IsGovernedGuest && !u.IsDeleted).ToList();
        if (guests.Count == 0)
        {
            return;
        }
        var stillAssigned = await AccessGrants.UsersStillAssignedAsync(c.Db, [.. guests.Select(u => u.Id)], endingAssignmentIds, ct);
        var settings = await c.Db.EntitlementManagementSettings.SingleAsync(ct);
        foreach (var guest in guests.Where(u => !stillAssigned.Contains(u.Id)))
        {
            await ApplyAsync(c, guest, settings, ct);
        }
    }

    private async Task ApplyAsync(WriteContext c, DirectoryUser user, EntitlementManagementSettings settings, CancellationToken ct)
    {
        if (settings is { RemoveExternalUser: true, DaysBeforeRemovingExternalUser: 0 })
        {
            await RemoveAsync(c, user, ct);
            return;
        }
        var block = settings.BlockExternalUserFromSigningIn && user.AccountEnabled;
        if (block)
        {
            user.BlockSignIn(c.Now);
        }
        if (settings.RemoveExternalUser)
        {
            user.ScheduleDeletion(c.Now.AddDays(settings.DaysBeforeRemovingExternalUser));
        }
        // One lifecycle action, one audit event: the block names the removal it schedules.
        var removal = settings.RemoveExternalUser ? $"removal on {user.ScheduledDeletionDateTime:yyyy-MM-dd}" : null;
        if (block)
        {
            c.Audit(AuditCategory.UserManagement, "Block external user from signing in", "User", user.Id, user.Mail,
                removal is null ? "Lost their last access package assignment" : $"Lost their last access package assignment; {removal}");
        }
        else if (removal is not null)
        {
            c.Audit(AuditCategory.UserManagement, "Schedule external user removal", "User", user.Id, user.Mail, $"Lost their last access package assignment; {removal}");
        }
    }

    /// <summary>A new assignment before removal cancels the block and the scheduled removal.</summary>
    public static void OnAssignmentDelivered(WriteContext c, DirectoryUser user)
    {
        if (user.CancelLifecycleActions())
        {
            c.Audit(AuditCategory.UserManagement, "Cancel external user lifecycle actions", "User", user.Id, user.Mail, "Received a new access package assignment");
        }
    }

    /// <summary>Removes the guests whose day has come; returns how many. Safe to run twice at once.</summary>
    public Task<int> RemoveDueGuestsAsync(CancellationToken ct = default) =>
        store.SweepAsync(BatchSize, async c =>
        {
            var due = await c.Db.Users
                .Where(u => u.ScheduledDeletionDateTime <= c.Now && u.DeletedDateTime == null)
                .OrderBy(u => u.ScheduledDeletionDateTime)
                .Take(BatchSize)
                .ToListAsync(ct);
            foreach (var user in due)
            {
                if (await AccessGrants.HasActiveAssignmentAsync(c.Db, user.Id, ct))
                {
                    OnAssignmentDelivered(c, user);
                    continue;
                }
                await RemoveAsync(c, user, ct);
            }
            return due.Count;
        }, ct);

    /// <summary>"Mark guest as governed": the guest becomes subject to the lifecycle settings.</summary>
    public Task MarkGuestAsGovernedAsync(Actor actor, Guid userId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.CanManageLifecycleSettings(), "mark guests as governed");
            var user = await c.FindAsync<DirectoryUser>(userId, ct);
            user.MarkGoverned();
            c.Audit(AuditCategory.UserManagement, "Mark guest as governed", "User", user.Id, user.Mail);
        }, ct);

    /// <summary>No e-mail: Entra does not notify when the account is removed.</summary>
    private async Task RemoveAsync(WriteContext c, DirectoryUser user, CancellationToken ct)
    {
        await directory.DeleteUserAsync(c.Db, user, c.Now, ct);
        c.Audit(AuditCategory.UserManagement, "Delete user", "User", user.Id, user.Mail, "External user removed by entitlement management lifecycle settings");
    }
}

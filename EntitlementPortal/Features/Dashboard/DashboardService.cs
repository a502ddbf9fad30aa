using EntitlementPortal.Domain;
using EntitlementPortal.Features.Access;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Dashboard;

public sealed record DashboardCounts(int PendingApprovals, int DeliveriesFailed, int AssignmentsExpiringIn14Days, int GuestsScheduledForRemoval);

/// <summary>The administrators' home: what needs attention, each an index-backed count.</summary>
public sealed class DashboardService(PortalStore store)
{
    public Task<DashboardCounts> GetAsync(Actor actor, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            a.Require(PortalAccessService.IsAdministrator(a), "see the dashboard");
            var now = store.Now;
            var horizon = now + AccessPackageAssignment.FirstReminder;
            return new DashboardCounts(
                await db.AssignmentRequests.CountAsync(r => r.State == RequestState.PendingApproval, ct),
                await db.AssignmentRequests.CountAsync(r => r.State == RequestState.DeliveryFailed, ct),
                await db.Assignments.CountAsync(x => x.State != AssignmentState.Expired && x.ExpiredDateTime > now && x.ExpiredDateTime <= horizon, ct),
                await db.Users.CountAsync(u => u.ScheduledDeletionDateTime != null && u.DeletedDateTime == null, ct));
        }, ct);
}

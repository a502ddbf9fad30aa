using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Assignments;

/// <summary>The "Sweep" section of appsettings.json.</summary>
public sealed class SweepOptions
{
    public const string Section = "Sweep";

    /// <summary>
    /// Due assignments ended per transaction. On SQLite the next batch is read while one is written, and larger batches
    /// pay; on PostgreSQL a batch is one SERIALIZABLE transaction racing people's requests, so it stays smaller.
    /// </summary>
    public int ExpiryBatchSize { get; set; }

    public static int DefaultExpiryBatchSize(DatabaseProvider provider) => provider == DatabaseProvider.Sqlite ? 1000 : 500;
}

/// <summary>Expires assignments whose end has come and sends the extension reminders; safe to run twice at once.</summary>
public sealed class AssignmentSweepService(PortalStore store, AssignmentEnder ender, Notifier notifier, IOptions<SweepOptions> options)
{
    private const int ReminderBatchSize = 500;

    /// <summary>The expiry job: end what is due, then remind those whose end is near.</summary>
    public async Task<(int Expired, int Reminded)> ProcessDueAsync(CancellationToken ct = default) =>
        (await ExpireDueAsync(ct), await SendRemindersAsync(ct));

    public Task<int> ExpireDueAsync(CancellationToken ct = default) =>
        store.SweepAheadAsync(options.Value.ExpiryBatchSize, async (c, scope) =>
        {
            var query = c.Db.Assignments.Where(a => a.State != AssignmentState.Expired && a.ExpiredDateTime <= c.Now);
            query = scope.Only is { } only ? query.Where(a => EF.Parameter(only).Contains(a.Id))
                : scope.Avoid.Count > 0 ? query.Where(a => !EF.Parameter(scope.Avoid).Contains(a.TargetUserId))
                : query;
            var due = await query.OrderBy(a => a.ExpiredDateTime).Take(scope.Size).ToListAsync(ct);
            await ender.EndAllAsync(c, due, RequestType.SystemRemove, ct);
            return new SweepBatch(due.Count, [.. due.Select(a => a.Id)], [.. due.Select(a => a.TargetUserId).Distinct()]);
        }, ct);

    /// <summary>"Extend access for … by …" 14 days and 1 day before expiry, where the policy allows extension.</summary>
    public Task<int> SendRemindersAsync(CancellationToken ct = default) =>
        store.SweepAsync(ReminderBatchSize, async c =>
        {
            var horizon = c.Now + AccessPackageAssignment.FirstReminder;
            var lastHorizon = c.Now + AccessPackageAssignment.LastReminder;
            var due = await (from a in c.Db.Assignments
                             join p in c.Db.AssignmentPolicies on a.AssignmentPolicyId equals p.Id
                             join pkg in c.Db.AccessPackages on a.AccessPackageId equals pkg.Id
                             join u in c.Db.Users on a.TargetUserId equals u.Id
                             where a.State != AssignmentState.Expired && p.CanExtend
                                   && a.ExpiredDateTime > c.Now && a.ExpiredDateTime <= horizon
                                   && (a.FourteenDayReminderDateTime == null || (a.ExpiredDateTime <= lastHorizon && a.OneDayReminderDateTime == null))
                             orderby a.ExpiredDateTime
                             select new { Assignment = a, Package = pkg, u.Mail })
                            .Take(ReminderBatchSize)
                            .ToListAsync(ct);
            var reminded = 0;
            foreach (var item in due)
            {
                if (item.Assignment.DueReminder(c.Now) is { } reminder)
                {
                    notifier.ExtendReminder(c, item.Assignment, item.Package, item.Mail, reminder);
                    item.Assignment.MarkReminderSent(reminder, c.Now);
                    reminded++;
                }
            }
            return reminded;
        }, ct);
}

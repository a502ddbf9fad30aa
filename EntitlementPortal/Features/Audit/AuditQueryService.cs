using System.Linq.Expressions;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Access;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Audit;

public sealed record AuditFilter(string? Category = null, string? Activity = null, string? Actor = null, string? Target = null, DateTime? From = null, DateTime? To = null);

/// <summary>The audit log for administrators: filtered, paged on the server, exportable.</summary>
public sealed class AuditQueryService(PortalStore store)
{
    public const int MaxExportRows = 100_000;

    /// <summary>
    /// Matches past this are not counted: one activity's events at ten times Entra's limits (600,000 of them) took 30 to
    /// 67 ms to count (benchmark "pages"). Entra's own audit log shows no count at all.
    /// </summary>
    public const int MaxCounted = 10_000;

    private static readonly Dictionary<string, Expression<Func<AuditEvent, object?>>> Columns = new()
    {
        ["ActivityDateTime"] = e => e.ActivityDateTime,
        ["Category"] = e => e.Category,
        ["Activity"] = e => e.Activity,
        ["ActorName"] = e => e.ActorName,
        ["TargetName"] = e => e.TargetName,
    };

    public Task<PagedResult<AuditEvent>> SearchAsync(Actor actor, AuditFilter filter, PageRequest page, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            a.Require(PortalAccessService.IsAdministrator(a), "read the audit log");
            var query = Filter(db, filter);
            var sorted = page with { Descending = page.SortBy is null || page.Descending };
            return await query.PageCountingUpToAsync(query.SortAndPage(sorted, Columns, "ActivityDateTime"), MaxCounted, ct);
        }, ct);

    public Task<List<string>> ActivitiesAsync(Actor actor, CancellationToken ct = default) =>
        store.ReadAsync(actor, (db, a) =>
        {
            a.Require(PortalAccessService.IsAdministrator(a), "read the audit log");
            return db.AuditEvents.Select(e => e.Activity).Distinct().OrderBy(x => x).ToListAsync(ct);
        }, ct);

    public Task<string> ExportCsvAsync(Actor actor, AuditFilter filter, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            a.Require(PortalAccessService.IsAdministrator(a), "export the audit log");
            var rows = await Filter(db, filter).OrderByDescending(e => e.ActivityDateTime).Take(MaxExportRows).ToListAsync(ct);
            return Csv.Write(["Date (UTC)", "Category", "Activity", "Actor", "Target type", "Target", "Result", "Details"],
                rows.Select(e => new[] { e.ActivityDateTime.ToString("u"), e.Category, e.Activity, e.ActorName, e.TargetType, e.TargetName, e.Result, e.Details }));
        }, ct);

    private static IQueryable<AuditEvent> Filter(PortalDbContext db, AuditFilter f)
    {
        var query = db.AuditEvents.AsQueryable();
        if (!string.IsNullOrWhiteSpace(f.Category))
        {
            query = query.Where(e => e.Category == f.Category);
        }
        if (!string.IsNullOrWhiteSpace(f.Activity))
        {
            query = query.Where(e => e.Activity == f.Activity);
        }
        if (!string.IsNullOrWhiteSpace(f.Actor))
        {
            var actorText = f.Actor.Trim().ToLowerInvariant();
            query = query.Where(e => e.ActorName.Contains(actorText));
        }
        if (!string.IsNullOrWhiteSpace(f.Target))
        {
            var target = f.Target.Trim();
            query = query.Where(e => e.TargetName.Contains(target) || e.TargetId == target);
        }
        if (f.From is { } from)
        {
            query = query.Where(e => e.ActivityDateTime >= from);
        }
        if (f.To is { } to)
        {
            query = query.Where(e => e.ActivityDateTime < to);
        }
        return query;
    }
}

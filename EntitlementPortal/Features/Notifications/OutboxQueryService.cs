using EntitlementPortal.Domain;
using EntitlementPortal.Features.Access;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Notifications;

/// <summary>The outbox for administrators: what was sent, what waits, what failed and why.</summary>
public sealed class OutboxQueryService(PortalStore store)
{
    public Task<PagedResult<OutboxEmail>> SearchAsync(Actor actor, string? to, bool onlyUnsent, PageRequest page, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            a.Require(PortalAccessService.IsAdministrator(a), "read the outbox");
            var query = db.OutboxEmails.AsQueryable();
            if (!string.IsNullOrWhiteSpace(to))
            {
                var text = to.Trim().ToLowerInvariant();
                query = query.Where(e => e.To.Contains(text));
            }
            if (onlyUnsent)
            {
                query = query.Where(e => e.SentDateTime == null);
            }
            var items = await query.OrderByDescending(e => e.Id).Skip(page.Skip).Take(page.Size).ToListAsync(ct);
            return new PagedResult<OutboxEmail>(items, await query.CountAsync(ct));
        }, ct);
}

using System.Data;
using System.Data.Common;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Common;

/// <summary>One context per operation; writes run in one transaction with their audit events.</summary>
public sealed class PortalStore(IDbContextFactory<PortalDbContext> factory, TimeProvider clock, ILogger<PortalStore> logger)
{
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    private const int MaxAttempts = 8;

    /// <summary>
    /// On SQLite the transaction begins IMMEDIATE, so concurrent writers queue and each one reads the state the
    /// previous one committed. On PostgreSQL it is SERIALIZABLE: of two writers that would each miss the other's change,
    /// one fails and runs again on fresh state. Either way the guards in the domain then make every transition happen once.
    /// </summary>
    public Task<T> WriteAsync<T>(Actor actor, Func<WriteContext, Task<T>> work, CancellationToken ct = default) =>
        WriteAsync(actor, work, setBased: false, ct);

    private async Task<T> WriteAsync<T>(Actor actor, Func<WriteContext, Task<T>> work, bool setBased, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(actor, work, setBased, ct);
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsSerializationFailure(ex))
            {
                // Backing off with jitter lets a long batch through a stream of short writes that would abort it each time.
                logger.LogDebug("A concurrent change came first; running the operation again ({Attempt})", attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) << attempt), ct);
            }
        }
    }

    private async Task<T> WriteOnceAsync<T>(Actor actor, Func<WriteContext, Task<T>> work, bool setBased, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.WritesSetBased = setBased;
        await using var tx = db.Database.IsSqlite()
            ? await db.Database.BeginTransactionAsync(ct)
            : await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var context = new WriteContext(db, await ActorContext.LoadAsync(db, actor, ct), Now);
        var result = await work(context);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        foreach (var next in context.Committed)
        {
            // The change itself is saved; follow-up work that fails is left to the sweeps, which do the same.
            try
            {
                await next(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Work after a committed change failed; the sweeps will retry it");
            }
        }
        return result;
    }

    /// <summary>
    /// PostgreSQL's serialization failure or deadlock, wherever EF wrapped it. A unique index refusal counts too: under
    /// SERIALIZABLE it is how PostgreSQL reports a concurrent insert, and the run on fresh state meets the domain's guard.
    /// </summary>
    private static bool IsSerializationFailure(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is DbException { SqlState: "40001" or "40P01" or "23505" })
            {
                return true;
            }
        }
        return false;
    }

    public Task WriteAsync(Actor actor, Func<WriteContext, Task> work, CancellationToken ct = default) =>
        WriteAsync(actor, async c => { await work(c); return true; }, ct);

    /// <summary>
    /// A system sweep: batch after batch, each its own transaction written set-based, until one comes back short.
    /// </summary>
    public async Task<int> SweepAsync(int batchSize, Func<WriteContext, Task<int>> batch, CancellationToken ct = default)
    {
        var total = 0;
        while (true)
        {
            var done = await WriteAsync(Actor.System, batch, setBased: true, ct);
            total += done;
            if (done < batchSize)
            {
                return total;
            }
        }
    }

    public async Task<T> ReadAsync<T>(Actor actor, Func<PortalDbContext, ActorContext, Task<T>> query, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        return await query(db, await ActorContext.LoadAsync(db, actor, ct));
    }
}

public sealed class WriteContext(PortalDbContext db, ActorContext actor, DateTime now)
{
    public PortalDbContext Db { get; } = db;
    public ActorContext Actor { get; } = actor;
    public DateTime Now { get; } = now;

    internal List<Func<CancellationToken, Task>> Committed { get; } = [];

    /// <summary>Runs once this change is committed, in a transaction of its own: what a sweep would do later, done now.</summary>
    public void OnCommitted(Func<CancellationToken, Task> next) => Committed.Add(next);

    public void Audit(string category, string activity, string targetType, object targetId, string targetName, string? details = null, string result = "success") =>
        Db.AuditEvents.Add(AuditEvent.Create(Now, category, activity, Actor.Actor.UserId ?? Actor.UserId, Actor.Actor.Name,
            targetType, targetId.ToString()!, targetName, details, result));

    /// <summary>For a change the user made themselves without a session, proving who they are with a link's token.</summary>
    public void AuditByUser(DirectoryUser user, string category, string activity, string? details = null) =>
        Db.AuditEvents.Add(AuditEvent.Create(Now, category, activity, user.Id, user.Mail, "User", user.Id.ToString(), user.Mail, details, "success"));

    public async Task<T> FindAsync<T>(object id, CancellationToken ct) where T : class =>
        await Db.Set<T>().FindAsync([id], ct) ?? throw new NotFoundException(typeof(T).Name, id);
}

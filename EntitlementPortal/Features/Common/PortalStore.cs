using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EntitlementPortal.Features.Common;

/// <summary>One context per operation; writes run in one transaction with their audit events.</summary>
public sealed class PortalStore(IDbContextFactory<PortalDbContext> factory, TimeProvider clock, ILogger<PortalStore> logger, PreparedSqliteConnections? connections = null)
{
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    // A person's change cancelled by another node's concurrent change runs again for up to this long: under SERIALIZABLE
    // two nodes writing at once cancel each other often, the same pair again and again, and eight runs were not always
    // enough (benchmark "requests --nodes 2" on PostgreSQL).
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(30);

    // A sweep batch is long and runs in the background: it waits out a stream of people's short writes rather than give up.
    private const int MaxSweepAttempts = 16;

    /// <summary>This node's turns at writing (SQLite's across the process).</summary>
    internal WriteQueue Writers { get; } = new();

    /// <summary>
    /// Writers first take their turn in <see cref="Writers"/>. On SQLite the transaction begins IMMEDIATE, so each one
    /// reads the state the previous one committed. On PostgreSQL it is SERIALIZABLE: of two nodes' writers that would
    /// each miss the other's change, one fails and runs again on fresh state. Either way the guards in the domain then
    /// make every transition happen once.
    /// </summary>
    public Task<T> WriteAsync<T>(Actor actor, Func<WriteContext, Task<T>> work, CancellationToken ct = default) =>
        WriteAsync(actor, work, sweep: false, ct);

    private async Task<T> WriteAsync<T>(Actor actor, Func<WriteContext, Task<T>> work, bool sweep, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(actor, work, sweep, ct);
            }
            catch (Exception ex) when (SerializationFailure.IsIn(ex))
            {
                if (sweep ? attempt >= MaxSweepAttempts : Stopwatch.GetElapsedTime(started) >= RetryFor)
                {
                    logger.LogError(ex, "Concurrent changes cancelled the operation {Attempts} times; it was given up", attempt);
                    throw;
                }
                // Backing off with jitter lets a long batch through a stream of short writes that would abort it each time;
                // a person waits at most a few tenths of a second between runs.
                logger.LogDebug("A concurrent change came first; running the operation again ({Attempt})", attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) << Math.Min(attempt, sweep ? 7 : 4)), ct);
            }
        }
    }

    private async Task<T> WriteOnceAsync<T>(Actor actor, Func<WriteContext, Task<T>> work, bool sweep, CancellationToken ct)
    {
        await using var db = await NewUnitOfWorkAsync(sweep, ct);
        if (!sweep && db.OnSqlite)
        {
            return (T)(await WriteTogetherAsync(db, new WaitingChange(this, actor, async c => await work(c), ct)))!;
        }
        WriteContext context;
        T result;
        using (await Writers.EnterAsync(db, ct))
        {
            await using var tx = db.OnSqlite
                ? await db.Database.BeginTransactionAsync(ct)
                : await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            context = new WriteContext(db, await ActorContext.LoadAsync(db, actor, ct), Now);
            result = await work(context);
            await SaveAndCommitAsync(db, tx, context, ct);
        }
        return result;
    }

    /// <summary>The most changes one commit writes together.</summary>
    private const int MaxChangesTogether = 64;

    /// <summary>
    /// On SQLite a person's change waits for the writer's turn in a queue of changes. Whoever gets the turn writes every
    /// change waiting, in the order they came, each behind its savepoint, in one transaction: one commit for all.
    /// <list type="bullet">
    /// <item>The commit (writing the WAL's pages and syncing them) was a third of a request's time. Changes written
    /// together share it, and the pages they all touch (the last page of each table and index) go down once.</item>
    /// <item>A change that fails is undone alone, back to its savepoint, and its author gets the error; the others still
    /// commit. If the commit fails, every change of it fails.</item>
    /// <item>Each change still reads what the changes before it wrote, as one after another: they run in turn, on one
    /// connection, and nothing is answered before the commit.</item>
    /// <item>A change alone is written as before, without a savepoint.</item>
    /// </list>
    /// </summary>
    private async Task<object?> WriteTogetherAsync(PortalDbContext db, WaitingChange change)
    {
        var waiting = Writers.ChangesWaiting<WaitingChange>(db);
        waiting.Enqueue(change);
        if (Writers.TryEnter(db, out var free))
        {
            using (free)
            {
                await WriteWaitingAsync(db, waiting, change);
            }
            return await change.Written.Task;
        }
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(change.Cancellation);
        var turn = Writers.EnterAsync(db, stopWaiting.Token);
        try
        {
            if (await Task.WhenAny(change.Written.Task, turn) != turn)
            {
                // Written by the writer whose turn came first.
                await stopWaiting.CancelAsync();
                await PassOnAsync(turn);
                return await change.Written.Task;
            }
            using (await turn)
            {
                await WriteWaitingAsync(db, waiting, change);
            }
        }
        catch (Exception) when (!change.Abandon())
        {
            // No turn (cancelled, or the wait ran out), but another writer took the change already: its outcome stands.
        }
        return await change.Written.Task;
    }

    /// <summary>
    /// The changes waiting, in commits of up to <see cref="MaxChangesTogether"/>, until this one is written: on the
    /// writer's connection, whose pages and statements stay warm, as nobody else writes.
    /// </summary>
    private async Task WriteWaitingAsync(PortalDbContext db, ConcurrentQueue<WaitingChange> waiting, WaitingChange change)
    {
        connections?.LendWriter(db);
        try
        {
            await WriteChangesWaitingAsync(db, waiting, change);
        }
        finally
        {
            // Before the turn passes on: the next writer takes the connection.
            db.GiveBackConnection();
        }
    }

    private async Task WriteChangesWaitingAsync(PortalDbContext db, ConcurrentQueue<WaitingChange> waiting, WaitingChange change)
    {
        while (change.IsWaiting)
        {
            var changes = new List<WaitingChange>();
            while (changes.Count < MaxChangesTogether && waiting.TryDequeue(out var next))
            {
                if (next.Take())
                {
                    changes.Add(next);
                }
            }
            if (changes.Count > 0)
            {
                await WriteInOneTransactionAsync(db, changes);
            }
        }
    }

    private static async Task PassOnAsync(Task<WriteQueue.Turn> turn)
    {
        try
        {
            (await turn).Dispose();
        }
        catch (OperationCanceledException)
        {
            // It stopped waiting before the turn came.
        }
    }

    private async Task WriteInOneTransactionAsync(PortalDbContext db, List<WaitingChange> changes)
    {
        const string savepoint = "change";
        var alone = changes.Count == 1;
        var written = new List<(WaitingChange Change, WriteContext Context, object? Result)>();
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            foreach (var change in changes)
            {
                if (!alone)
                {
                    await tx.CreateSavepointAsync(savepoint);
                }
                try
                {
                    var context = new WriteContext(db, await ActorContext.LoadAsync(db, change.Actor, change.Cancellation), change.Store.Now);
                    var result = await change.Work(context);
                    await SaveAsync(db, tx, context, change.Cancellation);
                    if (!alone)
                    {
                        await tx.ReleaseSavepointAsync(savepoint);
                    }
                    written.Add((change, context, result));
                }
                catch (Exception ex) when (!alone)
                {
                    // Undone alone; if even that fails, the transaction is lost and so is every change in it.
                    await tx.RollbackToSavepointAsync(savepoint);
                    await tx.ReleaseSavepointAsync(savepoint);
                    change.Written.TrySetException(ex);
                }
                finally
                {
                    db.DiscardUnsaved();
                }
            }
            if (written.Count > 0)
            {
                await CommitAsync(db, tx, [.. written.Select(w => w.Context)], CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            foreach (var change in changes)
            {
                change.Written.TrySetException(ex);
            }
            return;
        }
        foreach (var (change, _, result) in written)
        {
            change.Written.TrySetResult(result);
        }
    }

    /// <summary>A person's change waiting for the writer's turn (<see cref="WriteTogetherAsync"/>).</summary>
    private sealed class WaitingChange(PortalStore store, Actor actor, Func<WriteContext, Task<object?>> work, CancellationToken cancellation)
    {
        private const int Waiting = 0, Taken = 1, Abandoned = 2;
        private int state = Waiting;

        /// <summary>Whether a writer may write it: not if its author gave up waiting first.</summary>
        public bool Take() => Interlocked.CompareExchange(ref state, Taken, Waiting) == Waiting;

        public bool IsWaiting => Volatile.Read(ref state) == Waiting;

        /// <summary>Whether its author may give up: not once a writer has taken it.</summary>
        public bool Abandon() => Interlocked.CompareExchange(ref state, Abandoned, Waiting) == Waiting;

        public PortalStore Store { get; } = store;
        public Actor Actor { get; } = actor;
        public Func<WriteContext, Task<object?>> Work { get; } = work;
        public CancellationToken Cancellation { get; } = cancellation;
        public TaskCompletionSource<object?> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task<PortalDbContext> NewUnitOfWorkAsync(bool sweep, CancellationToken ct)
    {
        // A person's change on SQLite is written on the writer's connection, lent with the turn (WriteWaitingAsync).
        var db = await NewContextAsync(lend: sweep, ct);
        // A person's change too: its plain rows go down on statements the writer's connection keeps prepared, where EF's
        // update pipeline built each save's statements and their parameters anew (a third of the memory a request took).
        db.WritesSetBased = true;
        db.SavedRowsStayTracked = !sweep;
        // A unit is undone whole when it fails, a follow-up behind its own savepoint: EF's savepoint around each save
        // would cost two statements a save for nothing. The pool turns it back on for the context's next use.
        db.Database.AutoSavepointsEnabled = false;
        return db;
    }

    private async Task SaveAndCommitAsync(PortalDbContext db, IDbContextTransaction tx, WriteContext context, CancellationToken ct)
    {
        await SaveAsync(db, tx, context, ct);
        await CommitAsync(db, tx, [context], ct);
    }

    private async Task SaveAsync(PortalDbContext db, IDbContextTransaction tx, WriteContext context, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        // A follow-up may add another: each runs once, in order.
        for (var i = 0; i < context.FollowUps.Count; i++)
        {
            await FollowUpAsync(db, tx, context, context.FollowUps[i], ct);
        }
    }

    /// <summary>
    /// Runs what follows the saved change as the system, behind a savepoint. If it fails, it alone is undone and the change
    /// commits: the sweep that does the same work picks it up. A conflict with another node's change is not a failure of the
    /// follow-up: the whole unit runs again.
    /// </summary>
    private async Task FollowUpAsync(PortalDbContext db, IDbContextTransaction tx, WriteContext context, Func<WriteContext, CancellationToken, Task> followUp, CancellationToken ct)
    {
        const string savepoint = "follow_up";
        await tx.CreateSavepointAsync(savepoint, ct);
        try
        {
            await followUp(context.AsSystem(), ct);
            await db.SaveChangesAsync(ct);
            await tx.ReleaseSavepointAsync(savepoint, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !SerializationFailure.IsIn(ex))
        {
            await tx.RollbackToSavepointAsync(savepoint, ct);
            db.DiscardUnsaved();
            logger.LogWarning(ex, "Work that follows a saved change failed and was undone alone; the sweeps will do it later");
        }
    }

    /// <summary>
    /// Commits numbered on SQLite, across the process: a sweep batch decided ahead is written only if no commit but its own
    /// sweep's came after it began reading. SQLite serves one process (README); its writers queue on one lock, and a number
    /// is taken while the lock is held, so the next writer always sees it.
    /// </summary>
    private static long commitsBegun;
    private static long commitsEnded;

    private static async Task CommitAsync(PortalDbContext db, IDbContextTransaction tx, IReadOnlyList<WriteContext> contexts, CancellationToken ct)
    {
        if (!db.OnSqlite)
        {
            await tx.CommitAsync(ct);
            return;
        }
        var commit = Interlocked.Increment(ref commitsBegun);
        foreach (var context in contexts)
        {
            context.Commit = commit;
        }
        try
        {
            await tx.CommitAsync(ct);
        }
        finally
        {
            Interlocked.Increment(ref commitsEnded);
        }
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
            var done = await WriteAsync(Actor.System, batch, sweep: true, ct);
            total += done;
            if (done < batchSize)
            {
                return total;
            }
        }
    }

    /// <summary>
    /// A sweep that reads and decides its next batch while the last one is written, so that both cores work; on other
    /// databases than SQLite, batch after batch as <see cref="SweepAsync"/>. The batch read ahead leaves out the users
    /// the batch in flight holds, so neither decides on what the other changes; it is written only if nobody else
    /// committed since it began reading, and otherwise decided again on the same rows under the write lock.
    /// </summary>
    public async Task<int> SweepAheadAsync(int batchSize, Func<WriteContext, SweepScope, Task<SweepBatch>> batch, CancellationToken ct = default)
    {
        Task<int> OneAfterAnother() => SweepAsync(batchSize, async c => (await batch(c, SweepScope.Any(batchSize))).Done, ct);
        await using (var probe = await factory.CreateDbContextAsync(ct))
        {
            if (!probe.OnSqlite)
            {
                return await OneAfterAnother();
            }
        }
        var total = 0;
        var lastOwnCommit = 0L;
        var ahead = await ReadAheadAsync(batch, SweepScope.Any(batchSize), ct);
        while (true)
        {
            var current = ahead;
            var following = current.Batch.Done < batchSize ? null
                : Task.Run(() => ReadAheadAsync(batch, new SweepScope(batchSize, current.Batch.Holds, null), ct), ct);
            try
            {
                (var done, lastOwnCommit) = await WriteAheadAsync(current, batch, lastOwnCommit, ct);
                total += done;
            }
            catch
            {
                if (following is not null)
                {
                    await DiscardAsync(following);
                }
                throw;
            }
            if (following is null)
            {
                break;
            }
            ahead = await following;
        }
        // Rows passed over while their users were held by the batch in flight.
        return total + await OneAfterAnother();
    }

    private sealed record Ahead(PortalDbContext Db, WriteContext Context, SweepBatch Batch, long StartCommit);

    /// <summary>A context for one unit of work; on SQLite on an open connection that keeps its prepared statements.</summary>
    private async Task<PortalDbContext> NewContextAsync(bool lend, CancellationToken ct)
    {
        var db = await factory.CreateDbContextAsync(ct);
        if (lend)
        {
            connections?.Lend(db);
        }
        return db;
    }

    private async Task<Ahead> ReadAheadAsync(Func<WriteContext, SweepScope, Task<SweepBatch>> batch, SweepScope scope, CancellationToken ct)
    {
        var start = Volatile.Read(ref commitsBegun);
        // A commit numbered before the reads must be visible to them.
        while (Volatile.Read(ref commitsEnded) < start)
        {
            await Task.Delay(1, ct);
        }
        var db = await NewUnitOfWorkAsync(sweep: true, ct);
        try
        {
            var context = new WriteContext(db, await ActorContext.LoadAsync(db, Actor.System, ct), Now);
            var decided = await batch(context, scope);
            // The changes are detected here, off the writing path; the save then finds them already detected. The pool
            // turns detection back on for the context's next use.
            db.ChangeTracker.DetectChanges();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            return new Ahead(db, context, decided, start);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    private async Task<(int Done, long Commit)> WriteAheadAsync(Ahead ahead, Func<WriteContext, SweepScope, Task<SweepBatch>> batch, long lastOwnCommit, CancellationToken ct)
    {
        await using (var db = ahead.Db)
        {
            var written = false;
            using (await Writers.EnterAsync(db, ct))
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var now = Volatile.Read(ref commitsBegun);
                if (now == ahead.StartCommit || (now == ahead.StartCommit + 1 && now == lastOwnCommit))
                {
                    await SaveAndCommitAsync(db, tx, ahead.Context, ct);
                    written = true;
                }
            }
            if (written)
            {
                return (ahead.Batch.Done, ahead.Context.Commit);
            }
        }
        logger.LogDebug("Another change was committed while a sweep batch was decided ahead; deciding it again");
        WriteContext? again = null;
        var redone = await WriteAsync(Actor.System, c => { again = c; return batch(c, new SweepScope(ahead.Batch.Taken.Count, [], ahead.Batch.Taken)); }, sweep: true, ct);
        return (redone.Done, again!.Commit);
    }

    private static async Task DiscardAsync(Task<Ahead> following)
    {
        try
        {
            await (await following).Db.DisposeAsync();
        }
        catch (Exception)
        {
            // The batch in flight failed first; that is the error to report.
        }
    }

    public async Task<T> ReadAsync<T>(Actor actor, Func<PortalDbContext, ActorContext, Task<T>> query, CancellationToken ct = default)
    {
        await using var db = await NewContextAsync(lend: true, ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        return await query(db, await ActorContext.LoadAsync(db, actor, ct));
    }
}

public sealed class WriteContext(PortalDbContext db, ActorContext actor, DateTime now)
{
    public PortalDbContext Db { get; } = db;
    public ActorContext Actor { get; } = actor;
    public DateTime Now { get; } = now;

    internal List<Func<WriteContext, CancellationToken, Task>> FollowUps { get; private init; } = [];

    /// <summary>The number of this unit's commit on SQLite (<see cref="PortalStore"/>).</summary>
    internal long Commit { get; set; }

    /// <summary>
    /// Runs as the system once this change is saved, in the same transaction: what a sweep would do later, done now and
    /// committed with it. If it fails, the change still commits without it, and the sweep does it.
    /// </summary>
    public void FollowWith(Func<WriteContext, CancellationToken, Task> followUp) => FollowUps.Add(followUp);

    /// <summary>The same unit of work, acting as the system: its audit events name the portal, not the person.</summary>
    internal WriteContext AsSystem() => new(Db, ActorContext.System, Now) { FollowUps = FollowUps };

    public void Audit(string category, string activity, string targetType, object targetId, string targetName, string? details = null, string result = "success") =>
        Db.Append(AuditEvent.Create(Now, category, activity, Actor.Actor.UserId ?? Actor.UserId, Actor.Actor.Name,
            targetType, targetId.ToString()!, targetName, details, result));

    /// <summary>For a change the user made themselves without a session, proving who they are with a link's token.</summary>
    public void AuditByUser(DirectoryUser user, string category, string activity, string? details = null) =>
        Db.Append(AuditEvent.Create(Now, category, activity, user.Id, user.Mail, "User", user.Id.ToString(), user.Mail, details, "success"));

    public async Task<T> FindAsync<T>(object id, CancellationToken ct) where T : class =>
        await Db.Set<T>().FindAsync([id], ct) ?? throw new NotFoundException(typeof(T).Name, id);
}

/// <summary>
/// Which due rows a sweep batch may take, up to <see cref="Size"/>: any but those of the users in <see cref="Avoid"/> (held
/// by the batch in flight), or, when it is decided again, exactly <see cref="Only"/>.
/// </summary>
public sealed record SweepScope(int Size, IReadOnlyList<Guid> Avoid, IReadOnlyList<Guid>? Only)
{
    public static SweepScope Any(int size) => new(size, [], null);
}

/// <summary>What a sweep batch did: how many rows, which (<see cref="Taken"/>), and the users whose rows it changed (<see cref="Holds"/>).</summary>
public sealed record SweepBatch(int Done, IReadOnlyList<Guid> Taken, IReadOnlyList<Guid> Holds);

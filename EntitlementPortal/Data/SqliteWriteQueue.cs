using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Data;

/// <summary>
/// Writers of one SQLite database take their turn here, in the order they came, before they begin their transaction.
/// SQLite lets one writer in at a time, and Microsoft.Data.Sqlite waits for a busy database by sleeping and trying
/// again: with four people writing at once, one of them lost every retry for 7.7 s while the others went on (benchmark
/// <c>requests --people 4</c>), and at 30 s it would have failed. SQLite serves one process (README), so a queue in the
/// process holds every writer; on other databases there is none.
/// </summary>
public static class SqliteWriteQueue
{
    private static readonly ConcurrentDictionary<string, Queue> Queues = new(StringComparer.Ordinal);

    /// <summary>As long as Microsoft.Data.Sqlite would have waited for the database itself.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>Waits for this database's turn; dispose the result to pass it on.</summary>
    public static async Task<Turn> EnterAsync(PortalDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return default;
        }
        var queue = Queues.GetOrAdd(DatabaseFile(db), _ => new Queue());
        Interlocked.Increment(ref queue.Waiting);
        try
        {
            // SemaphoreSlim lets its asynchronous waiters in first come, first served.
            if (!await queue.Turns.WaitAsync(MaxWait, ct))
            {
                throw new TimeoutException($"Another change has held the database for over {MaxWait.TotalSeconds:0} seconds.");
            }
        }
        finally
        {
            Interlocked.Decrement(ref queue.Waiting);
        }
        return new Turn(queue.Turns);
    }

    /// <summary>How many writers wait for their turn at the database: for tests of the order.</summary>
    internal static int Waiting(PortalDbContext db) => Queues.TryGetValue(DatabaseFile(db), out var queue) ? Volatile.Read(ref queue.Waiting) : 0;

    private static string DatabaseFile(PortalDbContext db)
    {
        var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        return file is "" or ":memory:" ? file : Path.GetFullPath(file);
    }

    private sealed class Queue
    {
        public readonly SemaphoreSlim Turns = new(1, 1);
        public int Waiting;
    }

    public readonly struct Turn(SemaphoreSlim? queue) : IDisposable
    {
        public void Dispose() => queue?.Release();
    }
}

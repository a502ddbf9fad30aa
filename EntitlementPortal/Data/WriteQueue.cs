using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Data;

/// <summary>
/// Writers take their turn here, in the order they came, before they begin their transaction.
/// <list type="bullet">
/// <item>SQLite lets one writer in at a time, and Microsoft.Data.Sqlite waits for a busy database by sleeping and trying
/// again: with four people writing at once, one of them lost every retry for 8.4 s while the others went on, and at 30 s
/// the write fails. SQLite serves one process (README), so its writers queue per database file across the process.</item>
/// <item>On PostgreSQL the writers of one node queue likewise. Run at once under SERIALIZABLE, they failed each other:
/// with four people at once a request ran up to 30 times, and fewer requests a second went through than one person's.
/// Between nodes, SERIALIZABLE still decides and the one that loses runs again.</item>
/// </list>
/// </summary>
public sealed class WriteQueue
{
    private static readonly ConcurrentDictionary<string, Queue> SqliteFiles = new(StringComparer.Ordinal);

    // Each connection string's queue, found without parsing it again at every write.
    private static readonly ConcurrentDictionary<string, Queue> SqliteConnections = new(StringComparer.Ordinal);

    /// <summary>As long as Microsoft.Data.Sqlite would have waited for the database itself.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly Queue node = new();

    /// <summary>Waits for this writer's turn; dispose the result to pass it on.</summary>
    public async Task<Turn> EnterAsync(PortalDbContext db, CancellationToken ct)
    {
        var queue = QueueOf(db);
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

    /// <summary>The turn, if nobody holds it or waits for it now.</summary>
    public bool TryEnter(PortalDbContext db, out Turn turn)
    {
        var queue = QueueOf(db);
        turn = new Turn(queue.Turns);
        return queue.Turns.Wait(0);
    }

    /// <summary>
    /// Changes that wait for this database's turn, left for the writer whose turn it is to write with its own (one queue per
    /// database and kind of change, shared as the turns are).
    /// </summary>
    public ConcurrentQueue<T> ChangesWaiting<T>(PortalDbContext db)
    {
        var queue = QueueOf(db);
        return (ConcurrentQueue<T>)queue.Changes.GetOrAdd(typeof(T), _ => new ConcurrentQueue<T>());
    }

    /// <summary>How many writers wait for their turn: for tests of the order.</summary>
    internal int Waiting(PortalDbContext db) => Volatile.Read(ref QueueOf(db).Waiting);

    private Queue QueueOf(PortalDbContext db) =>
        db.OnSqlite ? SqliteConnections.GetOrAdd(db.Database.GetConnectionString()!, c => SqliteFiles.GetOrAdd(SqliteFile(c), _ => new Queue())) : node;

    private static string SqliteFile(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return file is "" or ":memory:" ? file : Path.GetFullPath(file);
    }

    private sealed class Queue
    {
        public readonly SemaphoreSlim Turns = new(1, 1);
        public readonly ConcurrentDictionary<Type, object> Changes = new();
        public int Waiting;
    }

    public readonly struct Turn(SemaphoreSlim queue) : IDisposable
    {
        public void Dispose() => queue.Release();
    }
}

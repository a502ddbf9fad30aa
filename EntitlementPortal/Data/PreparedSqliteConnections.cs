using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Data;

/// <summary>
/// Open <see cref="PreparedSqliteConnection"/>s lent to the store's units of work on SQLite, so the statements they
/// prepared serve the next unit too. A unit gets one for its context and gives it back when the context is disposed.
/// </summary>
public sealed class PreparedSqliteConnections(string connectionString) : IDisposable
{
    // More than the units that run at once: the rest are closed when given back.
    private const int MaxIdle = 32;

    private readonly ConcurrentBag<PreparedSqliteConnection> idle = [];
    private bool disposed;

    /// <summary>Hands the context an open connection of its own until it is disposed (<see cref="PortalDbContext"/>).</summary>
    public void Lend(PortalDbContext db)
    {
        if (!idle.TryTake(out var connection))
        {
            connection = new PreparedSqliteConnection(connectionString);
            connection.Open();
            SqliteConnectionSetup.SetUpOnce(connection);
        }
        db.Database.SetDbConnection(connection, contextOwnsConnection: false);
        db.Lender = this;
    }

    internal void GiveBack(PreparedSqliteConnection connection)
    {
        // A connection left in a transaction, or broken, is not lent again.
        if (Volatile.Read(ref disposed) || connection.State != System.Data.ConnectionState.Open || connection.InTransaction || idle.Count >= MaxIdle)
        {
            connection.Dispose();
            return;
        }
        idle.Add(connection);
    }

    public void Dispose()
    {
        Volatile.Write(ref disposed, true);
        while (idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Data;

/// <summary>
/// Open <see cref="PreparedSqliteConnection"/>s lent to the store's units of work on SQLite, so the statements they
/// prepared serve the next unit too. A unit gets one for its context and gives it back when the context is disposed;
/// people's changes are written on one more, the writer's, lent with the writer's turn.
/// </summary>
public sealed class PreparedSqliteConnections(string connectionString) : IDisposable
{
    // More than the units that run at once: the rest are closed when given back.
    private const int MaxIdle = 32;

    private readonly ConcurrentBag<PreparedSqliteConnection> idle = [];
    private bool disposed;

    /// <summary>The connection of whoever holds the writer's turn: only they write, so its page cache stays valid.</summary>
    private PreparedSqliteConnection? writer;

    /// <summary>Hands the context an open connection of its own until it is disposed (<see cref="PortalDbContext"/>).</summary>
    public void Lend(PortalDbContext db) => LendTo(db, idle.TryTake(out var connection) ? connection : Open());

    /// <summary>
    /// Hands the context the writer's connection; only the holder of the writer's turn may ask, and gives it back
    /// (<see cref="PortalDbContext.GiveBackConnection"/>) before the turn passes on.
    /// </summary>
    public void LendWriter(PortalDbContext db) => LendTo(db, writer ??= Open());

    private void LendTo(PortalDbContext db, PreparedSqliteConnection connection)
    {
        db.Database.SetDbConnection(connection, contextOwnsConnection: false);
        db.Lender = this;
    }

    private PreparedSqliteConnection Open()
    {
        var connection = new PreparedSqliteConnection(connectionString);
        connection.Open();
        SqliteConnectionSetup.SetUpOnce(connection);
        return connection;
    }

    internal void GiveBack(PreparedSqliteConnection connection)
    {
        // A connection left in a transaction, or broken, is not lent again.
        var usable = !Volatile.Read(ref disposed) && connection.State == System.Data.ConnectionState.Open && !connection.InTransaction;
        if (connection == writer)
        {
            if (!usable)
            {
                writer = null;
                connection.Dispose();
            }
            return;
        }
        if (!usable || idle.Count >= MaxIdle)
        {
            connection.Dispose();
            return;
        }
        idle.Add(connection);
    }

    public void Dispose()
    {
        Volatile.Write(ref disposed, true);
        writer?.Dispose();
        while (idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}

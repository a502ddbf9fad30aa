using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EntitlementPortal.Data;

/// <summary>
/// Keeps SQLite's temporary storage in memory, set once on each pooled connection before its first transaction. A
/// statement that changes many rows inside a transaction keeps a journal of the pages it changes, and past 64 KB SQLite
/// puts that journal in a temporary file: a sweep batch of 1,000 wrote 17 MB of them. The portal's queries are
/// index-backed, so nothing else it keeps there grows with the data.
/// </summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public static readonly SqliteConnectionSetup Instance = new();

    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> SetUp = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => SetUpOnce(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        SetUpOnce(connection);
        return Task.CompletedTask;
    }

    /// <summary>For connections EF does not open itself (<see cref="PreparedSqliteConnections"/>).</summary>
    internal static void SetUpOnce(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || SetUp.TryGetValue(handle, out _))
        {
            return;
        }
        using var command = sqlite.CreateCommand();
        command.CommandText = "PRAGMA temp_store = MEMORY;";
        command.ExecuteNonQuery();
        SetUp.AddOrUpdate(handle, Instance);
    }
}

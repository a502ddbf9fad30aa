using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace EntitlementPortal.Data;

/// <summary>
/// Settings SQLite keeps per physical connection, applied once when the pool first opens it. A sweep batch changes about
/// 1,500 pages, so at SQLite's default of 1,000 pages every batch's commit checkpoints the WAL, copying the same index
/// pages into the database file again and again; at 10,000 (40 MB of WAL) a checkpoint comes every few batches.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    public static readonly SqliteConnectionSettings Instance = new();

    public const int WalAutocheckpointPages = 10_000;

    private static readonly ConditionalWeakTable<sqlite3, object> Applied = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } sqlite && Applied.TryAdd(handle, Instance))
        {
            using var command = sqlite.CreateCommand();
            command.CommandText = $"PRAGMA wal_autocheckpoint = {WalAutocheckpointPages};";
            command.ExecuteNonQuery();
        }
    }
}

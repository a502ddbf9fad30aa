using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EntitlementPortal.Data;

/// <summary>
/// Configuration that every request reads (its package, catalog and policies, the requestor's organization, the
/// collaboration settings, the package's roles), kept in memory and served while the database's
/// <see cref="ConfigurationVersion"/> is still the one it was read at: one statement a unit of work instead of a query
/// for each. A request read seven such; now it reads the version twice (34 → 29 statements a request).
/// <list type="bullet">
/// <item>The version is read in the unit's own transaction, before what it guards, so what is kept is never older than
/// the version it is kept under, and a change the unit made itself is seen.</item>
/// <item>A unit reads the version once, and again after anything it does that can change data: a save, a statement
/// that writes, a rollback.</item>
/// <item>A version is never used twice (a random value on SQLite, a sequence on PostgreSQL): what a transaction read
/// from its own changes cannot match again once they are rolled back.</item>
/// </list>
/// What it returns is shared by every unit and thread: read it, never change or attach it.
/// </summary>
public static class ConfigurationCache
{
    /// <summary>Entries kept at most; past that the cache starts over (members' own policy look-ups would grow it without end).</summary>
    internal const int MaxEntries = 10_000;

    private static readonly ConcurrentDictionary<(string? Database, object Key), (long Version, object? Value)> Entries = new();

    private static readonly CompiledQuery<Func<PortalDbContext, CancellationToken, Task<long>>> CurrentVersion =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, CancellationToken ct) =>
            db.ConfigurationVersions.Where(v => v.Id == ConfigurationVersion.SingletonId).Select(v => v.Value).Single()));

    /// <summary>What <paramref name="read"/> returns for <paramref name="key"/>, read again only when the configuration has changed.</summary>
    public static async Task<T> GetAsync<T>(PortalDbContext db, object key, Func<Task<T>> read, CancellationToken ct)
    {
        var version = db.ConfigurationVersionRead ??= await CurrentVersion.For(db)(db, ct);
        var entryKey = (db.Database.GetConnectionString(), key);
        if (Entries.TryGetValue(entryKey, out var entry) && entry.Version == version)
        {
            return (T)entry.Value!;
        }
        var value = await read();
        if (Entries.Count >= MaxEntries)
        {
            Entries.Clear();
        }
        Entries[entryKey] = (version, value);
        return value;
    }

    /// <summary>Makes a unit read the version again after a statement that writes or a rollback (saves do it themselves).</summary>
    internal sealed class VersionForgetter : DbCommandInterceptor, IDbTransactionInterceptor
    {
        public static readonly VersionForgetter Instance = new();

        private static void Forget(DbContext? context)
        {
            if (context is PortalDbContext db)
            {
                db.ConfigurationVersionRead = null;
            }
        }

        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            Forget(eventData.Context);
            return result;
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Forget(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

        public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Forget(eventData.Context);
            return Task.CompletedTask;
        }

        public void RolledBackToSavepoint(DbTransaction transaction, TransactionEventData eventData) => Forget(eventData.Context);

        public Task RolledBackToSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
        {
            Forget(eventData.Context);
            return Task.CompletedTask;
        }
    }
}

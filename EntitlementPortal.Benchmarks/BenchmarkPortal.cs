using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Benchmarks;

/// <summary>The portal's services on a fresh, migrated SQLite file under a clock the scenario moves.</summary>
public sealed class BenchmarkPortal : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly ServiceProvider services;

    private BenchmarkPortal(string path, Action<IServiceCollection>? configure)
    {
        DatabasePath = path;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = $"Data Source={path}",
            ["Portal:BaseUrl"] = "https://portal.contoso.test",
            ["Portal:HomeDomains:0"] = "contoso.com",
        }).Build();
        var collection = new ServiceCollection();
        // EP_SQL_LOG=1 prints every SQL command with its time, to see where a scenario spends it.
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore.Database.Command", Environment.GetEnvironmentVariable("EP_SQL_LOG") is null ? LogLevel.Warning : LogLevel.Information).AddConsole());
        collection.AddSingleton<TimeProvider>(Clock);
        configure?.Invoke(collection);
        collection.AddPortalCore(configuration, Path.GetTempPath());
        services = collection.BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; } = new(Start);
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;
    public string DatabasePath { get; }
    public Actor Admin { get; private set; } = Actor.System;

    public static async Task<BenchmarkPortal> CreateAsync(Action<IServiceCollection>? configure = null)
    {
        var portal = new BenchmarkPortal(Path.Combine(Path.GetTempPath(), $"ep-bench-{Guid.NewGuid():N}.db"), configure);
        await PortalDatabase.MigrateAsync(portal.Get<IDbContextFactory<PortalDbContext>>());
        await using var db = portal.NewDb();
        var admin = DirectoryUser.CreateMember("Ada Admin", "ada.admin@contoso.com", portal.Now);
        db.Users.Add(admin);
        db.DirectoryRoleAssignments.Add(new DirectoryRoleAssignment(admin.Id, DirectoryRole.GlobalAdministrator));
        await db.SaveChangesAsync();
        portal.Admin = Actor.For(admin);
        return portal;
    }

    public T Get<T>() where T : notnull => services.GetRequiredService<T>();

    public PortalDbContext NewDb() => Get<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    /// <summary>Inserts generated rows in large transactions, without change tracking's per-row bookkeeping.</summary>
    public async Task BulkInsertAsync<T>(IEnumerable<T> rows, int chunk = 20_000) where T : class
    {
        foreach (var part in rows.Chunk(chunk))
        {
            await using var db = NewDb();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.AddRange(part);
            await db.SaveChangesAsync();
        }
    }

    /// <summary>A copy of the database as it is now, for the plain-SQL lower bound.</summary>
    public async Task<string> CopyAsync()
    {
        await using (var db = NewDb())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        var copy = DatabasePath + ".copy.db";
        File.Copy(DatabasePath, copy, overwrite: true);
        return copy;
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var db = NewDb();
        await using var connection = new SqliteConnection(db.Database.GetConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var file in System.IO.Directory.GetFiles(Path.GetDirectoryName(DatabasePath)!, Path.GetFileName(DatabasePath) + "*"))
        {
            File.Delete(file);
        }
    }
}

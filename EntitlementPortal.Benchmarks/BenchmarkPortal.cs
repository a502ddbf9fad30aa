using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace EntitlementPortal.Benchmarks;

/// <summary>
/// The portal's services on a fresh, migrated database under a clock the scenario moves: a SQLite file, or a PostgreSQL
/// database of its own on the server named by PORTAL_BENCH_POSTGRES.
/// </summary>
public sealed class BenchmarkPortal : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    public const string PostgreSqlServerVariable = "PORTAL_BENCH_POSTGRES";
    private readonly ServiceProvider services;
    private readonly Action<IServiceCollection>? configure;
    private readonly List<ServiceProvider> otherNodes = [];

    private BenchmarkPortal(DatabaseProvider provider, string connectionString, Action<IServiceCollection>? configure)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.configure = configure;
        services = BuildNode();
    }

    /// <summary>Another portal node on the same database, as a second app server would be: services of its own, the same clock.</summary>
    public IServiceProvider AddNode()
    {
        var node = BuildNode();
        otherNodes.Add(node);
        return node;
    }

    private ServiceProvider BuildNode()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = Provider.ToString(),
            ["ConnectionStrings:Portal"] = ConnectionString,
            ["Portal:BaseUrl"] = "https://portal.contoso.test",
            ["Portal:HomeDomains:0"] = "contoso.com",
        }).Build();
        var collection = new ServiceCollection();
        // EP_SQL_LOG=1 prints every SQL command with its time, to see where a scenario spends it.
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore.Database.Command", Environment.GetEnvironmentVariable("EP_SQL_LOG") is null ? LogLevel.Warning : LogLevel.Information).AddConsole());
        collection.AddSingleton<TimeProvider>(Clock);
        configure?.Invoke(collection);
        collection.AddPortalCore(configuration, Path.GetTempPath());
        return collection.BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; } = new(Start);
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;
    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    /// <summary>The SQLite file, for the scenarios that read it directly.</summary>
    public string DatabasePath => Provider == DatabaseProvider.Sqlite
        ? new SqliteConnectionStringBuilder(ConnectionString).DataSource
        : throw new NotSupportedException("This scenario runs on SQLite only.");

    public Actor Admin { get; private set; } = Actor.System;

    public static async Task<BenchmarkPortal> CreateAsync(Action<IServiceCollection>? configure = null, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var name = $"ep-bench-{Guid.NewGuid():N}";
        var connectionString = provider == DatabaseProvider.Sqlite
            ? $"Data Source={Path.Combine(Path.GetTempPath(), name + ".db")}"
            : await CreatePostgreSqlDatabaseAsync(name.Replace('-', '_'));
        var portal = new BenchmarkPortal(provider, connectionString, configure);
        await PortalDatabase.MigrateAsync(portal.Get<IDbContextFactory<PortalDbContext>>());
        await using var db = portal.NewDb();
        var admin = DirectoryUser.CreateMember("Ada Admin", "ada.admin@contoso.com", portal.Now);
        db.Users.Add(admin);
        db.DirectoryRoleAssignments.Add(new DirectoryRoleAssignment(admin.Id, DirectoryRole.GlobalAdministrator));
        await db.SaveChangesAsync();
        portal.Admin = Actor.For(admin);
        return portal;
    }

    public IServiceProvider Services => services;

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

    /// <summary>A copy of the database as it is now, for the plain-SQL lower bound: its connection string.</summary>
    public async Task<string> CopyAsync()
    {
        if (Provider == DatabaseProvider.PostgreSql)
        {
            // A template must have no other session.
            NpgsqlConnection.ClearAllPools();
            var source = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
            await ExecuteOnServerAsync($"CREATE DATABASE \"{source}_copy\" TEMPLATE \"{source}\"");
            return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = source + "_copy" }.ToString();
        }
        await using (var db = NewDb())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        var copy = DatabasePath + ".copy.db";
        File.Copy(DatabasePath, copy, overwrite: true);
        return $"Data Source={copy};Pooling=False";
    }

    public async Task DeleteCopyAsync(string copy)
    {
        if (Provider == DatabaseProvider.PostgreSql)
        {
            await DropPostgreSqlDatabaseAsync(copy);
            return;
        }
        File.Delete(new SqliteConnectionStringBuilder(copy).DataSource);
    }

    /// <summary>A connection of the scenario's provider to the given database.</summary>
    public System.Data.Common.DbConnection Connect(string connectionString) =>
        Provider == DatabaseProvider.PostgreSql ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = Connect(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in otherNodes)
        {
            await node.DisposeAsync();
        }
        await services.DisposeAsync();
        if (Provider == DatabaseProvider.PostgreSql)
        {
            await DropPostgreSqlDatabaseAsync(ConnectionString);
            return;
        }
        SqliteConnection.ClearAllPools();
        foreach (var file in System.IO.Directory.GetFiles(Path.GetDirectoryName(DatabasePath)!, Path.GetFileName(DatabasePath) + "*"))
        {
            File.Delete(file);
        }
    }

    private static string Server => Environment.GetEnvironmentVariable(PostgreSqlServerVariable)
        ?? throw new InvalidOperationException($"--provider postgresql needs a server: set {PostgreSqlServerVariable}, e.g. Host=127.0.0.1;Username=postgres;Password=postgres");

    private static async Task<string> CreatePostgreSqlDatabaseAsync(string name)
    {
        await ExecuteOnServerAsync($"CREATE DATABASE \"{name}\"");
        return new NpgsqlConnectionStringBuilder(Server) { Database = name }.ToString();
    }

    private static async Task DropPostgreSqlDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" WITH (FORCE)");
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

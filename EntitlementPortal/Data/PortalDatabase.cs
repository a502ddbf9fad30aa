using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EntitlementPortal.Data;

/// <summary>Where the portal keeps its data: SQLite (one node, the default) or PostgreSQL.</summary>
public enum DatabaseProvider { Sqlite, PostgreSql }

public static class PortalDatabase
{
    public const string ConnectionStringName = "Portal";

    public static DatabaseProvider ProviderOf(IConfiguration configuration) =>
        Enum.TryParse<DatabaseProvider>(configuration["Database:Provider"], ignoreCase: true, out var provider) ? provider : DatabaseProvider.Sqlite;

    /// <summary>The configured connection string; a SQLite file is resolved against the content root.</summary>
    public static string ResolveConnectionString(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        return ProviderOf(configuration) == DatabaseProvider.PostgreSql
            ? (string.IsNullOrWhiteSpace(configured) ? throw new InvalidOperationException("Database:Provider is PostgreSql: set ConnectionStrings:Portal.") : configured)
            : ResolveSqliteConnectionString(configured, contentRoot);
    }

    /// <summary>Resolves a relative SQLite file against the content root and makes its folder, so the app starts on an empty machine.</summary>
    public static string ResolveSqliteConnectionString(string? configured, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? "Data Source=App_Data/portal.db" : configured);
        var isFile = !string.IsNullOrEmpty(builder.DataSource)
            && builder.DataSource != ":memory:"
            && builder.Mode != SqliteOpenMode.Memory;
        if (isFile)
        {
            if (!Path.IsPathRooted(builder.DataSource))
            {
                builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
            }
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }
        // Writers queue rather than fail while another transaction commits.
        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }
        return builder.ToString();
    }

    public static void Configure(DbContextOptionsBuilder options, string connectionString, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var assembly = typeof(PortalDbContext).Assembly.GetName().Name;
        if (provider == DatabaseProvider.PostgreSql)
        {
            options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(assembly));
        }
        else
        {
            options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(assembly)).AddInterceptors(SqliteConnectionSetup.Instance);
        }
        options.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
        options.AddInterceptors(ConfigurationCache.VersionForgetter.Instance);
        // Last, so interceptors added before it see every change of the unit of work.
        options.AddInterceptors(SetBasedWrites.Instance);
    }

    /// <summary>
    /// An online backup through SQLite's backup API: a consistent copy while the portal keeps serving.
    /// Restore by stopping the portal and putting the file back as the database.
    /// </summary>
    public static async Task BackupAsync(string connectionString, string destinationFile, CancellationToken ct = default)
    {
        var sourceFile = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (!File.Exists(sourceFile))
        {
            throw new FileNotFoundException($"There is no portal database at {sourceFile} to back up.", sourceFile);
        }
        var destination = Path.GetFullPath(destinationFile);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        await using var source = new SqliteConnection(connectionString);
        await source.OpenAsync(ct);
        await using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString());
        await target.OpenAsync(ct);
        source.BackupDatabase(target);
    }

    /// <summary>Applies pending migrations and switches the file to WAL, so readers never wait for the sweeps.</summary>
    public static async Task MigrateAsync(IDbContextFactory<PortalDbContext> factory, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (!db.OnSqlite)
        {
            return;
        }
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}

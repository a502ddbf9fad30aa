using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Approvals;
using EntitlementPortal.Features.Assignments;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.DirectoryAdmin;
using EntitlementPortal.Features.Lifecycle;
using EntitlementPortal.Features.Notifications;
using EntitlementPortal.Features.Policies;
using EntitlementPortal.Features.Requests;
using EntitlementPortal.Features.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace EntitlementPortal.Tests.Infrastructure;

/// <summary>
/// The engine on a real SQLite file with the migrations applied, the clock under the test's control.
/// Each test gets its own copy of a database migrated once per run.
/// </summary>
public sealed class TestPortal : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<string> MigratedTemplate = new(CreateTemplate);

    private readonly ServiceProvider services;

    private readonly bool ownsDatabase;

    /// <summary>This test's PostgreSQL database, when it runs on PostgreSQL rather than a SQLite file.</summary>
    private readonly NpgsqlConnectionStringBuilder? postgreSql;

    private TestPortal(string databasePath, Action<IServiceCollection>? configure, bool ownsDatabase = true, NpgsqlConnectionStringBuilder? postgreSql = null)
    {
        DatabasePath = databasePath;
        this.ownsDatabase = ownsDatabase;
        this.postgreSql = postgreSql;
        var collection = new ServiceCollection();
        configure?.Invoke(collection);
        RegisterInto(collection);
        services = collection.BuildServiceProvider();
    }

    /// <summary>The portal's services on this test's database and clock, in another container (a bUnit context, say).</summary>
    public void RegisterInto(IServiceCollection collection)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = ConnectionString,
            ["Database:Provider"] = postgreSql is null ? nameof(DatabaseProvider.Sqlite) : nameof(DatabaseProvider.PostgreSql),
            ["Portal:BaseUrl"] = "https://portal.contoso.test",
            ["Portal:HomeDomains:0"] = "contoso.com",
        }).Build();
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole());
        collection.AddSingleton<TimeProvider>(Clock);
        collection.AddPortalCore(configuration, TestFiles.Root);
        // A query joining two collections returns the product of their rows: at scale, pages and writes slow down.
        collection.ConfigureDbContext<PortalDbContext>(options => options.ConfigureWarnings(w => w.Throw(RelationalEventId.MultipleCollectionIncludeWarning)));
    }

    public FakeTimeProvider Clock { get; } = new(Start);
    public string DatabasePath { get; }
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public static async Task<TestPortal> CreateAsync(Action<IServiceCollection>? configure = null)
    {
        var path = Path.Combine(TestFiles.Root, $"ep-test-{Guid.NewGuid():N}.db");
        File.Copy(MigratedTemplate.Value, path);
        var portal = new TestPortal(path, configure);
        portal.Admin = await portal.SeedUserAsync("Ada Admin", "ada.admin@contoso.com", DirectoryRole.GlobalAdministrator);
        return portal;
    }

    /// <summary>What the portal's services connect with: for another node on the same database.</summary>
    public string ConnectionString => postgreSql?.ConnectionString ?? $"Data Source={DatabasePath}";

    /// <summary>The server named by PORTAL_TEST_POSTGRES (CI sets it), or null where there is none.</summary>
    public static string? PostgreSqlServer => Environment.GetEnvironmentVariable("PORTAL_TEST_POSTGRES");

    /// <summary>A portal on a new PostgreSQL database of its own, a copy of one migrated with PostgreSQL's migrations once per run.</summary>
    public static async Task<TestPortal> CreateOnPostgreSqlAsync(Action<IServiceCollection>? configure = null)
    {
        var database = await CreatePostgreSqlDatabaseAsync(await MigratedPostgreSqlTemplate.Value);
        var portal = new TestPortal("", configure, postgreSql: database);
        portal.Admin = await portal.SeedUserAsync("Ada Admin", "ada.admin@contoso.com", DirectoryRole.GlobalAdministrator);
        return portal;
    }

    private static readonly Lazy<Task<string>> MigratedPostgreSqlTemplate = new(CreatePostgreSqlTemplateAsync);

    private static async Task<string> CreatePostgreSqlTemplateAsync()
    {
        var template = await CreatePostgreSqlDatabaseAsync(template: null);
        DropAtExit(template);
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDatabase.Configure(options, new NpgsqlConnectionStringBuilder(template.ConnectionString) { Pooling = false }.ConnectionString, DatabaseProvider.PostgreSql);
        await using (var db = new PortalDbContext(options.Options))
        {
            await db.Database.MigrateAsync();
        }
        return template.Database!;
    }

    /// <summary>For databases that live as long as the test run: templates other tests copy.</summary>
    private static void DropAtExit(NpgsqlConnectionStringBuilder database) =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropPostgreSqlDatabaseAsync(database).GetAwaiter().GetResult();

    private static async Task DropPostgreSqlDatabaseAsync(NpgsqlConnectionStringBuilder database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database.Database}\" WITH (FORCE)", server);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnectionStringBuilder> CreatePostgreSqlDatabaseAsync(string? template)
    {
        var database = new NpgsqlConnectionStringBuilder(PostgreSqlServer ?? throw new InvalidOperationException("PORTAL_TEST_POSTGRES is not set."))
        {
            Database = $"ep_test_{Guid.NewGuid():N}",
        };
        await using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString);
        await server.OpenAsync();
        var copy = template is null ? "" : $" TEMPLATE \"{template}\"";
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Database}\"{copy}", server);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>A portal on a copy of another one's database, at the same moment: for many tests that start from one costly setup.</summary>
    /// <remarks>On PostgreSQL the original must have no open connection left (<see cref="KeepAsTemplateAsync"/>).</remarks>
    public static async Task<TestPortal> CopyOfAsync(TestPortal existing)
    {
        TestPortal copy;
        if (existing.postgreSql is not null)
        {
            copy = new TestPortal("", null, postgreSql: await CreatePostgreSqlDatabaseAsync(existing.postgreSql.Database));
        }
        else
        {
            var path = Path.Combine(TestFiles.Root, $"ep-test-{Guid.NewGuid():N}.db");
            File.Copy(existing.DatabasePath, path);
            copy = new TestPortal(path, null);
        }
        copy.Admin = existing.Admin;
        copy.Clock.SetUtcNow(existing.Clock.GetUtcNow());
        return copy;
    }

    /// <summary>
    /// Makes the database a template for <see cref="CopyOfAsync"/> that lasts the test run: SQLite moves everything into the main
    /// file, PostgreSQL closes the idle connections (a template database must have none).
    /// </summary>
    public async Task KeepAsTemplateAsync()
    {
        if (postgreSql is not null)
        {
            DropAtExit(postgreSql);
            NpgsqlConnection.ClearPool(new NpgsqlConnection(postgreSql.ConnectionString));
            return;
        }
        await using var db = NewDb();
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
    }

    /// <summary>A second, independent set of services on the same database file: its own connections, as another node would have.</summary>
    public static Task<TestPortal> AttachAsync(TestPortal existing)
    {
        var other = new TestPortal(existing.DatabasePath, null, ownsDatabase: false, existing.postgreSql) { Admin = existing.Admin };
        other.Clock.SetUtcNow(existing.Clock.GetUtcNow());
        return Task.FromResult(other);
    }

    public Actor Admin { get; private set; } = Actor.System;

    public T Get<T>() where T : notnull => services.GetRequiredService<T>();

    public RequestService Requests => Get<RequestService>();
    public ApprovalService Approvals => Get<ApprovalService>();
    public DeliveryService Delivery => Get<DeliveryService>();
    public AssignmentSweepService Sweeps => Get<AssignmentSweepService>();
    public ExternalUserLifecycle Lifecycle => Get<ExternalUserLifecycle>();
    public CatalogService Catalogs => Get<CatalogService>();
    public AccessPackageService Packages => Get<AccessPackageService>();
    public PolicyService Policies => Get<PolicyService>();
    public ConnectedOrganizationService Organizations => Get<ConnectedOrganizationService>();
    public LifecycleSettingsService LifecycleSettings => Get<LifecycleSettingsService>();
    public CollaborationSettingsService Collaboration => Get<CollaborationSettingsService>();
    public DirectoryAdminService DirectoryAdmin => Get<DirectoryAdminService>();
    public OutboxDispatcher Outbox => Get<OutboxDispatcher>();

    public PortalDbContext NewDb() => Get<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    public async Task<T> QueryAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var db = NewDb();
        return await query(db);
    }

    /// <summary>Test bootstrap only: writes a user and directory roles straight to the database.</summary>
    public async Task<Actor> SeedUserAsync(string name, string mail, params DirectoryRole[] roles)
    {
        await using var db = NewDb();
        var user = DirectoryUser.CreateMember(name, mail, Now);
        db.Users.Add(user);
        db.DirectoryRoleAssignments.AddRange(roles.Select(r => new DirectoryRoleAssignment(user.Id, r)));
        await db.SaveChangesAsync();
        return Actor.For(user);
    }

    public async Task<Actor> MemberAsync(string name, string mail) => new(await DirectoryAdmin.CreateMemberAsync(Admin, name, mail), Names.NormalizeEmail(mail));

    public Task<DirectoryUser> UserAsync(string mail) =>
        QueryAsync(db => db.Users.Where(u => u.MailNormalized == Names.NormalizeEmail(mail)).OrderBy(u => u.DeletedDateTime == null).ThenByDescending(u => u.CreatedDateTime).LastAsync());

    public Task<AccessPackageAssignmentRequest> RequestAsync(Guid id) => QueryAsync(db => db.AssignmentRequests.SingleAsync(r => r.Id == id));

    public Task<List<OutboxEmail>> EmailsToAsync(string to) =>
        QueryAsync(db => db.OutboxEmails.Where(e => e.To == to).OrderBy(e => e.Id).ToListAsync());

    public Task<List<AuditEvent>> AuditAsync(string activity) =>
        QueryAsync(db => db.AuditEvents.Where(e => e.Activity == activity).OrderBy(e => e.Id).ToListAsync());

    /// <summary>Audit events of one activity, a second apart, the last the newest: written set-based, as a sweep writes.</summary>
    public async Task AddAuditEventsAsync(string activity, int count)
    {
        await using var db = NewDb();
        db.WritesSetBased = true;
        await using var transaction = await db.Database.BeginTransactionAsync();
        for (var i = 0; i < count; i++)
        {
            db.AuditEvents.Add(AuditEvent.Create(Now.AddSeconds(i), AuditCategory.EntitlementManagement, activity, null, "System", "Test", $"{i}", $"Target {i}", null));
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    public Task<List<Guid>> RolesOfAsync(Guid userId) =>
        QueryAsync(db => db.ResourceRoleMemberships.Where(m => m.UserId == userId).Select(m => m.ResourceRoleId).ToListAsync());

    /// <summary>What the Quartz jobs do, in order, now.</summary>
    public async Task RunSweepsAsync()
    {
        await Approvals.ProcessTimeoutsAsync();
        await Delivery.DeliverPendingAsync();
        await Sweeps.ProcessDueAsync();
        await Lifecycle.RemoveDueGuestsAsync();
    }

    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await RunSweepsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        if (!ownsDatabase)
        {
            return;
        }
        if (postgreSql is not null)
        {
            await DropPostgreSqlDatabaseAsync(postgreSql);
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(DatabasePath + suffix);
        }
    }

    private static string CreateTemplate()
    {
        var path = Path.Combine(TestFiles.Root, $"ep-template-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDatabase.Configure(options, $"Data Source={path};Pooling=False");
        using var db = new PortalDbContext(options.Options);
        db.Database.Migrate();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        return path;
    }
}

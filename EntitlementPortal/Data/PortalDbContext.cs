using EntitlementPortal.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EntitlementPortal.Data;

/// <remarks>Also holds the Data Protection keys, so every node on the database reads the same cookies.</remarks>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<DirectoryUser> Users => Set<DirectoryUser>();
    public DbSet<DirectoryRoleAssignment> DirectoryRoleAssignments => Set<DirectoryRoleAssignment>();
    public DbSet<Resource> Resources => Set<Resource>();
    public DbSet<ResourceRole> ResourceRoles => Set<ResourceRole>();
    public DbSet<ResourceRoleMembership> ResourceRoleMemberships => Set<ResourceRoleMembership>();
    public DbSet<Catalog> Catalogs => Set<Catalog>();
    public DbSet<CatalogResource> CatalogResources => Set<CatalogResource>();
    public DbSet<CatalogRoleAssignment> CatalogRoleAssignments => Set<CatalogRoleAssignment>();
    public DbSet<AccessPackage> AccessPackages => Set<AccessPackage>();
    public DbSet<AccessPackageResourceRole> AccessPackageResourceRoles => Set<AccessPackageResourceRole>();
    public DbSet<IncompatibleAccessPackage> IncompatibleAccessPackages => Set<IncompatibleAccessPackage>();
    public DbSet<AssignmentPolicy> AssignmentPolicies => Set<AssignmentPolicy>();
    public DbSet<AccessPackageAssignmentRequest> AssignmentRequests => Set<AccessPackageAssignmentRequest>();
    public DbSet<ApprovalDecision> ApprovalDecisions => Set<ApprovalDecision>();
    public DbSet<PendingApprovalRoute> PendingApprovalRoutes => Set<PendingApprovalRoute>();
    public DbSet<ConfigurationVersion> ConfigurationVersions => Set<ConfigurationVersion>();
    public DbSet<ApprovalHistoryEntry> ApprovalHistoryEntries => Set<ApprovalHistoryEntry>();
    public DbSet<AccessPackageAssignment> Assignments => Set<AccessPackageAssignment>();
    public DbSet<ConnectedOrganization> ConnectedOrganizations => Set<ConnectedOrganization>();
    public DbSet<IdentitySource> IdentitySources => Set<IdentitySource>();
    public DbSet<ConnectedOrganizationSponsor> ConnectedOrganizationSponsors => Set<ConnectedOrganizationSponsor>();
    public DbSet<EntitlementManagementSettings> EntitlementManagementSettings => Set<EntitlementManagementSettings>();
    public DbSet<ExternalCollaborationSettings> ExternalCollaborationSettings => Set<ExternalCollaborationSettings>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<OutboxEmail> OutboxEmails => Set<OutboxEmail>();
    public DbSet<SignInCode> SignInCodes => Set<SignInCode>();

    /// <summary>
    /// Whether the portal runs on SQLite. <c>Database.IsSqlite()</c> reads the provider assembly's name at each call, and
    /// every person's change asks a few times: a hundredth of a request's time in a profile.
    /// </summary>
    public bool OnSqlite => Database.GetDbConnection() is SqliteConnection;

    /// <summary>Plain rows of this unit of work are written set-based (<see cref="SetBasedWrites"/>).</summary>
    public bool WritesSetBased { get; set; }

    /// <summary>
    /// Rows written set-based stay tracked, accepted as saved, as after EF's own save: a person's change reads them again
    /// in what follows it. A sweep batch ends with its save, and its thousands of rows leave the tracker at once.
    /// </summary>
    public bool SavedRowsStayTracked { get; set; }

    private readonly List<Func<CancellationToken, Task>> deletesOnSave = [];

    /// <summary>The <see cref="ConfigurationVersion"/> this unit read, until it may have changed data (<see cref="ConfigurationCache"/>).</summary>
    internal long? ConfigurationVersionRead { get; set; }

    /// <summary>New rows of this unit that are not tracked (<see cref="Append"/>); the save writes and empties it.</summary>
    internal List<object> Appended { get; } = [];

    /// <summary>
    /// Adds a new row nothing in the unit of work refers to or changes again: an audit event, an e-mail. In a unit that
    /// saves inside a transaction (a set-based one always does, a sweep batch read ahead begins it only to save) it
    /// bypasses the change tracker and goes down with the save, a statement per table: a sweep batch adds thousands, a
    /// request a handful, and EF's own save would track each one and write it with a statement of its own.
    /// </summary>
    public void Append<T>(T row) where T : class
    {
        if ((WritesSetBased || Database.CurrentTransaction is not null) && SetBasedWrites.CanAppend(this, row.GetType()))
        {
            Appended.Add(row);
        }
        else
        {
            Add(row);
        }
    }

    /// <summary>
    /// Rows the database deletes with the save, first, inside the unit's transaction, without loading them: a unit decided
    /// before it takes the write lock (a sweep batch read ahead) changes nothing until it saves.
    /// </summary>
    public void DeleteOnSave<T>(IQueryable<T> rows) => deletesOnSave.Add(ct => rows.ExecuteDeleteAsync(ct));

    // Contexts are pooled: the next unit of work must not inherit this one's mode or deletes.
    public override void Dispose()
    {
        Reset();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        Reset();
        return base.DisposeAsync();
    }

    private void Reset()
    {
        WritesSetBased = false;
        SavedRowsStayTracked = false;
        ConfigurationVersionRead = null;
        ForgetQueuedWrites();
        GiveBackConnection();
    }

    /// <summary>Where this unit's open connection was lent from (<see cref="PreparedSqliteConnections"/>), until it goes back.</summary>
    internal PreparedSqliteConnections? Lender { get; set; }

    internal void GiveBackConnection()
    {
        if (Lender is not { } lender)
        {
            return;
        }
        var connection = (PreparedSqliteConnection)Database.GetDbConnection();
        // The pooled context makes a connection of its own again when it next needs one.
        Database.SetDbConnection(null);
        Database.SetConnectionString(connection.ConnectionString);
        Lender = null;
        lender.GiveBack(connection);
    }

    /// <summary>Forgets every change not yet saved, after the database has undone them (a rollback to a savepoint).</summary>
    internal void DiscardUnsaved()
    {
        ChangeTracker.Clear();
        ConfigurationVersionRead = null;
        ForgetQueuedWrites();
    }

    private void ForgetQueuedWrites()
    {
        deletesOnSave.Clear();
        Appended.Clear();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        using var detected = new ChangesDetectedOnce(ChangeTracker);
        GuardAppendOnly();
        FileWaitingRequests();
        if (deletesOnSave.Count > 0 || Appended.Count > 0)
        {
            throw new InvalidOperationException("Deletes queued with DeleteOnSave and appended rows are written by SaveChangesAsync.");
        }
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            ConfigurationVersionRead = null;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        using var detected = new ChangesDetectedOnce(ChangeTracker);
        GuardAppendOnly();
        FileWaitingRequests();
        if (deletesOnSave.Count > 0)
        {
            if (Database.CurrentTransaction is null)
            {
                throw new InvalidOperationException("Deletes queued with DeleteOnSave run inside the unit of work's transaction, so they commit with its audit events.");
            }
            foreach (var delete in deletesOnSave)
            {
                await delete(cancellationToken);
            }
            deletesOnSave.Clear();
        }
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ConfigurationVersionRead = null;
        }
    }

    /// <summary>
    /// The guard, the set-based writes and SaveChanges each asked for the changes, and each request scanned every tracked
    /// entity again (a sweep batch tracks thousands): detect them once, and let the rest of this save read the result.
    /// </summary>
    private readonly struct ChangesDetectedOnce : IDisposable
    {
        private readonly ChangeTracker tracker;
        private readonly bool enabled;

        public ChangesDetectedOnce(ChangeTracker tracker)
        {
            this.tracker = tracker;
            enabled = tracker.AutoDetectChangesEnabled;
            if (enabled)
            {
                tracker.DetectChanges();
                tracker.AutoDetectChangesEnabled = false;
            }
        }

        public void Dispose() => tracker.AutoDetectChangesEnabled = enabled;
    }

    /// <summary>
    /// Keeps <see cref="PendingApprovalRoutes"/> in step with the requests this save writes: a request that starts waiting
    /// for approval is filed under its routes, one that stops is taken out. Every path that moves a request goes through
    /// here, so none can forget; a deleted request's routes go with it by cascade.
    /// </summary>
    private void FileWaitingRequests()
    {
        List<PendingApprovalRoute>? filed = null;
        foreach (var entry in ChangeTracker.Entries<AccessPackageAssignmentRequest>())
        {
            var waits = entry.State is EntityState.Added or EntityState.Modified && entry.Entity.State == RequestState.PendingApproval;
            // By name: a lambda here built an expression tree for every request saved.
            var waited = entry.State == EntityState.Modified
                && entry.Property<RequestState>(nameof(AccessPackageAssignmentRequest.State)).OriginalValue == RequestState.PendingApproval;
            if (waits && !waited)
            {
                (filed ??= []).AddRange(entry.Entity.ApproverRouteIds.Select(route => new PendingApprovalRoute(route, entry.Entity.Id)));
            }
            else if (waited && !waits)
            {
                // A statement a request, in plain SQL: one for a list of ids allocated twice as much in every approval, and
                // a LINQ delete was translated again at each (2 % of a request's CPU).
                var id = entry.Entity.Id;
                deletesOnSave.Add(ct => Database.ExecuteSqlAsync($"DELETE FROM \"PendingApprovalRoutes\" WHERE \"RequestId\" = {id}", ct));
            }
        }
        if (filed is not null)
        {
            PendingApprovalRoutes.AddRange(filed);
        }
    }

    private void GuardAppendOnly()
    {
        if (ChangeTracker.Entries<AuditEvent>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new DomainRuleException("Audit events are append-only.");
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Graph's names, readable in the database and stable across enum reordering.
        foreach (var enumType in typeof(RequestState).Assembly.GetTypes().Where(t => t.IsEnum && t.Namespace == typeof(RequestState).Namespace))
        {
            configurationBuilder.Properties(enumType).HaveConversion(typeof(string)).HaveMaxLength(64);
        }
        // Every time is UTC; SQLite hands DateTime back unspecified. Nullable times share the converter (EF passes nulls
        // by): a ValueConverter<DateTime?, DateTime?> unwraps the type by reflection for every value it converts.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
        if (Database.IsNpgsql())
        {
            foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(t => t.GetProperties()).Where(p => p.IsJsonColumn()))
            {
                property.SetColumnType("jsonb");
            }
        }
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

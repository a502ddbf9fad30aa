using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Data;

public sealed class BackupTests
{
    [Fact]
    public async Task An_online_backup_taken_while_the_portal_writes_is_consistent_and_restores()
    {
        await using var portal = await TestPortal.CreateAsync();
        var s = await Scenario.CreateAsync(portal);
        await s.GrantAsync(EntitlementPortal.Features.Common.Actor.ForEmail("lee@fabrikam.com"));
        var backup = Path.Combine(TestFiles.Root, $"ep-backup-{Guid.NewGuid():N}.db");

        // Writers keep going while the backup runs.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await portal.Catalogs.CreateAsync(portal.Admin, new CatalogInput($"Busy {i}", null));
            }
        });
        await PortalDatabase.BackupAsync($"Data Source={portal.DatabasePath}", backup);
        await stop.CancelAsync();
        await writer;

        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDatabase.Configure(options, $"Data Source={backup};Pooling=False");
        await using (var restored = new PortalDbContext(options.Options))
        {
            Assert.Empty(await restored.Database.GetPendingMigrationsAsync());
            Assert.Equal(AssignmentState.Delivered, (await restored.Assignments.SingleAsync()).State);
            Assert.True(await restored.AuditEvents.AnyAsync(e => e.Activity == "Fulfill access package assignment"));
            var catalogs = await restored.Catalogs.CountAsync();
            var audited = await restored.AuditEvents.CountAsync(e => e.Activity == "Create catalog");
            // Each catalog and its audit event commit together, so a consistent copy has as many of one as of the other.
            Assert.Equal(catalogs, audited);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(backup);
    }

    [Fact]
    public async Task Backing_up_a_database_that_does_not_exist_is_refused_and_creates_nothing()
    {
        var missing = Path.Combine(TestFiles.Root, $"ep-missing-{Guid.NewGuid():N}.db");
        await Assert.ThrowsAsync<FileNotFoundException>(() => PortalDatabase.BackupAsync($"Data Source={missing}", missing + ".bak"));
        Assert.False(File.Exists(missing));
        Assert.False(File.Exists(missing + ".bak"));
    }
}

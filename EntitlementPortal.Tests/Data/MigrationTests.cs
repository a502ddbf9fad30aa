using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.MyAccess;
using EntitlementPortal.Features.SignIn;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EntitlementPortal.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public async Task The_model_has_no_changes_missing_from_the_migrations()
    {
        await using var portal = await TestPortal.CreateAsync();
        await using var db = portal.NewDb();
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project EntitlementPortal --output-dir Data/Migrations");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task A_database_taken_back_to_the_first_schema_and_upgraded_again_keeps_its_data_and_works_on()
    {
        await using var portal = await TestPortal.CreateAsync();
        var s = await Scenario.CreateAsync(portal);
        var assignment = await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        var auditBefore = await portal.QueryAsync(db => db.AuditEvents.CountAsync());
        await using (var db = portal.NewDb())
        {
            // Every migration's Down and Up carry the data across.
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[0]);
            Assert.Equal(migrations.Count - 1, (await db.Database.GetPendingMigrationsAsync()).Count());
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        Assert.Equal(auditBefore, await portal.QueryAsync(db => db.AuditEvents.CountAsync()));
        Assert.Equal("Delivered", (await portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == assignment.Id))).Status);
        Assert.Equal(["Falcon partners"], (await portal.Get<MyAccessService>().RequestableAsync(Actor.ForEmail("kim@fabrikam.com"), null)).Select(p => p.DisplayName));
        await portal.Get<OneTimePasscodeService>().RequestCodeAsync("lee@fabrikam.com", "127.0.0.1");
        Assert.Single(await portal.QueryAsync(db => db.SignInCodes.ToListAsync()));
        await portal.AdvanceAsync(TimeSpan.FromDays(181));
        Assert.Equal("Expired", (await portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == assignment.Id))).Status);
    }

    [Fact]
    public async Task Upgrading_marks_as_from_Entra_the_roles_earlier_Entra_sign_ins_gave_and_no_role_given_in_the_portal()
    {
        await using var portal = await TestPortal.CreateAsync();
        var kim = (await portal.MemberAsync("Kim", "kim@contoso.com")).UserId!.Value;
        await portal.DirectoryAdmin.AssignDirectoryRoleAsync(portal.Admin, kim, DirectoryRole.CatalogCreator);
        await using (var db = portal.NewDb())
        {
            // As a sign-in before the upgrade wrote them: the role, and its audit event naming the token.
            db.DirectoryRoleAssignments.Add(new DirectoryRoleAssignment(kim, DirectoryRole.IdentityGovernanceAdministrator));
            db.AuditEvents.Add(AuditEvent.Create(portal.Now, AuditCategory.UserManagement, "Add member to role", null, "System", "User", kim.ToString(),
                "kim@contoso.com", "IdentityGovernanceAdministrator (Microsoft Entra ID app role)"));
            await db.SaveChangesAsync();
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_EntraRoleSource", StringComparison.Ordinal)) - 1]);
            await db.Database.MigrateAsync();
        }
        var roles = await portal.QueryAsync(db => db.DirectoryRoleAssignments.ToDictionaryAsync(r => (r.UserId, r.Role), r => r.FromEntra));
        Assert.True(roles[(kim, DirectoryRole.IdentityGovernanceAdministrator)]);
        Assert.False(roles[(kim, DirectoryRole.CatalogCreator)]);
        Assert.False(roles[(portal.Admin.UserId!.Value, DirectoryRole.GlobalAdministrator)]);
    }

    [Fact]
    public void The_model_has_no_changes_missing_from_the_PostgreSQL_migrations_and_each_provider_sees_only_its_own()
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDatabase.Configure(options, "Host=localhost;Database=entitlementportal", DatabaseProvider.PostgreSql);
        using var postgreSql = new PortalDbContext(options.Options);
        Assert.False(postgreSql.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project EntitlementPortal "
            + "--output-dir Data/Migrations/PostgreSql --namespace EntitlementPortal.Data.Migrations.PostgreSql -- --postgresql");
        var sqliteOptions = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDatabase.Configure(sqliteOptions, "Data Source=unused.db");
        using var sqlite = new PortalDbContext(sqliteOptions.Options);
        Assert.Empty(postgreSql.Database.GetMigrations().Intersect(sqlite.Database.GetMigrations()));
        Assert.Contains(postgreSql.Database.GetMigrations(), m => m.EndsWith("_InitialPostgreSql", StringComparison.Ordinal));
        Assert.DoesNotContain(sqlite.Database.GetMigrations(), m => m.EndsWith("_InitialPostgreSql", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrating_an_empty_database_creates_the_settings_rows_with_Entra_defaults()
    {
        await using var portal = await TestPortal.CreateAsync();
        var settings = await portal.QueryAsync(db => db.EntitlementManagementSettings.SingleAsync());
        Assert.True(settings.BlockExternalUserFromSigningIn);
        Assert.True(settings.RemoveExternalUser);
        Assert.Equal(30, settings.DaysBeforeRemovingExternalUser);
        Assert.Equal(CollaborationRestriction.AllowAnyDomain, (await portal.QueryAsync(db => db.ExternalCollaborationSettings.SingleAsync())).CollaborationRestriction);
    }

    [Theory]
    [InlineData("Assignments", "IX_Assignments_Active_ExpiredDateTime")]
    [InlineData("Assignments", "IX_Assignments_TargetUserId_AccessPackageId")]
    [InlineData("AssignmentRequests", "IX_AssignmentRequests_State_StageDeadline")]
    [InlineData("Users", "IX_Users_ScheduledDeletionDateTime")]
    [InlineData("AuditEvents", "IX_AuditEvents_ActivityDateTime")]
    [InlineData("AuditEvents", "IX_AuditEvents_Activity_ActivityDateTime")]
    [InlineData("Assignments", "IX_Assignments_AccessPackageId_StartDateTime")]
    [InlineData("Assignments", "IX_Assignments_AccessPackageId_State_StartDateTime")]
    [InlineData("OutboxEmails", "IX_OutboxEmails_IdempotencyKey")]
    [InlineData("ApprovalDecisions", "IX_ApprovalDecisions_RequestId_Stage")]
    public async Task Every_sweep_and_growing_list_has_its_index(string table, string index)
    {
        await using var portal = await TestPortal.CreateAsync();
        var indexes = await portal.QueryAsync(db => db.Database.SqlQuery<string>($"SELECT name AS Value FROM pragma_index_list({table})").ToListAsync());
        Assert.Contains(index, indexes);
    }

    [Fact]
    public async Task The_expiry_sweep_query_uses_its_index()
    {
        await using var portal = await TestPortal.CreateAsync();
        await using var db = portal.NewDb();
        var sweep = db.Assignments.Where(a => a.State != AssignmentState.Expired && a.ExpiredDateTime <= portal.Now).OrderBy(a => a.ExpiredDateTime).Take(500);
        await using var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // ToQueryString states parameters as ".param set @name value" lines, the sqlite3 shell's way.
        var lines = sweep.ToQueryString().Split('\n');
        foreach (var param in lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)).Select(l => l.Split(' ', 4)))
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = param[2];
            parameter.Value = param[3].Trim('\'');
            command.Parameters.Add(parameter);
        }
        command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', lines.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }
        Assert.Contains(plan, p => p.Contains("IX_Assignments_Active_ExpiredDateTime", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Relative_sqlite_paths_resolve_under_the_content_root_and_the_folder_is_created()
    {
        var root = Path.Combine(TestFiles.Root, $"ep-root-{Guid.NewGuid():N}");
        var resolved = PortalDatabase.ResolveSqliteConnectionString("Data Source=App_Data/portal.db", root);
        Assert.Contains(Path.Combine(root, "App_Data", "portal.db"), resolved);
        Assert.True(System.IO.Directory.Exists(Path.Combine(root, "App_Data")));
        System.IO.Directory.Delete(root, recursive: true);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Every_SQLite_connection_keeps_statement_journals_and_temporary_tables_in_memory()
    {
        await using var portal = await TestPortal.CreateAsync();
        for (var i = 0; i < 2; i++)
        {
            await using var db = portal.NewDb();
            var tempStore = await db.Database.SqlQueryRaw<long>("SELECT temp_store AS Value FROM pragma_temp_store").SingleAsync();
            Assert.Equal(2, tempStore); // MEMORY
        }
    }

    [Fact]
    public async Task Audit_events_cannot_be_changed_or_deleted()
    {
        await using var portal = await TestPortal.CreateAsync();
        await portal.LifecycleSettings.UpdateAsync(portal.Admin, new(true, true, 10));
        await using var db = portal.NewDb();
        var audit = await db.AuditEvents.FirstAsync();
        db.AuditEvents.Remove(audit);
        await Assert.ThrowsAsync<DomainRuleException>(() => db.SaveChangesAsync());
    }
}

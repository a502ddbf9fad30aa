using System.Data.Common;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Assignments;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Benchmarks;

/// <summary>
/// N due assignments, each the last of a governed guest, in a package granting two roles: the expiry sweep (roles removed,
/// guest blocked and scheduled for removal, audit and e-mail rows), against plain SQL making the same row changes at once.
/// </summary>
public static class SweepBenchmark
{
    private const int WarmUpSize = 5_000;

    // Small batches in the warm-up, so that what runs once a batch is called often enough to be compiled to tier 1 too.
    private const int WarmUpBatchSize = 100;

    public static async Task RunAsync(int size, DatabaseProvider provider, bool cold)
    {
        if (!cold)
        {
            await Report.WarmUpAsync($"{WarmUpSize:N0} expiries", () => RunOnceAsync(WarmUpSize, provider, warmUp: true));
        }
        await RunOnceAsync(size, provider, warmUp: false);
    }

    private static async Task RunOnceAsync(int size, DatabaseProvider provider, bool warmUp)
    {
        await using var portal = await BenchmarkPortal.CreateAsync(
            warmUp ? services => services.PostConfigure<SweepOptions>(o => o.ExpiryBatchSize = WarmUpBatchSize) : null, provider);
        var package = await PartnerPackage.CreateAsync(portal, approval: false);
        var now = portal.Now;
        var guests = Enumerable.Range(0, size)
            .Select(i => DirectoryUser.InviteGovernedGuest($"Guest {i}", $"guest{i}@fabrikam.com", package.OrganizationId, $"token{i}", now))
            .ToList();
        var generation = await Report.TimeAsync(async () =>
        {
            await portal.BulkInsertAsync(guests);
            await portal.BulkInsertAsync(guests.Select(g => AccessPackageAssignment.Deliver(package.PackageId, package.PolicyId, g.Id, now.AddDays(180), now)));
            await portal.BulkInsertAsync(guests.SelectMany(g => package.RoleIds.Select(r => new ResourceRoleMembership(g.Id, r, now))));
        });
        Report.Line($"generated {size:N0} guests, assignments and {size * package.RoleIds.Count:N0} role memberships in {generation.TotalSeconds:0.0} s");
        var copy = warmUp ? null : await portal.CopyAsync();

        portal.Clock.Advance(TimeSpan.FromDays(181));
        var expired = 0;
        var jit = Report.JitMark.Now;
        var sweep = await Report.TimeAsync(async () => expired = await portal.Get<AssignmentSweepService>().ExpireDueAsync());
        var compiled = jit.Since();
        Report.Check(expired == size, $"the sweep expired {expired}, not {size}");
        Report.Check(await portal.CountAsync("""SELECT COUNT(*) FROM "ResourceRoleMemberships" """) == 0, "role memberships remain");
        Report.Check(await portal.CountAsync("""SELECT COUNT(*) FROM "Users" WHERE NOT "AccountEnabled" AND "ScheduledDeletionDateTime" IS NOT NULL""") == size,
            "not every guest was blocked and scheduled");
        Report.Check(await portal.CountAsync("""SELECT COUNT(*) FROM "OutboxEmails" """) == size, "not one e-mail per ended assignment");
        var audit = await portal.CountAsync("""SELECT COUNT(*) FROM "AuditEvents" WHERE "ActorName" = 'System'""");
        Report.Line($"service sweep: {sweep.TotalSeconds:0.00} s, {audit:N0} audit events");
        if (copy is null)
        {
            return;
        }

        var plain = await PlainSqlAsync(portal, copy);
        await portal.DeleteCopyAsync(copy);
        Report.Line($"plain SQL, one transaction: {plain.TotalSeconds:0.00} s");
        Report.Result("sweep", [("size", size), ("seconds", sweep), ("items_per_s", size / sweep.TotalSeconds),
            ("sql_seconds", plain), ("ratio", sweep.TotalSeconds / plain.TotalSeconds), .. compiled]);
    }

    /// <summary>The lower bound: the same updates, deletes and inserts as set-based statements.</summary>
    private static async Task<TimeSpan> PlainSqlAsync(BenchmarkPortal portal, string copy)
    {
        await using var connection = portal.Connect(copy);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = portal.Provider == DatabaseProvider.PostgreSql ? PostgreSqlStatements : SqliteStatements;
        // SQLite keeps times as text in EF's format; PostgreSQL as timestamptz.
        object Time(DateTime t) => portal.Provider == DatabaseProvider.PostgreSql ? t : t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
        var prefix = portal.Provider == DatabaseProvider.PostgreSql ? "@" : "$";
        Add(command, prefix + "now", Time(portal.Now));
        Add(command, prefix + "removal", Time(portal.Now.AddDays(30)));
        return await Report.TimeAsync(() => command.ExecuteNonQueryAsync());
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private const string SqliteStatements = """
        BEGIN IMMEDIATE;
        CREATE TEMP TABLE due AS
            SELECT a.Id, a.TargetUserId, a.AccessPackageId, u.Mail FROM Assignments a JOIN Users u ON u.Id = a.TargetUserId
            WHERE a.State <> 'Expired' AND a.ExpiredDateTime <= $now;
        UPDATE Assignments SET State = 'Expired', Status = 'Expired', ExpiredDateTime = $now, Version = Version + 1 WHERE Id IN (SELECT Id FROM due);
        DELETE FROM ResourceRoleMemberships WHERE UserId IN (SELECT TargetUserId FROM due)
            AND ResourceRoleId IN (SELECT ResourceRoleId FROM AccessPackageResourceRoles WHERE AccessPackageId IN (SELECT AccessPackageId FROM due));
        UPDATE Users SET AccountEnabled = 0, BlockedDateTime = $now, ScheduledDeletionDateTime = $removal WHERE Id IN (SELECT TargetUserId FROM due);
        INSERT INTO AssignmentRequests (Id, RequestType, State, Status, AccessPackageId, AssignmentId, RequestorEmail, TargetUserId, TargetEmail,
                TargetDisplayName, CurrentStage, IsStageEscalated, CreatedDateTime, CompletedDateTime, Version, Expiration)
            SELECT upper(hex(randomblob(16))), 'SystemRemove', 'Delivered', 'Expired', AccessPackageId, Id, 'system', TargetUserId, Mail, Mail, 0, 0, $now, $now, 0, '{}' FROM due;
        INSERT INTO AuditEvents (ActivityDateTime, Category, Activity, ActorName, TargetType, TargetId, TargetName, Result, Details)
            SELECT $now, 'EntitlementManagement', 'Remove access package assignment', 'System', 'AccessPackageAssignment', Id, 'Falcon partners', 'success', 'Expired: ' || Mail FROM due
            UNION ALL
            SELECT $now, 'UserManagement', 'Block external user from signing in', 'System', 'User', TargetUserId, Mail, 'success', 'Lost their last access package assignment' FROM due;
        INSERT INTO OutboxEmails (IdempotencyKey, "To", Subject, Body, CreatedDateTime, NextAttemptDateTime, Attempts)
            SELECT 'ended:' || Id, Mail, 'Access has ended for Falcon partners', 'Your access to Falcon partners has ended.', $now, $now, 0 FROM due;
        COMMIT;
        """;

    private const string PostgreSqlStatements = """
        BEGIN;
        CREATE TEMP TABLE due AS
            SELECT a."Id", a."TargetUserId", a."AccessPackageId", u."Mail" FROM "Assignments" a JOIN "Users" u ON u."Id" = a."TargetUserId"
            WHERE a."State" <> 'Expired' AND a."ExpiredDateTime" <= @now;
        UPDATE "Assignments" SET "State" = 'Expired', "Status" = 'Expired', "ExpiredDateTime" = @now, "Version" = "Version" + 1 WHERE "Id" IN (SELECT "Id" FROM due);
        DELETE FROM "ResourceRoleMemberships" WHERE "UserId" IN (SELECT "TargetUserId" FROM due)
            AND "ResourceRoleId" IN (SELECT "ResourceRoleId" FROM "AccessPackageResourceRoles" WHERE "AccessPackageId" IN (SELECT "AccessPackageId" FROM due));
        UPDATE "Users" SET "AccountEnabled" = false, "BlockedDateTime" = @now, "ScheduledDeletionDateTime" = @removal WHERE "Id" IN (SELECT "TargetUserId" FROM due);
        INSERT INTO "AssignmentRequests" ("Id", "RequestType", "State", "Status", "AccessPackageId", "AssignmentId", "RequestorEmail", "TargetUserId", "TargetEmail",
                "TargetDisplayName", "CurrentStage", "IsStageEscalated", "CreatedDateTime", "CompletedDateTime", "Version", "Expiration")
            SELECT gen_random_uuid(), 'SystemRemove', 'Delivered', 'Expired', "AccessPackageId", "Id", 'system', "TargetUserId", "Mail", "Mail", 0, false, @now, @now, 0, '{}'::jsonb FROM due;
        INSERT INTO "AuditEvents" ("ActivityDateTime", "Category", "Activity", "ActorName", "TargetType", "TargetId", "TargetName", "Result", "Details")
            SELECT @now, 'EntitlementManagement', 'Remove access package assignment', 'System', 'AccessPackageAssignment', "Id"::text, 'Falcon partners', 'success', 'Expired: ' || "Mail" FROM due
            UNION ALL
            SELECT @now, 'UserManagement', 'Block external user from signing in', 'System', 'User', "TargetUserId"::text, "Mail", 'success', 'Lost their last access package assignment' FROM due;
        INSERT INTO "OutboxEmails" ("IdempotencyKey", "To", "Subject", "Body", "CreatedDateTime", "NextAttemptDateTime", "Attempts")
            SELECT 'ended:' || "Id", "Mail", 'Access has ended for Falcon partners', 'Your access to Falcon partners has ended.', @now, @now, 0 FROM due;
        COMMIT;
        """;
}

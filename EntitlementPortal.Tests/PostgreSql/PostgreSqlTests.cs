using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Data;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;

namespace EntitlementPortal.Tests.PostgreSql;

/// <summary>Exactly-once on PostgreSQL across two sets of services (every service test also runs there: ServiceTestsOnPostgreSql).</summary>
public sealed class PostgreSqlTests
{
    [PostgreSqlFact]
    public async Task On_PostgreSQL_two_approvals_at_once_give_one_assignment_and_two_sweeps_at_once_expire_each_once()
    {
        await using var portal = await TestPortal.CreateOnPostgreSqlAsync();
        var s = await Scenario.CreateAsync(portal);
        var second = await portal.DirectoryAdmin.CreateMemberAsync(portal.Admin, "Second approver", "second@contoso.com");
        await portal.Policies.UpdateAsync(portal.Admin, s.PolicyId, Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with
        {
            Stages = [new ApprovalStage { DurationBeforeAutomaticDenialInDays = 14, PrimaryApprovers =
                [new Approver { Type = ApproverType.SingleUser, UserId = s.Approver.UserId }, new Approver { Type = ApproverType.SingleUser, UserId = second }] }],
        });
        var requests = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            requests.Add(await s.RequestAsync(Actor.ForEmail($"user{i}@fabrikam.com")));
        }
        await using var other = await TestPortal.AttachAsync(portal);
        var secondApprover = new Actor(second, "second@contoso.com");
        var outcomes = await Task.WhenAll(
            Task.Run(() => Outcome.OfEach(requests.Select(id => (Func<Task>)(() => portal.Approvals.ApproveAsync(s.Approver, id))))),
            Task.Run(() => Outcome.OfEach(requests.Select(id => (Func<Task>)(() => other.Approvals.ApproveAsync(secondApprover, id))))));
        Assert.All(outcomes.SelectMany(o => o).OfType<Exception>(), e => Assert.IsType<DomainRuleException>(e));
        // A delivery right after an approval may lose its own race and wait for the delivery sweep, the safety net.
        await portal.Delivery.DeliverPendingAsync();
        Assert.Equal(10, await portal.QueryAsync(db => db.Assignments.CountAsync()));
        Assert.Equal(10, await portal.QueryAsync(db => db.ApprovalDecisions.CountAsync()));
        Assert.Equal(10, (await portal.AuditAsync("Fulfill access package assignment")).Count);

        portal.Clock.Advance(TimeSpan.FromDays(181));
        other.Clock.Advance(TimeSpan.FromDays(181));
        var swept = await Task.WhenAll(Task.Run(() => portal.Sweeps.ExpireDueAsync()), Task.Run(() => other.Sweeps.ExpireDueAsync()));
        Assert.Equal(10, swept.Sum());
        Assert.Equal(10, (await portal.AuditAsync("Remove access package assignment")).Count);
        Assert.Equal(10, await portal.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.Subject == "Access has ended for Falcon partners")));
    }

    /// <summary>
    /// A change cancelled by another node's is routine when nodes write at once, and goes through on a later run: EF Core
    /// logged each cancelled command and transaction as an error (about 280 lines for 2,000 requests on two nodes).
    /// </summary>
    [PostgreSqlFact]
    public async Task A_statement_cancelled_by_a_concurrent_change_and_run_again_logs_no_error()
    {
        await using var portal = await TestPortal.CreateOnPostgreSqlAsync(services => services.AddFakeLogging());
        var runs = 0;
        await portal.Get<PortalStore>().WriteAsync(Actor.System, c => ++runs == 1
            ? c.Db.Database.ExecuteSqlRawAsync("DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure'; END $$")
            : Task.CompletedTask);

        Assert.Equal(2, runs);
        Assert.Empty(ConcurrentWriteTests.Errors(portal));
    }
}

using System.Diagnostics;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace EntitlementPortal.Tests.PostgreSql;

/// <summary>Two portal nodes on one PostgreSQL database, their Quartz schedulers clustered.</summary>
public sealed class ClusteredNodesTests(ITestOutputHelper output)
{
    private const int Guests = 600;

    [PostgreSqlFact]
    public async Task Two_clustered_nodes_running_the_jobs_side_by_side_expire_each_assignment_once()
    {
        await using var portal = await TestPortal.CreateOnPostgreSqlAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequired = false, Stages = [] });
        for (var i = 0; i < Guests; i++)
        {
            await s.RequestAsync(Actor.ForEmail($"guest{i}@fabrikam.com"));
        }
        // The nodes run on the real clock, by which these 180-day assignments are long due.
        Assert.True(portal.Now.AddDays(181) < DateTime.UtcNow);
        var expired = () => portal.QueryAsync(db => db.Assignments.CountAsync(a => a.State == AssignmentState.Expired));

        await using var first = Node(portal.ConnectionString);
        await using var second = Node(portal.ConnectionString);
        _ = first.Server;
        _ = second.Server;
        await WaitUntilAsync(async () => await expired() == Guests, "the nodes to expire every assignment");
        // Both schedulers check in to the one cluster; the second may do so after the first has finished the sweep.
        await WaitUntilAsync(async () => await SchedulersCheckedInAsync(portal.ConnectionString) == 2, "both schedulers to check in");

        Assert.Equal(Guests, (await portal.AuditAsync("Remove access package assignment")).Count);
        Assert.Equal(Guests, await portal.QueryAsync(db => db.AssignmentRequests.CountAsync(r => r.RequestType == RequestType.SystemRemove)));
        Assert.Equal(Guests, await portal.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.Subject == "Access has ended for Falcon partners")));
        Assert.Equal(Guests, (await portal.AuditAsync("Block external user from signing in")).Count);
    }

    [PostgreSqlFact]
    public async Task A_node_killed_mid_sweep_has_its_work_finished_by_the_other_and_each_assignment_expires_once()
    {
        const int guests = 1_500;
        await using var portal = await TestPortal.CreateOnPostgreSqlAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequired = false, Stages = [] });
        for (var i = 0; i < guests; i++)
        {
            await s.RequestAsync(Actor.ForEmail($"guest{i}@fabrikam.com"));
        }
        var expired = () => portal.QueryAsync(db => db.Assignments.CountAsync(a => a.State == AssignmentState.Expired));
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__Portal"] = portal.ConnectionString,
            // Many short batches, so the kill lands between two commits and not after the last.
            ["Sweep__ExpiryBatchSize"] = "50",
        };

        // The first node is alone when the sweep falls due, so it is the one sweeping when it is killed. The other then meets
        // the job still marked as running on the dead node, and must take it over.
        int whenKilled;
        await using (var victim = PortalProcess.Start(output, settings))
        {
            await victim.WaitUntilAsync(async () => await expired() > 0, "the first node to start the sweep");
            victim.Kill();
            whenKilled = await expired();
        }
        await using var survivor = PortalProcess.Start(output, settings);
        await survivor.WaitUntilAsync(async () => await expired() == guests, "the other node to finish the sweep");

        output.WriteLine($"Expired when the node was killed: {whenKilled}");
        Assert.InRange(whenKilled, 1, guests - 1);
        Assert.Equal(guests, (await portal.AuditAsync("Remove access package assignment")).Count);
        Assert.Equal(guests, await portal.QueryAsync(db => db.AssignmentRequests.CountAsync(r => r.RequestType == RequestType.SystemRemove)));
        Assert.Equal(guests, await portal.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.Subject == "Access has ended for Falcon partners")));
    }

    private static WebApplicationFactory<Program> Node(string connectionString) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("Database:Provider", "PostgreSql");
            web.UseSetting("ConnectionStrings:Portal", connectionString);
            foreach (var job in new[] { "ApprovalTimeoutInterval", "DeliveryInterval", "AssignmentExpiryInterval", "GuestRemovalInterval", "OutboxDispatchInterval" })
            {
                web.UseSetting($"Jobs:{job}", "00:00:01");
            }
        });

    private static async Task<long> SchedulersCheckedInAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var nodes = new NpgsqlCommand("SELECT COUNT(*) FROM qrtz_scheduler_state", connection);
        return (long)(await nodes.ExecuteScalarAsync())!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), $"Waited 90 s for {what}.");
            await Task.Delay(50);
        }
    }
}

using System.Diagnostics;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Approvals;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Requests;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Benchmarks;

/// <summary>
/// N external requests through the services, one after another as people would send them: submit, approve, and the
/// delivery that follows the approval (guest invited, two roles granted, audit and e-mail rows). The lower bound copies
/// the very rows they wrote into a copy of the starting database in one transaction.
/// </summary>
public static class RequestsBenchmark
{
    private const int WarmUpSize = 500;
    private const int FirstRequests = 200;

    public static async Task RunAsync(int size, int people, int nodes, DatabaseProvider provider, bool cold)
    {
        if (!cold)
        {
            await Report.WarmUpAsync($"{WarmUpSize:N0} requests", async () =>
            {
                // The statement counter too: the run timed must not be the first to go through its interception.
                await using var portal = await CreatePortalAsync(new StatementCounter(), provider);
                await RequestAllAsync(Nodes(portal, nodes), await PartnerPackage.CreateAsync(portal, approval: true), WarmUpSize, people);
            });
        }
        await RunOnceAsync(size, people, nodes, provider, cold);
    }

    private static Task<BenchmarkPortal> CreatePortalAsync(StatementCounter counter, DatabaseProvider provider) =>
        BenchmarkPortal.CreateAsync(services => services.AddSingleton<IInterceptor>(counter), provider);

    /// <summary>The portal's own services first, then each further node's.</summary>
    private static List<IServiceProvider> Nodes(BenchmarkPortal portal, int nodes) =>
        [portal.Services, .. Enumerable.Range(1, nodes - 1).Select(_ => portal.AddNode())];

    private static async Task RunOnceAsync(int size, int people, int nodes, DatabaseProvider provider, bool cold)
    {
        var counter = new StatementCounter();
        await using var portal = await CreatePortalAsync(counter, provider);
        var package = await PartnerPackage.CreateAsync(portal, approval: true);
        var servers = Nodes(portal, nodes);
        // A portal's first requests also build what its own services compile once (EF's model, its queries' code): a
        // long-running portal did that long ago, so the portal timed serves a few first, from partners of their own.
        var served = cold ? 0 : FirstRequests;
        await RequestAllAsync(servers, package, served, people, firstPartner: 2_000_000);
        // The bound copies the run's rows by SQLite's rowid; on PostgreSQL the rate and the times are reported alone.
        var before = provider == DatabaseProvider.Sqlite ? await portal.CopyAsync() : null;
        var lastRowIds = new Dictionary<string, long>();
        foreach (var table in before is null ? [] : await TablesAsync(before))
        {
            lastRowIds[table] = await portal.CountAsync($"SELECT IFNULL(MAX(rowid), 0) FROM \"{table}\"");
        }
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pausedBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = GC.CollectionCount(0);
        var jit = Report.JitMark.Now;
        var watch = Stopwatch.StartNew();
        var times = await RequestAllAsync(servers, package, size, people);
        var elapsed = watch.Elapsed;
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        // Every thread stops while the collector runs, the writer whose turn everyone waits for too.
        var paused = GC.GetTotalPauseDuration() - pausedBefore;
        var collections = GC.CollectionCount(0) - collectionsBefore;
        var compiled = jit.Since();
        Report.Check(await portal.CountAsync("SELECT COUNT(*) FROM \"Assignments\"") == served + size, "not every request was delivered");
        Report.Check(await portal.CountAsync("SELECT COUNT(*) FROM \"ResourceRoleMemberships\"") == (served + size) * package.RoleIds.Count, "not every role was granted");
        Report.Line($"services: {size:N0} requests submitted, approved and delivered in {elapsed.TotalSeconds:0.00} s by {people} at once on {nodes} node(s)");

        List<(string, object)> figures = [("size", size), ("people", people), ("nodes", nodes), ("seconds", elapsed), ("requests_per_s", size / elapsed.TotalSeconds),
            ("request_p50_ms", times[times.Count / 2]), ("request_p95_ms", times[(int)(times.Count * 0.95)]), ("request_max_ms", times[^1]),
            ("cpu_ms_per_request", cpu.TotalMilliseconds / size), ("allocated_kb_per_request", allocated / 1024.0 / size),
            ("gc_collections", collections), ("gc_paused_percent", 100 * paused / elapsed), .. compiled];
        if (before is not null)
        {
            var plain = await CopyNewRowsAsync(before, portal.DatabasePath, lastRowIds);
            await portal.DeleteCopyAsync(before);
            Report.Line($"plain SQL inserting the same rows in one transaction: {plain.TotalSeconds:0.00} s");
            figures.AddRange([("sql_seconds", plain), ("ratio", elapsed.TotalSeconds / plain.TotalSeconds)]);
        }
        if (provider == DatabaseProvider.Sqlite)
        {
            figures.Add(("statements_per_request", await StatementsPerRequestAsync(portal, package, counter)));
        }
        Report.Result("requests", [.. figures]);
    }

    /// <summary>
    /// Each of <paramref name="people"/> submits and approves the next request until all are done, the people spread over
    /// the nodes in turn; the time of each request.
    /// </summary>
    private static async Task<List<double>> RequestAllAsync(List<IServiceProvider> nodes, PartnerPackage package, int size, int people, int firstPartner = 0)
    {
        var approver = new Actor(package.ApproverId, "approver@contoso.com");
        var next = -1;
        var times = new List<double>[people];
        await Task.WhenAll(Enumerable.Range(0, people).Select(person => Task.Run(async () =>
        {
            var node = nodes[person % nodes.Count];
            var requests = node.GetRequiredService<RequestService>();
            var approvals = node.GetRequiredService<ApprovalService>();
            times[person] = [];
            for (var i = Interlocked.Increment(ref next); i < size; i = Interlocked.Increment(ref next))
            {
                var watch = Stopwatch.StartNew();
                var requestId = await requests.SubmitAsync(Actor.ForEmail($"partner{firstPartner + i}@fabrikam.com"), new AccessRequestInput(package.PackageId));
                await approvals.ApproveAsync(approver, requestId);
                times[person].Add(watch.Elapsed.TotalMilliseconds);
            }
        })));
        return [.. times.SelectMany(t => t).Order()];
    }

    /// <summary>SQLite statements a request takes, BEGIN and COMMIT included, over a few more requests after the timed run.</summary>
    private static async Task<double> StatementsPerRequestAsync(BenchmarkPortal portal, PartnerPackage package, StatementCounter counter)
    {
        const int Counted = 100;
        counter.Counting = true;
        var before = counter.Statements;
        // Partners other than the timed run's: each request is a new partner's, as there.
        await RequestAllAsync([portal.Services], package, Counted, people: 1, firstPartner: 1_000_000);
        counter.Counting = false;
        var perRequest = (counter.Statements - before) / (double)Counted;
        Report.Line($"SQLite statements per request (submit, approve, deliver; over {Counted} more): {perRequest:0.#}");
        return perRequest;
    }

    private static async Task<List<string>> TablesAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EF%'";
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }

    /// <summary>Rows the run added (rowid above the starting maximum) and rows it changed are inserted or replaced in one transaction.</summary>
    private static async Task<TimeSpan> CopyNewRowsAsync(string target, string source, Dictionary<string, long> lastRowIds)
    {
        await using var connection = new SqliteConnection(target);
        await connection.OpenAsync();
        await using (var attach = connection.CreateCommand())
        {
            attach.CommandText = $"ATTACH DATABASE '{source.Replace("'", "''", StringComparison.Ordinal)}' AS run";
            await attach.ExecuteNonQueryAsync();
        }
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE;"
            + string.Concat(lastRowIds.Select(t => $"INSERT OR REPLACE INTO main.\"{t.Key}\" SELECT * FROM run.\"{t.Key}\" WHERE rowid > {t.Value};"))
            + "COMMIT;";
        return await Report.TimeAsync(() => command.ExecuteNonQueryAsync());
    }
}

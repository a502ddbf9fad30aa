using EntitlementPortal.Benchmarks;
using EntitlementPortal.Data;

// dotnet run -c Release --project EntitlementPortal.Benchmarks -- <scenario> [--size N] [--provider sqlite|postgresql] [--people K] [--nodes N] [--approvals N] [--cold]
var scenario = args.FirstOrDefault() ?? "";
var sizeAt = Array.IndexOf(args, "--size");
int? size = sizeAt >= 0 && sizeAt + 1 < args.Length && int.TryParse(args[sizeAt + 1], out var n) && n > 0 ? n : null;
var providerAt = Array.IndexOf(args, "--provider");
var provider = providerAt >= 0 && providerAt + 1 < args.Length && Enum.TryParse<DatabaseProvider>(args[providerAt + 1], ignoreCase: true, out var p) ? p : DatabaseProvider.Sqlite;
if (provider != DatabaseProvider.Sqlite && scenario is not ("sweep" or "requests"))
{
    Console.Error.WriteLine("--provider postgresql is for the sweep and requests scenarios; the others run on SQLite.");
    return 2;
}
var peopleAt = Array.IndexOf(args, "--people");
var people = peopleAt >= 0 && peopleAt + 1 < args.Length && int.TryParse(args[peopleAt + 1], out var k) && k > 0 ? k : 1;
var nodesAt = Array.IndexOf(args, "--nodes");
var nodes = nodesAt >= 0 && nodesAt + 1 < args.Length && int.TryParse(args[nodesAt + 1], out var m) && m > 0 ? m : 1;
var approvalsAt = Array.IndexOf(args, "--approvals");
var approvals = approvalsAt >= 0 && approvalsAt + 1 < args.Length && int.TryParse(args[approvalsAt + 1], out var a) && a > 0 ? a : 0;
var cold = args.Contains("--cold");
Console.WriteLine($"EntitlementPortal benchmark '{scenario}' on {Report.Machine()}, database {provider}");
switch (scenario)
{
    case "sweep":
        await SweepBenchmark.RunAsync(size ?? 100_000, provider, cold);
        break;
    case "requests":
        await RequestsBenchmark.RunAsync(size ?? 10_000, people, nodes, provider, cold);
        break;
    case "pages":
        await PagesBenchmark.RunAsync(size ?? 3_000_000);
        break;
    case "startup":
        await StartupBenchmark.RunAsync(size ?? 3_000_000);
        break;
    case "circuits":
        await CircuitsBenchmark.RunAsync(size ?? 200, approvals);
        break;
    default:
        Console.Error.WriteLine("Scenarios: sweep, requests, pages, startup, circuits. Options: --size N, --provider sqlite|postgresql (sweep, requests), --people K, --nodes N (requests: K people at once, spread over N portal nodes on one database), --approvals N (circuits: the approver on Approvals with N more waiting), --cold (sweep, requests: no warm-up run).");
        return 2;
}
return 0;

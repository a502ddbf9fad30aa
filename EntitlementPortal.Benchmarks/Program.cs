using EntitlementPortal.Benchmarks;
using EntitlementPortal.Data;

// dotnet run -c Release --project EntitlementPortal.Benchmarks -- <scenario> [--size N] [--provider sqlite|postgresql] [--people K] [--nodes N] [--approvals N] [--cold]
var scenario = args.FirstOrDefault() ?? "";
var size = Option("--size");
var providerAt = Array.IndexOf(args, "--provider");
var provider = providerAt >= 0 && providerAt + 1 < args.Length && Enum.TryParse<DatabaseProvider>(args[providerAt + 1], ignoreCase: true, out var p) ? p : DatabaseProvider.Sqlite;
if (provider != DatabaseProvider.Sqlite && scenario is not ("sweep" or "requests"))
{
    Console.Error.WriteLine("--provider postgresql is for the sweep and requests scenarios; the others run on SQLite.");
    return 2;
}
var people = Option("--people") ?? 1;
var nodes = Option("--nodes") ?? 1;
var approvals = Option("--approvals") ?? 0;
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

// A positive whole number given after the option's name, if any.
int? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) && value > 0 ? value : null;
}

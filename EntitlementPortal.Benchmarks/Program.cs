using EntitlementPortal.Benchmarks;

// dotnet run -c Release --project EntitlementPortal.Benchmarks -- <scenario> [--size N]
var scenario = args.FirstOrDefault() ?? "";
var sizeAt = Array.IndexOf(args, "--size");
int? size = sizeAt >= 0 && sizeAt + 1 < args.Length && int.TryParse(args[sizeAt + 1], out var n) && n > 0 ? n : null;
Console.WriteLine($"EntitlementPortal benchmark '{scenario}' on {Report.Machine()}");
switch (scenario)
{
    case "sweep":
        await SweepBenchmark.RunAsync(size ?? 100_000);
        break;
    case "requests":
        await RequestsBenchmark.RunAsync(size ?? 10_000);
        break;
    case "pages":
        await PagesBenchmark.RunAsync(size ?? 3_000_000);
        break;
    case "startup":
        await StartupBenchmark.RunAsync(size ?? 3_000_000);
        break;
    case "circuits":
        await CircuitsBenchmark.RunAsync(size ?? 200);
        break;
    default:
        Console.Error.WriteLine("Scenarios: sweep, requests, pages, startup, circuits. Options: --size N.");
        return 2;
}
return 0;

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace EntitlementPortal.Benchmarks;

/// <summary>What a scenario prints: progress lines, then one RESULT line a script can read.</summary>
public static class Report
{
    public static void Line(string text) => Console.WriteLine($"  {text}");

    public static void Result(string scenario, params (string Key, object Value)[] figures) =>
        Console.WriteLine($"RESULT scenario={scenario} " + string.Join(' ', figures.Select(f => $"{f.Key}={Format(f.Value)}")));

    public static string Machine() =>
        $"{RuntimeInformation.OSDescription.Trim()}, {Environment.ProcessorCount} cores, .NET {Environment.Version}";

    public static async Task<TimeSpan> TimeAsync(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed;
    }

    /// <summary>
    /// The portal is a long-running process: a scenario first runs once, small, on a database of its own, so that the run
    /// timed finds its code compiled to tier 1, as every run but a process's first does (--cold skips it).
    /// </summary>
    public static async Task WarmUpAsync(string what, Func<Task> run)
    {
        var elapsed = await TimeAsync(run);
        Line($"warm-up, not timed: {what} in {elapsed.TotalSeconds:0.00} s");
        // The JIT compiles tier-1 code on a background thread after the calls that asked for it.
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    /// <summary>A benchmark that did not do the work it times reports nothing.</summary>
    public static void Check(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Benchmark check failed: {failure}.");
        }
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        TimeSpan t => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}

using System.Diagnostics;
using System.Globalization;
using System.Runtime;
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
    /// The portal is a long-running process: a scenario first runs small, untimed, on a database of its own, so that the
    /// run timed finds its code compiled to tier 1, as every run but a process's first does (--cold skips it). The small run
    /// is repeated until one leaves next to nothing to compile: the JIT starts counting a method's calls only once it has
    /// had no new method to compile for a moment, and moves it to tier 1 after dozens of counted calls, so after one small
    /// run a timed sweep still compiled 2,369 methods, 2.7 s of the JIT's time on a machine of two cores.
    /// </summary>
    public static async Task WarmUpAsync(string what, Func<Task> run)
    {
        const int quiet = 100, mostRuns = 6;
        for (var round = 1; ; round++)
        {
            var compiledBefore = JitInfo.GetCompiledMethodCount();
            var elapsed = await TimeAsync(run);
            // The JIT compiles tier-1 code on a background thread after the calls that asked for it.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var compiled = JitInfo.GetCompiledMethodCount() - compiledBefore;
            Line($"warm-up {round}, not timed: {what} in {elapsed.TotalSeconds:0.00} s, {compiled:N0} methods compiled");
            if (compiled < quiet || round == mostRuns)
            {
                return;
            }
        }
    }

    /// <summary>The JIT's work so far, to report what it compiled during a timed run (a warm run should find its code compiled).</summary>
    public readonly record struct JitMark(long Methods, TimeSpan Time)
    {
        public static JitMark Now => new(JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());

        public (string Key, object Value)[] Since()
        {
            var now = Now;
            return [("jit_methods", now.Methods - Methods), ("jit_ms", (now.Time - Time).TotalMilliseconds)];
        }
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

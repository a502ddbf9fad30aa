using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace EntitlementPortal.Tests.Infrastructure;

/// <summary>The built portal started with dotnet as a process of its own, its jobs every second, for tests that kill it.</summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly ITestOutputHelper output;

    private PortalProcess(Process process, ITestOutputHelper output)
    {
        this.process = process;
        this.output = output;
    }

    /// <param name="settings">Environment variables on top of Production, a free port and quiet logs: the database, mail and so on.</param>
    public static PortalProcess Start(ITestOutputHelper output, Dictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EntitlementPortal.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        settings = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var job in new[] { "ApprovalTimeoutInterval", "DeliveryInterval", "AssignmentExpiryInterval", "GuestRemovalInterval", "OutboxDispatchInterval" })
        {
            settings[$"Jobs__{job}"] = "00:00:01";
        }
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        var node = new PortalProcess(Process.Start(start)!, output);
        node.process.OutputDataReceived += (_, e) => node.Append(e.Data);
        node.process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        node.process.BeginOutputReadLine();
        node.process.BeginErrorReadLine();
        return node;
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.False(process.HasExited, $"The portal process exited while waiting for {what}:\n{Log}");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), $"Waited 90 s for {what}:\n{Log}");
            await Task.Delay(25);
        }
    }

    /// <summary>SIGKILL on Linux: no shutdown code runs.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    private string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        lock (log)
        {
            log.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        output.WriteLine(Log);
        process.Dispose();
    }
}

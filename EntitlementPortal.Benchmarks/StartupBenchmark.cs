using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EntitlementPortal.Benchmarks;

/// <summary>Cold start of the built portal as its own process, to the first page served: on an empty database and on a generated tenant.</summary>
public static class StartupBenchmark
{
    public static async Task RunAsync(int assignments)
    {
        var empty = Path.Combine(Path.GetTempPath(), $"ep-bench-empty-{Guid.NewGuid():N}.db");
        var onEmpty = await TimeToFirstPageAsync(empty);
        foreach (var file in System.IO.Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(empty) + "*"))
        {
            File.Delete(file);
        }
        Report.Line($"empty database (created and migrated at start): {onEmpty.TotalSeconds:0.00} s");

        var (portal, _, _) = await PagesBenchmark.BuildTenantAsync(assignments);
        await using (portal)
        {
            var onTenant = await TimeToFirstPageAsync(portal.DatabasePath);
            Report.Line($"generated tenant: {onTenant.TotalSeconds:0.00} s");
            Report.Result("startup", ("empty_s", onEmpty), ("tenant_s", onTenant), ("tenant_assignments", assignments));
        }
    }

    private static async Task<TimeSpan> TimeToFirstPageAsync(string databasePath)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EntitlementPortal.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__Portal"] = $"Data Source={databasePath}";
        start.Environment["Jobs__Enabled"] = "false";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (watch.Elapsed < TimeSpan.FromMinutes(2))
            {
                Report.Check(!process.HasExited, "the portal exited before serving a page");
                try
                {
                    if ((await client.GetAsync($"http://127.0.0.1:{port}/")).StatusCode == HttpStatusCode.OK)
                    {
                        return watch.Elapsed;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                await Task.Delay(20);
            }
            throw new TimeoutException("The portal served no page within two minutes.");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

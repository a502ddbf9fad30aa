using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EntitlementPortal.Benchmarks;

/// <summary>The built portal as its own process on a free loopback port, ready once it has served its first page.</summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process process;

    private PortalProcess(Process process, string url, TimeSpan startup)
    {
        this.process = process;
        Url = url;
        Startup = startup;
    }

    public string Url { get; }

    /// <summary>From process start to the first <c>GET /</c> answered 200.</summary>
    public TimeSpan Startup { get; }

    /// <summary>The portal's managed heap after a full collection (the Testing environment's /testing/memory).</summary>
    public async Task<long> ManagedMemoryAfterCollectionAsync()
    {
        using var client = new HttpClient();
        var answer = await client.PostAsync($"{Url}/testing/memory", null);
        answer.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("bytes").GetInt64();
    }

    public static async Task<PortalProcess> StartAsync(string databasePath, string environment = "Production")
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EntitlementPortal.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["ConnectionStrings__Portal"] = $"Data Source={databasePath}";
        start.Environment["Jobs__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (watch.Elapsed < TimeSpan.FromMinutes(2))
        {
            Report.Check(!process.HasExited, "the portal exited before serving a page");
            try
            {
                if ((await client.GetAsync($"{url}/")).StatusCode == HttpStatusCode.OK)
                {
                    return new PortalProcess(process, url, watch.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(20);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("The portal served no page within two minutes.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}

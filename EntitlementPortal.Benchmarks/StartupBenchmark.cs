namespace EntitlementPortal.Benchmarks;

/// <summary>Cold start of the built portal as its own process, to the first page served: on an empty database and on a generated tenant.</summary>
public static class StartupBenchmark
{
    public static async Task RunAsync(int assignments)
    {
        var empty = Path.Combine(Path.GetTempPath(), $"ep-bench-empty-{Guid.NewGuid():N}.db");
        TimeSpan onEmpty;
        await using (var node = await PortalProcess.StartAsync(empty))
        {
            onEmpty = node.Startup;
        }
        foreach (var file in System.IO.Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(empty) + "*"))
        {
            File.Delete(file);
        }
        Report.Line($"empty database (created and migrated at start): {onEmpty.TotalSeconds:0.00} s");

        var (portal, _, _) = await PagesBenchmark.BuildTenantAsync(assignments);
        await using (portal)
        await using (var node = await PortalProcess.StartAsync(portal.DatabasePath))
        {
            Report.Line($"generated tenant: {node.Startup.TotalSeconds:0.00} s");
            Report.Result("startup", ("empty_s", onEmpty), ("tenant_s", node.Startup), ("tenant_assignments", assignments));
        }
    }
}

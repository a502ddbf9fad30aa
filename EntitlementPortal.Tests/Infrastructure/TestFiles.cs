namespace EntitlementPortal.Tests.Infrastructure;

/// <summary>One temporary folder per test run for every database and portal folder the tests make; gone when the run ends.</summary>
public static class TestFiles
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ep-tests-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open at exit stays behind; the next run uses a folder of its own.
            }
        };
        return folder;
    });

    public static string Root => Folder.Value;
}

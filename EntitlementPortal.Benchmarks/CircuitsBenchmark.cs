using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace EntitlementPortal.Benchmarks;

/// <summary>
/// N people on My Access at once, each page its own Blazor circuit, in Debian's Chromium: the portal's memory per open
/// circuit, and how long a click takes to update the page while all of them stay connected.
/// </summary>
public static class CircuitsBenchmark
{
    private const string Chromium = "/usr/bin/chromium";
    private const int Clicks = 40;

    /// <param name="approvals">When above zero: the approver instead, on Approvals, with this many more requests waiting.</param>
    public static async Task RunAsync(int circuits, int approvals)
    {
        Report.Check(File.Exists(Chromium), $"this scenario drives Debian's Chromium at {Chromium} (apt-get install -y chromium)");
        var database = Path.Combine(Path.GetTempPath(), $"ep-bench-circuits-{Guid.NewGuid():N}.db");
        try
        {
            // Testing: the demo data, sign-in by passcode, and /testing/memory to read the heap after a full collection.
            await using var node = await PortalProcess.StartAsync(database, "Testing");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--renderer-process-limit=4"],
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = node.Url });
            var (email, path) = approvals > 0 ? ("approver@contoso.com", "/myaccess/approvals") : ("member@contoso.com", "/myaccess");
            if (approvals > 0)
            {
                await AddPendingApprovalsAsync(database, approvals);
            }
            await SignInAsync(context, database, email);
            var first = await OpenAsync(context, path);
            Report.Line($"{email} on {path}: {await first.Locator("[data-testid=pending-approval]").CountAsync()} requests waiting shown");
            var before = await node.ManagedMemoryAfterCollectionAsync();
            // Open in tens: a person at a time would take minutes, and the circuits only need to be there.
            for (var opened = 1; opened < circuits; opened += 10)
            {
                await Task.WhenAll(Enumerable.Range(0, Math.Min(10, circuits - opened)).Select(_ => OpenAsync(context, path)));
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
            var after = await node.ManagedMemoryAfterCollectionAsync();
            var perCircuit = (after - before) / (double)(circuits - 1) / 1024;
            Report.Line($"{circuits} circuits open; managed memory after a full collection grew from {before / 1024 / 1024:N0} to {after / 1024 / 1024:N0} MiB");

            var times = new List<double>();
            for (var click = 0; click < Clicks; click++)
            {
                var tab = click % 2 == 0 ? "Request history" : "Access packages";
                // The click event itself, as a person's click sends it, without Playwright's checks that the link is ready.
                var watch = Stopwatch.StartNew();
                await first.GetByRole(AriaRole.Link, new() { Name = tab, Exact = true }).DispatchEventAsync("click");
                await first.Locator("[aria-current=page]", new() { HasText = tab }).WaitForAsync();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Report.Result("circuits", ("circuits", circuits), ("kb_per_circuit", perCircuit), ("click_p50_ms", times[Clicks / 2]),
                ("click_p95_ms", times[(int)(Clicks * 0.95) - 1]));
        }
        finally
        {
            foreach (var file in System.IO.Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(database) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>The passcode sign-in, reading the code from the outbox as the person would from their mailbox; the context keeps the cookie.</summary>
    private static async Task SignInAsync(IBrowserContext context, string database, string email)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/signin");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code" }).ClickAsync();
        await page.GetByLabel("Code", new() { Exact = true }).WaitForAsync();
        await using (var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Body FROM OutboxEmails WHERE \"To\" = $to ORDER BY Id DESC LIMIT 1";
            command.Parameters.AddWithValue("$to", email);
            var body = (string)(await command.ExecuteScalarAsync())!;
            await page.GetByLabel("Code", new() { Exact = true }).FillAsync(Regex.Match(body, @"\b\d{6}\b").Value);
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
        await page.CloseAsync();
    }

    /// <summary>Copies of a demo request from Fabrikam waiting for the approver, each from another partner.</summary>
    private static async Task AddPendingApprovalsAsync(string database, int count)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        var columns = new List<string>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT name FROM pragma_table_info('AssignmentRequests')";
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }
        var values = columns.Select(c => c switch
        {
            "Id" => "$id",
            "TargetEmail" or "RequestorEmail" or "TargetDisplayName" => "$email",
            "TargetUserId" or "RequestorUserId" => "NULL",
            _ => $"\"{c}\"",
        });
        await using var transaction = connection.BeginTransaction();
        await using var find = connection.CreateCommand();
        find.CommandText = "SELECT Id FROM AssignmentRequests WHERE State = 'PendingApproval' AND TargetEmail LIKE '%@fabrikam.com' LIMIT 1";
        var template = await find.ExecuteScalarAsync();
        Report.Check(template is not null, "the demo data has no request from Fabrikam waiting for approval");
        // Each copy is filed for the approvals list under the template's routes, as the save files a waiting request.
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO AssignmentRequests ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
            $"SELECT {string.Join(", ", values)} FROM AssignmentRequests WHERE Id = $template; " +
            "INSERT INTO PendingApprovalRoutes (RouteId, RequestId) SELECT RouteId, $id FROM PendingApprovalRoutes WHERE RequestId = $template";
        insert.Parameters.AddWithValue("$template", template);
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var email = insert.Parameters.Add("$email", SqliteType.Text);
        for (var i = 0; i < count; i++)
        {
            // Stored as Microsoft.Data.Sqlite stores a GUID: upper-case text.
            id.Value = Guid.NewGuid().ToString().ToUpperInvariant();
            email.Value = $"waiting{i}@fabrikam.com";
            Report.Check(await insert.ExecuteNonQueryAsync() >= 2, "the waiting request was not copied with its routes");
        }
        await transaction.CommitAsync();
    }

    private static async Task<IPage> OpenAsync(IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync(path);
        await page.Locator("[data-interactive=true]").WaitForAsync();
        return page;
    }
}

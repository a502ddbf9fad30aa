using EntitlementPortal.Tests.Infrastructure;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

/// <summary>The portal on Kestrel at a free loopback port with its own SQLite file, and Debian's Chromium driven by Playwright.</summary>
public sealed class PortalBrowser : IAsyncDisposable
{
    /// <summary>Browser tests run one after another: each starts a server and a Chromium on two cores.</summary>
    public const string Collection = "Browser";

    private readonly string folder = Path.Combine(TestFiles.Root, $"ep-browser-{Guid.NewGuid():N}");
    private readonly WebApplicationFactory<Program> factory;
    private IPlaywright? playwright;

    private PortalBrowser(string environment)
    {
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            web.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(folder, "portal.db")}");
            web.UseSetting("Jobs:Enabled", "false");
        });
        // Port 0 on loopback: the system picks a free port, so parallel runs never collide.
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>
    /// Opens a path and returns at the commit. A tab with a live circuit can have its navigation aborted by the
    /// browser (net::ERR_ABORTED) while the old document unloads; one more try then is what a person would do.
    /// </summary>
    public static async Task GoAsync(IPage page, string path)
    {
        try
        {
            await page.GotoAsync(path, Committed);
        }
        catch (PlaywrightException aborted) when (aborted.Message.Contains("net::ERR_ABORTED", StringComparison.Ordinal))
        {
            await page.GotoAsync(path, Committed);
        }
    }

    /// <summary>Types into a MudBlazor field and leaves it, so the value reaches the circuit before the next click.</summary>
    public static async Task TypeAsync(ILocator field, string text)
    {
        await field.FillAsync(text);
        await field.PressAsync("Tab");
    }

    /// <summary>On My Access's Approvals tab, as Entra's: Approve on the request's card, a reason, then Submit.</summary>
    public static async Task ApproveAsync(IPage approver, string requestText, string reason)
    {
        var card = approver.GetByTestId("pending-approval").Filter(new() { HasText = requestText });
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await TypeAsync(card.GetByRole(AriaRole.Textbox, new() { Name = "Reason" }), reason);
        await card.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
    }

    /// <summary>
    /// Waits until the page's address matches, at the commit (Blazor's navigation changes it without a load event).
    /// Playwright's WaitForURLAsync reads the address and then waits for the next navigation: Blazor's, landing between the
    /// two right after a click, was missed, and the wait ran out on the page it waited for (one run in three here). The
    /// address the page reports is asked again until it matches.
    /// </summary>
    public static async Task WaitForUrlAsync(IPage page, Func<string, bool> matches)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!matches(page.Url))
        {
            if (waited.Elapsed > UrlTimeout)
            {
                throw new TimeoutException($"The page stayed at {page.Url} for {UrlTimeout.TotalSeconds:0} s.");
            }
            await Task.Delay(50);
        }
    }

    private static readonly TimeSpan UrlTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Navigation returns at the commit; the next locator waits for what it needs, so a busy machine is not a failure.</summary>
    public static readonly PageGotoOptions Committed = new() { WaitUntil = WaitUntilState.Commit };

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public IServiceProvider Services => factory.Services;

    /// <summary>Development has the demo sign-in; Testing has the demo data and the test clock, and people sign in by passcode.</summary>
    public static async Task<PortalBrowser> StartAsync(string environment = "Development")
    {
        var portal = new PortalBrowser(environment);
        portal.factory.StartServer();
        var address = portal.factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        portal.BaseUrl = address.TrimEnd('/');
        portal.playwright = await Playwright.CreateAsync();
        portal.Browser = await portal.playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
        return portal;
    }

    /// <summary>Console errors of every page, so a test can prove the security policy breaks nothing.</summary>
    public List<string> ConsoleErrors { get; } = [];

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (ConsoleErrors)
                {
                    ConsoleErrors.Add(message.Text);
                }
            }
        };
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>Through the demo sign-in page, as a person would.</summary>
    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/demo", PortalBrowser.Committed);
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await WaitForUrlAsync(page, url => !url.Contains("/account/", StringComparison.Ordinal));
    }

    /// <summary>Through the e-mail passcode page, reading the code from the outbox as the person would from their mailbox.</summary>
    public async Task SignInWithCodeAsync(IPage page, string email)
    {
        if (!page.Url.Contains("/account/signin", StringComparison.Ordinal))
        {
            await GoAsync(page, "/account/signin");
        }
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code" }).ClickAsync();
        await page.GetByLabel("Code", new() { Exact = true }).WaitForAsync();
        await page.GetByLabel("Code", new() { Exact = true }).FillAsync(await LatestCodeAsync(email));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByTestId("signed-in-as").WaitForAsync();
    }

    /// <summary>The six digits of the newest sign-in code mailed to the address, read from the outbox.</summary>
    public async Task<string> LatestCodeAsync(string email)
    {
        var body = await QueryAsync(db => db.OutboxEmails.Where(e => e.To == email && e.Subject == "Your EntitlementPortal sign-in code")
            .OrderByDescending(e => e.Id).Select(e => e.Body).FirstAsync());
        return System.Text.RegularExpressions.Regex.Match(body, @"\b\d{6}\b").Value;
    }

    /// <summary>Reads the portal's database, for facts a person would see in their mailbox or a later page.</summary>
    public async Task<T> QueryAsync<T>(Func<EntitlementPortal.Data.PortalDbContext, Task<T>> query)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<EntitlementPortal.Data.PortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    /// <summary>Moves the Testing clock and runs what the Quartz jobs would run.</summary>
    public async Task AdvanceAndRunJobsAsync(TimeSpan by)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (by > TimeSpan.Zero)
        {
            (await http.PostAsync($"/testing/clock/advance?days={(int)by.TotalDays}&hours={by.Hours}", null)).EnsureSuccessStatusCode();
        }
        (await http.PostAsync("/testing/jobs/run", null)).EnsureSuccessStatusCode();
    }

    /// <summary>Clicks before the circuit connects land on prerendered HTML and are lost: wait for the interactive render.</summary>
    public static Task WaitForInteractiveAsync(IPage page) => page.Locator("[data-interactive=true]").WaitForAsync();

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        await factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }
}

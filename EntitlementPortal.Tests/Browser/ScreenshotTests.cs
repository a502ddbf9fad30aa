using EntitlementPortal.Tests.Infrastructure;
using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

/// <summary>
/// Every main page on the demo data, as a picture. With UPDATE_SCREENSHOTS=1 the pictures replace those in
/// docs/screenshots (shown in the README); otherwise they go to a temporary folder, so a test run changes no file.
/// </summary>
[Collection(PortalBrowser.Collection)]
public sealed class ScreenshotTests
{
    [BrowserFact]
    public async Task Every_main_page_renders_on_the_demo_data_and_is_photographed()
    {
        var folder = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "screenshots")
            : Path.Combine(TestFiles.Root, $"ep-screenshots-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder);
        await using var portal = await PortalBrowser.StartAsync();
        var (packageId, catalogId) = await portal.QueryAsync(async db =>
        {
            var package = await db.AccessPackages.SingleAsync(p => p.DisplayName == "Falcon engineering");
            return (package.Id, package.CatalogId);
        });

        var admin = await portal.NewPageAsync();
        await admin.SetViewportSizeAsync(1366, 860);
        await PortalBrowser.SignInAsync(admin, "admin@contoso.com");
        foreach (var (path, name, ready) in new[]
                 {
                     ("/", "dashboard", "Pending approvals"),
                     ("/catalogs", "catalogs", "Partner projects"),
                     ($"/catalogs/{catalogId}", "catalog", "Enabled for external users"),
                     ($"/access-packages/{packageId}", "access-package", "My Access portal link"),
                     ($"/access-packages/new?catalogId={catalogId}", "new-access-package", "Resource roles"),
                     ("/connected-organizations", "connected-organizations", "Fabrikam"),
                     ("/identity-governance/entitlement-management/settings", "lifecycle-settings", "Manage the lifecycle of external users"),
                     ("/external-identities/collaboration-settings", "collaboration-settings", "Collaboration restrictions"),
                     ("/users", "users", "Adele Vance"),
                     ("/audit", "audit", "Fulfill access package assignment"),
                 })
        {
            await ShootAsync(admin, path, ready, Path.Combine(folder, $"{name}.png"));
        }

        var approver = await portal.NewPageAsync();
        await approver.SetViewportSizeAsync(1366, 860);
        await PortalBrowser.SignInAsync(approver, "approver@contoso.com");
        await ShootAsync(approver, "/myaccess/approvals", "Business justification", Path.Combine(folder, "approvals.png"));

        var partner = await portal.NewPageAsync();
        await partner.SetViewportSizeAsync(1366, 860);
        await PortalBrowser.SignInAsync(partner, "partner@fabrikam.com");
        await ShootAsync(partner, "/myaccess", "Falcon engineering", Path.Combine(folder, "my-access.png"));
        await ShootAsync(partner, $"/myaccess/access-packages/{packageId}", "Submit request", Path.Combine(folder, "request.png"));

        Assert.Equal(13, System.IO.Directory.GetFiles(folder, "*.png").Length);
        Assert.DoesNotContain(portal.ConsoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task ShootAsync(IPage page, string path, string ready, string file)
    {
        await PortalBrowser.GoAsync(page, path);
        await PortalBrowser.WaitForInteractiveAsync(page);
        await page.GetByText(ready).First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = file });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EntitlementPortal.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("EntitlementPortal.sln not found above the test output.");
    }
}

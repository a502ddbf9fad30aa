using EntitlementPortal.Tests.Infrastructure;
using System.Net;
using EntitlementPortal.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Web;

/// <summary>The app starts on an empty machine: it creates and migrates its SQLite file and serves the MudBlazor shell.</summary>
public sealed class PortalShellTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(TestFiles.Root, $"ep-shell-{Guid.NewGuid():N}");
    private WebApplicationFactory<Program> factory = null!;

    public Task InitializeAsync()
    {
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(folder, "App_Data", "portal.db")}");
            web.UseSetting("Jobs:Enabled", "false");
        });
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Home_page_serves_the_MudBlazor_shell_on_a_freshly_migrated_database()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("_content/MudBlazor/MudBlazor.min.", html);
        Assert.Contains("mud-layout", html);
        Assert.Contains("Access for external users", html);
        Assert.True(File.Exists(Path.Combine(folder, "App_Data", "portal.db")));
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Unknown_page_answers_404_with_a_friendly_page()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("does not exist", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void The_repository_settings_file_is_loaded()
    {
        var configuration = factory.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        Assert.Equal("00:01:00", configuration["Jobs:DeliveryInterval"]);
        Assert.Equal("contoso.com", configuration["Portal:HomeDomains:0"]);
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }
}

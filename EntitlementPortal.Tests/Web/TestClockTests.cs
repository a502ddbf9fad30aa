using EntitlementPortal.Tests.Infrastructure;
using System.Net;
using EntitlementPortal.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Web;

public sealed class TestClockTests
{
    [Fact]
    public async Task In_the_Testing_environment_the_clock_moves_forward_and_the_jobs_run_on_request()
    {
        await using var factory = Factory(TestClock.Environment);
        using var client = factory.CreateClient();
        var before = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/testing/clock/advance?days=30", null)).StatusCode);
        Assert.True(factory.Services.GetRequiredService<TimeProvider>().GetUtcNow() - before >= TimeSpan.FromDays(30));
        var run = await client.PostAsync("/testing/jobs/run", null);
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Contains("\"delivered\"", await run.Content.ReadAsStringAsync());
        Assert.Contains("\"bytes\"", await (await client.PostAsync("/testing/memory", null)).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Outside_the_Testing_environment_the_test_clock_does_not_exist(string environment)
    {
        await using var factory = Factory(environment);
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/testing/clock/advance?days=30", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/testing/jobs/run", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/testing/memory", null)).StatusCode);
        Assert.IsNotType<TestClock>(factory.Services.GetRequiredService<TimeProvider>());
    }

    [Theory]
    [InlineData("Testing")]
    [InlineData("Production")]
    public async Task The_demo_sign_in_exists_only_in_Development(string environment)
    {
        await using var factory = Factory(environment);
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/account/demo")).StatusCode);
    }

    private static WebApplicationFactory<Program> Factory(string environment)
    {
        var folder = Path.Combine(TestFiles.Root, $"ep-clock-{Guid.NewGuid():N}");
        return new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            web.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(folder, "portal.db")}");
            web.UseSetting("Jobs:Enabled", "false");
        });
    }
}

using EntitlementPortal.Auth;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Access;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Tests.Web;

public sealed class SecurityTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/account/signin")]
    [InlineData("/no-such-page")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        await using var factory = Factory("Production");
        using var client = factory.CreateClient();
        var response = await client.GetAsync(path);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Theory]
    [InlineData("Production", CookieSecurePolicy.Always)]
    [InlineData("Development", CookieSecurePolicy.SameAsRequest)]
    public async Task The_session_cookie_is_HttpOnly_SameSite_Lax_and_Secure_outside_Development(string environment, CookieSecurePolicy secure)
    {
        await using var factory = Factory(environment);
        var cookie = factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme).Cookie;
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Lax, cookie.SameSite);
        Assert.Equal(secure, cookie.SecurePolicy);
    }

    [Theory]
    [InlineData("/account/demo/signin")]
    [InlineData("/account/signout")]
    [InlineData("/account/signin")]
    public async Task Form_posts_without_an_antiforgery_token_are_refused(string path)
    {
        await using var factory = Factory("Development");
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "admin@contoso.com", ["_handler"] = "send-code" }));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("EntitlementPortal=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_guest_blocked_after_signing_in_may_not_go_on_but_a_newcomer_may()
    {
        await using var portal = await TestPortal.CreateAsync();
        var s = await Scenario.CreateAsync(portal);
        var assignment = await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        var access = portal.Get<PortalAccessService>();
        Assert.True(await access.MaySignInAsync(new Actor(null, "lee@fabrikam.com")));
        await portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync("lee@fabrikam.com"), assignment.Id);
        Assert.False((await portal.UserAsync("lee@fabrikam.com")).AccountEnabled);
        Assert.False(await access.MaySignInAsync(new Actor(null, "lee@fabrikam.com")));
        Assert.True(await access.MaySignInAsync(new Actor(null, "newcomer@fabrikam.com")));
    }

    private static WebApplicationFactory<Program> Factory(string environment)
    {
        var folder = Path.Combine(TestFiles.Root, $"ep-security-{Guid.NewGuid():N}");
        return new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            web.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(folder, "portal.db")}");
            web.UseSetting("Jobs:Enabled", "false");
        });
    }
}

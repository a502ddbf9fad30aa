using EntitlementPortal.Tests.Infrastructure;
using System.Net;
using EntitlementPortal.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Web;

/// <summary>Microsoft.Identity.Web joins only when AzureAd names a tenant and a client; without them nothing of it runs.</summary>
public sealed class EntraSignInTests
{
    [Fact]
    public async Task Without_an_AzureAd_section_Entra_sign_in_is_absent_and_pages_still_work()
    {
        await using var factory = Factory(configured: false);
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/account/entra")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/signin")).StatusCode);
        Assert.Null(await factory.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync("OpenIdConnect"));
    }

    [Fact]
    public async Task With_a_tenant_and_client_the_OpenID_Connect_scheme_signs_into_the_portal_cookie()
    {
        await using var factory = Factory(configured: true);
        var scheme = await factory.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync("OpenIdConnect");
        Assert.NotNull(scheme);
        Assert.True(factory.Services.GetRequiredService<EntraSignIn>().IsConfigured);
        using var client = factory.CreateClient();
        Assert.Contains("Sign in with Microsoft Entra ID", await client.GetStringAsync("/account/signin"));
    }

    private static WebApplicationFactory<Program> Factory(bool configured)
    {
        var folder = Path.Combine(TestFiles.Root, $"ep-entra-{Guid.NewGuid():N}");
        return new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(folder, "portal.db")}");
            web.UseSetting("Jobs:Enabled", "false");
            if (configured)
            {
                web.UseSetting("AzureAd:Instance", "https://login.microsoftonline.com/");
                web.UseSetting("AzureAd:TenantId", "organizations");
                web.UseSetting("AzureAd:ClientId", "00000000-0000-0000-0000-000000000001");
            }
        });
    }
}

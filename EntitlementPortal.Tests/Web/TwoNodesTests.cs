using EntitlementPortal.Tests.Infrastructure;
using System.Net;
using EntitlementPortal.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Tests.Web;

/// <summary>Several portal nodes behind a load balancer: a session cookie written by one is read by the others.</summary>
public sealed class TwoNodesTests
{
    [Fact]
    public async Task Nodes_on_one_database_share_their_Data_Protection_keys_so_a_session_from_one_is_valid_on_the_other()
    {
        var shared = Path.Combine(TestFiles.Root, $"ep-nodes-{Guid.NewGuid():N}", "portal.db");
        await using var first = Node(shared);
        await using var second = Node(shared);
        await using var elsewhere = Node(Path.Combine(TestFiles.Root, $"ep-nodes-{Guid.NewGuid():N}", "portal.db"));

        var session = SessionCookie(first, "ada.admin@contoso.com");
        var onSecond = await GetAuditAsync(second, session);
        var onElsewhere = await GetAuditAsync(elsewhere, session);

        Assert.Equal(HttpStatusCode.OK, (await GetAuditAsync(first, session)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, onSecond.StatusCode);
        // A portal with other keys cannot read it: the visitor is sent to sign in.
        Assert.Equal(HttpStatusCode.Redirect, onElsewhere.StatusCode);
    }

    private static WebApplicationFactory<Program> Node(string databasePath) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("ConnectionStrings:Portal", $"Data Source={databasePath}");
            web.UseSetting("Jobs:Enabled", "false");
            web.UseSetting("Portal:BootstrapAdmins:0", "ada.admin@contoso.com");
        });

    /// <summary>The cookie the node writes when someone signs in, made with that node's own keys.</summary>
    private static string SessionCookie(WebApplicationFactory<Program> node, string email)
    {
        _ = node.Server;
        var options = node.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        return options.TicketDataFormat.Protect(new AuthenticationTicket(PortalClaims.Create(email, "passcode"), CookieAuthenticationDefaults.AuthenticationScheme));
    }

    private static Task<HttpResponseMessage> GetAuditAsync(WebApplicationFactory<Program> node, string session)
    {
        var client = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/exports/audit.csv");
        request.Headers.Add("Cookie", $"EntitlementPortal={session}");
        return client.SendAsync(request);
    }
}

using EntitlementPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace EntitlementPortal.Tests.Api;

/// <summary>
/// The portal in Production on its own database, with API clients configured, and the official Microsoft Graph SDK pointed at it.
/// </summary>
public sealed class GraphApiFactory : IAsyncDisposable
{
    public const string Secret = "a-long-test-secret-for-the-client";
    private readonly string folder = Path.Combine(TestFiles.Root, $"ep-api-{Guid.NewGuid():N}");

    public GraphApiFactory(string environment = "Production", bool configureClients = true)
    {
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            web.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(folder, "portal.db")}");
            web.UseSetting("Jobs:Enabled", "false");
            if (configureClients)
            {
                web.UseSetting("Api:Clients:0:ClientId", "automation");
                web.UseSetting("Api:Clients:0:ClientSecret", Secret);
                web.UseSetting("Api:Clients:0:Role", "GlobalAdministrator");
                web.UseSetting("Api:Clients:1:ClientId", "catalog-bot");
                web.UseSetting("Api:Clients:1:ClientSecret", Secret);
                web.UseSetting("Api:Clients:1:Role", "CatalogCreator");
            }
        });
        Http = Factory.CreateClient();
    }

    public WebApplicationFactory<Program> Factory { get; }
    public HttpClient Http { get; }

    /// <summary>A Graph client that gets its token from the portal's token endpoint with these client credentials.</summary>
    public GraphServiceClient Graph(string clientId = "automation", string secret = Secret) =>
        new(Http, new BaseBearerTokenAuthenticationProvider(new ClientCredentials(this, clientId, secret)), $"{Http.BaseAddress}v1.0");

    public Task<HttpResponseMessage> RequestTokenAsync(string clientId = "automation", string secret = Secret, CancellationToken ct = default) =>
        Http.PostAsync("/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "https://graph.microsoft.com/.default",
        }), ct);

    public async Task<string> TokenAsync(string clientId = "automation", string secret = Secret, CancellationToken ct = default)
    {
        using var response = await RequestTokenAsync(clientId, secret, ct);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.TryGetProperty("access_token", out var token) ? token.GetString()! : "";
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class ClientCredentials(GraphApiFactory api, string clientId, string secret) : IAccessTokenProvider
    {
        private string? token;

        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            token ??= await api.TokenAsync(clientId, secret, cancellationToken);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace EntitlementPortal.Tests.Api;

/// <summary>OAuth 2.0 client credentials at /oauth2/v2.0/token, Entra's shapes, and the bearer token the API then takes.</summary>
public sealed class TokenEndpointTests : IAsyncLifetime
{
    private GraphApiFactory api = null!;

    public Task InitializeAsync()
    {
        api = new GraphApiFactory();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, Dictionary<string, string> form, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        using var response = await api.Http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static Dictionary<string, string> Form(string clientId = "automation", string secret = GraphApiFactory.Secret, string grant = "client_credentials", string scope = "https://graph.microsoft.com/.default") =>
        new() { ["grant_type"] = grant, ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope };

    [Fact]
    public async Task A_configured_client_gets_a_signed_bearer_token_the_API_accepts_at_Entra_s_path_with_or_without_a_tenant()
    {
        foreach (var path in new[] { "/oauth2/v2.0/token", "/contoso.onmicrosoft.com/oauth2/v2.0/token" })
        {
            var (status, body) = await PostAsync(path, Form());
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
            Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
            var token = body.GetProperty("access_token").GetString()!;
            Assert.Equal(3, token.Split('.').Length);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1.0/identityGovernance/entitlementManagement/catalogs");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await api.Http.SendAsync(request)).StatusCode);
        }
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"automation:{GraphApiFactory.Secret}"));
        var (basicStatus, _) = await PostAsync("/oauth2/v2.0/token", new() { ["grant_type"] = "client_credentials", ["scope"] = "api://portal/.default" }, new AuthenticationHeaderValue("Basic", basic));
        Assert.Equal(HttpStatusCode.OK, basicStatus);
    }

    [Theory]
    [InlineData("automation", "wrong-secret", "client_credentials", "https://graph.microsoft.com/.default", HttpStatusCode.Unauthorized, "invalid_client")]
    [InlineData("nobody", GraphApiFactory.Secret, "client_credentials", "https://graph.microsoft.com/.default", HttpStatusCode.Unauthorized, "invalid_client")]
    [InlineData("automation", "", "client_credentials", "https://graph.microsoft.com/.default", HttpStatusCode.Unauthorized, "invalid_client")]
    [InlineData("automation", GraphApiFactory.Secret, "password", "https://graph.microsoft.com/.default", HttpStatusCode.BadRequest, "unsupported_grant_type")]
    [InlineData("automation", GraphApiFactory.Secret, "client_credentials", "User.Read", HttpStatusCode.BadRequest, "invalid_scope")]
    public async Task Wrong_credentials_grants_or_scopes_get_OAuth_errors_and_no_token(string clientId, string secret, string grant, string scope, HttpStatusCode status, string error)
    {
        var (actual, body) = await PostAsync("/oauth2/v2.0/token", Form(clientId, secret, grant, scope));
        Assert.Equal(status, actual);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("access_token", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJhenAiOiJhdXRvbWF0aW9uIn0.")]
    public async Task The_API_answers_401_with_a_Graph_error_without_a_valid_token(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1.0/identityGovernance/entitlementManagement/assignments");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("InvalidAuthenticationToken", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task After_ten_wrong_secrets_from_one_address_it_gets_no_token_even_for_the_right_secret_and_is_told_when_to_retry()
    {
        for (var guess = 0; guess < 10; guess++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("/oauth2/v2.0/token", Form(secret: $"guess-{guess}"))).Status);
        }
        using var refused = await api.RequestTokenAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(5), refused.Headers.RetryAfter?.Delta);
        using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("temporarily_unavailable", body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_client_that_fails_a_few_times_then_gives_its_right_secret_gets_a_token()
    {
        for (var guess = 0; guess < 9; guess++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("/oauth2/v2.0/token", Form(secret: $"guess-{guess}"))).Status);
        }
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/oauth2/v2.0/token", Form())).Status);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        await using var other = new GraphApiFactory();
        var foreign = await other.TokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1.0/identityGovernance/entitlementManagement/catalogs");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", foreign);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("Development", HttpStatusCode.OK)]
    [InlineData("Production", HttpStatusCode.Unauthorized)]
    public async Task The_demo_client_automation_exists_in_Development_only(string environment, HttpStatusCode expected)
    {
        await using var portal = new GraphApiFactory(environment, configureClients: false);
        using var response = await portal.RequestTokenAsync("automation", "automation-secret-for-development");
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_description_lists_the_entitlement_management_API_and_the_token_endpoint()
    {
        using var document = JsonDocument.Parse(await api.Http.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "catalogs", "accessPackages", "assignmentPolicies", "assignmentRequests", "assignmentRequests/{id}/cancel", "assignments", "connectedOrganizations", "settings" })
        {
            Assert.Contains($"/v1.0/identityGovernance/entitlementManagement/{path}", paths);
        }
        Assert.Contains("/oauth2/v2.0/token", paths);
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EntitlementPortal.Tests.Infrastructure;

/// <summary>The person who signs in at the loopback Entra: their tenant, address and the roles and groups their token carries.</summary>
public sealed record EntraUser(string TenantId, string Email, string Name, string[]? Roles = null, string[]? Groups = null, bool GroupsOverage = false);

/// <summary>
/// An OpenID Connect provider on loopback shaped like Entra ID's v2.0 endpoints: discovery per tenant (with the
/// "{tenantid}" issuer template for organizations/common), signing keys, an authorize step that hands out a code, and a
/// token endpoint that redeems it for an RS256 id_token with Entra's claims (tid, oid, preferred_username, roles, groups).
/// </summary>
public sealed class LoopbackEntra : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly RsaSecurityKey key = new(RSA.Create(2048)) { KeyId = "loopback-key-1" };
    private readonly ConcurrentDictionary<string, (EntraUser User, string Nonce, string ClientId)> codes = new();

    private LoopbackEntra(WebApplication app, X509Certificate2 certificate)
    {
        this.app = app;
        Certificate = certificate;
    }

    /// <summary>The self-signed certificate it serves https with; the portal under test trusts exactly this one.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>For the portal's outgoing calls (metadata, keys, code redemption, Identity.Web's issuer checks).</summary>
    public HttpMessageHandler TrustingHandler() =>
        new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == Certificate.Thumbprint };

    /// <summary>Ends with a slash, as AzureAd:Instance does.</summary>
    public string Instance { get; private set; } = "";

    public static async Task<LoopbackEntra> StartAsync()
    {
        // Identity.Web's issuer validator fetches metadata over https only, as Entra serves it.
        var certificate = SelfSignedLoopbackCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        builder.Logging.ClearProviders();
        var entra = new LoopbackEntra(builder.Build(), certificate);
        entra.Map();
        await entra.app.StartAsync();
        entra.Instance = entra.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/";
        return entra;
    }

    /// <summary>The sign-in at Entra: takes the authorize URL the portal redirected to and returns the form the browser posts back.</summary>
    public Dictionary<string, string> Authorize(Uri authorizeUrl, EntraUser user)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorizeUrl.Query);
        Assert.StartsWith(Instance, authorizeUrl.GetLeftPart(UriPartial.Path), StringComparison.Ordinal);
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        codes[code] = (user, query["nonce"].ToString(), query["client_id"].ToString());
        var form = new Dictionary<string, string> { ["state"] = query["state"].ToString() };
        var responseType = query["response_type"].ToString();
        if (responseType.Contains("code", StringComparison.Ordinal))
        {
            form["code"] = code;
        }
        if (responseType.Contains("id_token", StringComparison.Ordinal))
        {
            form["id_token"] = IdToken(codes[code]);
        }
        return form;
    }

    private static X509Certificate2 SelfSignedLoopbackCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private void Map()
    {
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = $"{Instance}{(tenant is "organizations" or "common" ? "{tenantid}" : tenant)}/v2.0",
            ["authorization_endpoint"] = $"{Instance}{tenant}/oauth2/v2.0/authorize",
            ["token_endpoint"] = $"{Instance}{tenant}/oauth2/v2.0/token",
            ["end_session_endpoint"] = $"{Instance}{tenant}/oauth2/v2.0/logout",
            ["jwks_uri"] = $"{Instance}{tenant}/discovery/v2.0/keys",
            ["response_modes_supported"] = new[] { "query", "fragment", "form_post" },
            ["response_types_supported"] = new[] { "code", "id_token", "code id_token", "id_token token" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
            ["claims_supported"] = new[] { "sub", "iss", "aud", "exp", "iat", "nonce", "name", "preferred_username", "email", "oid", "tid", "roles", "groups" },
            ["tenant_region_scope"] = "WW",
        }));
        app.MapGet("/{tenant}/discovery/v2.0/keys", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(key);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", kid = key.KeyId, n = jwk.N, e = jwk.E } } });
        });
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (form["grant_type"] != "authorization_code" || !codes.TryRemove(form["code"].ToString(), out var grant) || form["client_id"] != grant.ClientId)
            {
                return Results.Json(new { error = "invalid_grant", error_description = "AADSTS70008: The provided authorization code is invalid or has expired." }, statusCode: 400);
            }
            return Results.Json(new { token_type = "Bearer", expires_in = 3600, scope = "openid profile email", id_token = IdToken(grant), access_token = IdToken(grant) });
        });
    }

    /// <summary>An application's own access token (client credentials) for <paramref name="audience"/>, as Entra's v2.0 endpoint issues it.</summary>
    public string AppAccessToken(string tenantId, string appId, string audience) => Sign(tenantId, audience, new Dictionary<string, object>
    {
        ["ver"] = "2.0",
        ["tid"] = tenantId,
        ["oid"] = Guid.NewGuid().ToString(),
        ["sub"] = Guid.NewGuid().ToString(),
        ["azp"] = appId,
        ["azpacr"] = "1",
    });

    /// <summary>A person's access token for <paramref name="audience"/> (the portal's API), obtained through some client app.</summary>
    public string UserAccessToken(EntraUser user, string audience) => Sign(user.TenantId, audience, UserClaims(user));

    private string IdToken((EntraUser User, string Nonce, string ClientId) grant)
    {
        var (user, nonce, clientId) = grant;
        var claims = UserClaims(user);
        claims["nonce"] = nonce;
        return Sign(user.TenantId, clientId, claims);
    }

    private static Dictionary<string, object> UserClaims(EntraUser user)
    {
        var claims = new Dictionary<string, object>
        {
            ["ver"] = "2.0",
            ["tid"] = user.TenantId,
            ["oid"] = Guid.NewGuid().ToString(),
            ["sub"] = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user.Email))),
            ["preferred_username"] = user.Email,
            ["email"] = user.Email,
            ["name"] = user.Name,
        };
        if (user.Roles is { Length: > 0 })
        {
            claims["roles"] = user.Roles;
        }
        if (user.Groups is { Length: > 0 })
        {
            claims["groups"] = user.Groups;
        }
        if (user.GroupsOverage)
        {
            // Entra's groups overage: too many groups for the token, which points at Microsoft Graph for them instead.
            claims["_claim_names"] = new Dictionary<string, string> { ["groups"] = "src1" };
            claims["_claim_sources"] = new Dictionary<string, object> { ["src1"] = new Dictionary<string, string> { ["endpoint"] = $"https://graph.microsoft.com/v1.0/users/{claims["oid"]}/getMemberObjects" } };
        }
        return claims;
    }

    private string Sign(string tenantId, string audience, Dictionary<string, object> claims)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = $"{Instance}{tenantId}/v2.0",
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

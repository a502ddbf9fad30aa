using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using EntitlementPortal.Auth;
using EntitlementPortal.Features.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EntitlementPortal.Api;

/// <summary>Bearer tokens for the API: the portal's own (client credentials) and, when Entra is configured, Entra's.</summary>
public static class ApiAuthentication
{
    public const string PortalScheme = "PortalApi";
    public const string EntraScheme = "EntraApi";
    public const string Audience = "api://entitlementportal";
    public const string PolicyName = "GraphApi";

    public static void Register(IServiceCollection services, AuthenticationBuilder authentication, IConfiguration configuration, IHostEnvironment environment)
    {
        services.Configure<ApiOptions>(configuration.GetSection(ApiOptions.Section));
        services.PostConfigure<ApiOptions>(options =>
        {
            if (environment.IsDevelopment() && options.Clients.Count == 0)
            {
                options.Clients.Add(ApiOptions.DemoClient);
            }
        });
        services.AddSingleton<ApiTokenIssuer>();
        services.AddSingleton<TokenEndpointThrottle>();
        authentication.AddJwtBearer(PortalScheme, _ => { });
        services.AddOptions<JwtBearerOptions>(PortalScheme).Configure<ApiTokenIssuer>((options, issuer) =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = issuer.Issuer,
                ValidAudience = Audience,
                IssuerSigningKey = issuer.Key,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ClockSkew = TimeSpan.FromMinutes(1),
            };
            options.Events = new JwtBearerEvents { OnChallenge = WriteGraphChallengeAsync };
        });
        var entra = EntraSignIn.IsConfiguredIn(configuration);
        if (entra)
        {
            // What a caller may do is decided by the services from its role, not by scopes or app roles in the token.
            authentication.AddMicrosoftIdentityWebApi(
                _ => { },
                identity =>
                {
                    configuration.GetSection("AzureAd").Bind(identity);
                    identity.AllowWebApiToBeAuthorizedByACL = true;
                },
                jwtBearerScheme: EntraScheme);
            services.Configure<JwtBearerOptions>(EntraScheme, options =>
            {
                options.Events ??= new JwtBearerEvents();
                options.Events.OnChallenge = WriteGraphChallengeAsync;
            });
        }
        services.AddAuthorizationBuilder().AddPolicy(PolicyName, policy => policy
            .AddAuthenticationSchemes(entra ? [PortalScheme, EntraScheme] : [PortalScheme])
            .RequireAuthenticatedUser());
    }

    private static Task WriteGraphChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        // With both schemes configured each one challenges; the first answer stands.
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return GraphErrors.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken",
            context.AuthenticateFailure is null ? "Access token is empty." : "Access token validation failure.");
    }
}

/// <summary>Checks client credentials and signs the portal's access tokens (HS256 JWT).</summary>
public sealed class ApiTokenIssuer(IOptions<ApiOptions> options, IOptions<PortalOptions> portal, TimeProvider clock, ILogger<ApiTokenIssuer> logger)
{
    public string Issuer { get; } = portal.Value.BaseUrl.TrimEnd('/') + "/";

    public SymmetricSecurityKey Key { get; } = new(KeyFrom(options.Value.SigningKey, logger)) { KeyId = "portal" };

    /// <summary>
    /// Who a token speaks for. The portal's own token: the client it was issued to, as its directory account. An Entra token
    /// counts only from the home tenant (Portal:HomeTenantId): an application listed in Api:Clients acts as its account, a
    /// person acts as themselves by e-mail address, exactly as their browser session would. Anything else is anonymous.
    /// </summary>
    public Actor ActorFor(ClaimsPrincipal principal)
    {
        var clientId = principal.FindFirstValue("azp") ?? principal.FindFirstValue("appid");
        ApiClient? Client() => options.Value.Clients.FirstOrDefault(c => string.Equals(c.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
        if (principal.FindFirstValue("iss") == Issuer)
        {
            return Client() is { } client ? new Actor(null, client.Mail) : Actor.Anonymous;
        }
        var tenant = principal.FindFirstValue("tid") ?? principal.FindFirstValue(PortalClaims.TenantId);
        if (portal.Value.HomeTenantId.Length == 0 || !string.Equals(tenant, portal.Value.HomeTenantId, StringComparison.OrdinalIgnoreCase))
        {
            return Actor.Anonymous;
        }
        var person = PortalClaims.ToActor(principal);
        return person != Actor.Anonymous ? person
            : Client() is { ClientSecret.Length: 0 } application ? new Actor(null, application.Mail)
            : Actor.Anonymous;
    }

    public ApiClient? Authenticate(string? clientId, string? clientSecret)
    {
        var client = options.Value.Clients.FirstOrDefault(c => string.Equals(c.ClientId, clientId, StringComparison.Ordinal));
        // Entra applications (no secret here) get their tokens from Entra.
        if (client is null || client.ClientSecret.Length == 0 || clientSecret is null)
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(clientSecret)), SHA256.HashData(Encoding.UTF8.GetBytes(client.ClientSecret)))
            ? client
            : null;
    }

    public (string Token, TimeSpan Lifetime) Issue(ApiClient client)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = ApiAuthentication.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.Value.TokenLifetime,
            Claims = new Dictionary<string, object> { ["azp"] = client.ClientId, ["sub"] = client.ClientId, ["roles"] = client.Role.ToString() },
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, options.Value.TokenLifetime);
    }

    private static byte[] KeyFrom(string configured, ILogger logger)
    {
        if (configured.Length == 0)
        {
            logger.LogInformation("Api:SigningKey is not set: API tokens are signed with a key made at start, valid on this node until it stops");
            return RandomNumberGenerator.GetBytes(32);
        }
        var key = Convert.FromBase64String(configured);
        return key.Length >= 32 ? key : throw new InvalidOperationException("Api:SigningKey must be at least 32 bytes, base64-encoded.");
    }
}

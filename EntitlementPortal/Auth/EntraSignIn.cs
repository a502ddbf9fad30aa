using System.Security.Claims;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Identity.Web;

namespace EntitlementPortal.Auth;

/// <summary>
/// Entra ID sign-in through Microsoft.Identity.Web, only when the AzureAd section names a tenant and a client:
/// without them Identity.Web answers every request with a 500. The portal's own cookie holds the session.
/// </summary>
public sealed class EntraSignIn(bool isConfigured)
{
    public const string Section = "AzureAd";

    public bool IsConfigured { get; } = isConfigured;

    public static bool IsConfiguredIn(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{Section}:ClientId"]) && !string.IsNullOrWhiteSpace(configuration[$"{Section}:TenantId"]);

    public static void Register(AuthenticationBuilder authentication, IConfiguration configuration)
    {
        if (!IsConfiguredIn(configuration))
        {
            return;
        }
        authentication.AddMicrosoftIdentityWebApp(
            options =>
            {
                configuration.GetSection(Section).Bind(options);
                options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            },
            openIdConnectScheme: OpenIdConnectDefaults.AuthenticationScheme,
            cookieScheme: null);
        // A single-tenant registration names the home tenant itself.
        authentication.Services.PostConfigure<PortalOptions>(portal =>
        {
            if (string.IsNullOrWhiteSpace(portal.HomeTenantId) && Guid.TryParse(configuration[$"{Section}:TenantId"], out var tenant))
            {
                portal.HomeTenantId = tenant.ToString();
            }
        });
        // Registered after Identity.Web's own configuration, so these handlers wrap its events.
        authentication.Services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
        {
            var validated = options.Events.OnTokenValidated;
            options.Events.OnTokenValidated = async context =>
            {
                await validated(context);
                await ToPortalSessionAsync(context);
            };
            // A refused or broken sign-in lands on the sign-in page with a plain message, not an error page.
            options.Events.OnRemoteFailure = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<ILogger<EntraSignIn>>().LogWarning("Entra ID sign-in failed: {Reason}", context.Failure?.Message);
                context.Response.Redirect("/account/signin?entra=refused");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }

    /// <summary>The portal cookie holds the address and tenant only; roles are read from the directory on every operation.</summary>
    private static async Task ToPortalSessionAsync(TokenValidatedContext context)
    {
        var token = context.Principal!;
        var identity = new EntraIdentity(
            token.FindFirstValue("email") ?? token.FindFirstValue(ClaimTypes.Email) ?? token.FindFirstValue("preferred_username"),
            token.FindFirstValue("name"),
            token.FindFirstValue("tid") ?? token.FindFirstValue(PortalClaims.TenantId),
            token.FindAll("roles").Concat(token.FindAll(ClaimTypes.Role)).Select(c => c.Value).ToList(),
            token.FindAll("groups").Select(c => c.Value).ToList(),
            GroupsOmitted: token.HasClaim(c => c.Type == "hasgroups")
                || token.FindFirstValue("_claim_names")?.Contains("\"groups\"", StringComparison.Ordinal) == true);
        try
        {
            var email = await context.HttpContext.RequestServices.GetRequiredService<EntraAccountService>().SignInAsync(identity, context.HttpContext.RequestAborted);
            context.Principal = PortalClaims.Create(email, "entra", identity.TenantId);
        }
        catch (SignInRefusedException refused)
        {
            context.Fail(refused.Message);
        }
    }

    public static void MapEndpoint(WebApplication app)
    {
        app.MapGet("/account/entra", (HttpContext http, string? returnUrl) =>
            http.RequestServices.GetRequiredService<EntraSignIn>().IsConfigured
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = AccountEndpoints.SafeReturnUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme])
                : Results.NotFound());
    }
}

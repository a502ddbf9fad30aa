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
    }

    public static void MapEndpoint(WebApplication app)
    {
        app.MapGet("/account/entra", (HttpContext http, string? returnUrl) =>
            http.RequestServices.GetRequiredService<EntraSignIn>().IsConfigured
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = AccountEndpoints.SafeReturnUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme])
                : Results.NotFound());
    }
}

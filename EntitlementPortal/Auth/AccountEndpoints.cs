using EntitlementPortal.Domain;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace EntitlementPortal.Auth;

public static class AccountEndpoints
{
    public const string DemoMethod = "demo";

    public static void MapAccountEndpoints(this WebApplication app)
    {
        // Demo sign-in exists only in Development: elsewhere the route is simply not there (404).
        if (app.Environment.IsDevelopment())
        {
            app.MapPost("/account/demo/signin", async (HttpContext http, [FromForm] string? email, [FromForm] string? returnUrl) =>
            {
                if (!Names.IsValidEmail(email))
                {
                    return Results.Redirect($"/account/demo?error=email&returnUrl={Uri.EscapeDataString(returnUrl ?? "/")}");
                }
                await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PortalClaims.Create(email!, DemoMethod));
                return Results.LocalRedirect(SafeReturnUrl(returnUrl));
            });
        }
        EntraSignIn.MapEndpoint(app);
        // No form fields to bind, so the token is checked here: another site cannot sign people out.
        app.MapPost("/account/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/");
        });
    }

    /// <summary>Only local paths: a link cannot send someone to another site after sign-in.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}

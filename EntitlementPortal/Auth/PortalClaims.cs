using System.Security.Claims;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace EntitlementPortal.Auth;

/// <summary>What the sign-in cookie holds: who proved which e-mail address, and their Entra tenant when known.</summary>
public static class PortalClaims
{
    public const string TenantId = "http://schemas.microsoft.com/identity/claims/tenantid";
    public const string Method = "portal:signin-method";

    public static ClaimsPrincipal Create(string email, string method, string? tenantId = null)
    {
        var normalized = Names.NormalizeEmail(email);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Email, normalized),
            new(ClaimTypes.Name, normalized),
            new(Method, method),
        };
        if (tenantId is not null)
        {
            claims.Add(new Claim(TenantId, tenantId));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>The acting person; their directory account (if any) is looked up by e-mail on each operation.</summary>
    public static Actor ToActor(ClaimsPrincipal principal)
    {
        var email = principal.FindFirstValue(ClaimTypes.Email) ?? principal.FindFirstValue("preferred_username");
        return principal.Identity?.IsAuthenticated == true && Names.IsValidEmail(email)
            ? new Actor(null, Names.NormalizeEmail(email!), principal.FindFirstValue(TenantId) ?? principal.FindFirstValue("tid"))
            : Actor.Anonymous;
    }
}

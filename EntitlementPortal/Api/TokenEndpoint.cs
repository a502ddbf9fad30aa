namespace EntitlementPortal.Api;

/// <summary>OAuth 2.0 client credentials (RFC 6749 §4.4) at Entra's path, with Entra's response and error shapes.</summary>
public static class TokenEndpoint
{
    public static void MapTokenEndpoint(this WebApplication app)
    {
        // Entra puts the tenant before the path; clients built for Entra keep it.
        foreach (var path in new[] { "/oauth2/v2.0/token", "/{tenant}/oauth2/v2.0/token" })
        {
            app.MapPost(path, IssueAsync).DisableAntiforgery().AllowAnonymous().WithTags("OAuth 2.0");
        }
    }

    private static async Task<IResult> IssueAsync(HttpContext http, ApiTokenIssuer issuer, TokenEndpointThrottle throttle)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "";
        if (throttle.IsRefused(address))
        {
            http.Response.Headers.RetryAfter = ((int)throttle.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Error(StatusCodes.Status429TooManyRequests, "temporarily_unavailable", "Too many failed client authentications from this address: try again later.");
        }
        if (!http.Request.HasFormContentType)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "The request body must be application/x-www-form-urlencoded.");
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form["grant_type"] != "client_credentials")
        {
            return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
        }
        // Clients built for Entra ask for "<resource>/.default": the client's role decides what it may do, not scopes.
        var scope = (string?)form["scope"] ?? "";
        if (!scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(s => s.EndsWith("/.default", StringComparison.Ordinal) || s == ".default"))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_scope", "The scope must be <resource>/.default, for example https://graph.microsoft.com/.default.");
        }
        var (clientId, clientSecret) = Credentials(http.Request, form);
        if (issuer.Authenticate(clientId, clientSecret) is not { } client)
        {
            throttle.CountFailure(address);
            return Error(StatusCodes.Status401Unauthorized, "invalid_client", "The client id or secret is not valid.");
        }
        var (token, lifetime) = issuer.Issue(client);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)lifetime.TotalSeconds,
            ["ext_expires_in"] = (int)lifetime.TotalSeconds,
            ["access_token"] = token,
        });
    }

    /// <summary>From the form (client_secret_post) or an HTTP Basic header (client_secret_basic).</summary>
    private static (string? Id, string? Secret) Credentials(HttpRequest request, IFormCollection form)
    {
        var header = (string?)request.Headers.Authorization;
        if (header?.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':', 2);
                if (pair.Length == 2)
                {
                    return (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
                }
            }
            catch (FormatException)
            {
                return (null, null);
            }
        }
        return (form["client_id"], form["client_secret"]);
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);
}

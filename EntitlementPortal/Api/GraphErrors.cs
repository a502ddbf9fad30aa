using System.Text.Json;
using EntitlementPortal.Domain;

namespace EntitlementPortal.Api;

/// <summary>Graph's error body, <c>{"error":{"code","message"}}</c>, and which portal error becomes which status.</summary>
public static class GraphErrors
{
    public static IResult Result(int status, string code, string message) =>
        Results.Json(Body(code, message), GraphJson.Options, statusCode: status);

    public static Task WriteAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(Body(code, message), GraphJson.Options);
    }

    public static IResult BadRequest(string message) => Result(StatusCodes.Status400BadRequest, "BadRequest", message);

    public static IResult From(PortalException error) => error switch
    {
        ForbiddenException => Result(StatusCodes.Status403Forbidden, "Authorization_RequestDenied", error.Message),
        NotFoundException => Result(StatusCodes.Status404NotFound, "ResourceNotFound", error.Message),
        PortalValidationException or NotEligibleException => Result(StatusCodes.Status400BadRequest, "BadRequest", error.Message),
        _ => Result(StatusCodes.Status409Conflict, "Conflict", error.Message),
    };

    private static object Body(string code, string message) => new { error = new { code, message } };

    /// <summary>Turns the portal's own errors and unreadable bodies into Graph errors for every API endpoint.</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (PortalException error)
        {
            return From(error);
        }
        catch (GraphRequestException error)
        {
            return BadRequest(error.Message);
        }
        catch (BadHttpRequestException error) when (error.InnerException is JsonException)
        {
            return BadRequest("The request body is not valid JSON for this resource.");
        }
    }
}

/// <summary>A request this API cannot read: a bad query option or body.</summary>
public sealed class GraphRequestException(string message) : Exception(message);

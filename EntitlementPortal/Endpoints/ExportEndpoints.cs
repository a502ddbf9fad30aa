using System.Text;
using EntitlementPortal.Auth;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.ConnectedOrganizations;

namespace EntitlementPortal.Endpoints;

/// <summary>CSV downloads; the services authorize, a refusal is a 403 and never data.</summary>
public static class ExportEndpoints
{
    public static void MapExportEndpoints(this WebApplication app)
    {
        var exports = app.MapGroup("/exports").RequireAuthorization();
        exports.MapGet("/audit.csv", (HttpContext http, AuditQueryService audit, string? category, string? activity, string? actor, string? target, DateTime? from, DateTime? to) =>
            CsvAsync(http, "audit-log.csv", a => audit.ExportCsvAsync(a, new AuditFilter(category, activity, actor, target, from, to), http.RequestAborted)));
        exports.MapGet("/access-packages/{id:guid}/assignments.csv", (HttpContext http, AccessPackageQueryService packages, Guid id, AssignmentState? state) =>
            CsvAsync(http, "assignments.csv", a => packages.ExportAssignmentsCsvAsync(a, id, state, http.RequestAborted)));
        exports.MapGet("/connected-organizations.csv", (HttpContext http, ConnectedOrganizationService organizations, string? search, ConnectedOrganizationState? state) =>
            CsvAsync(http, "connected-organizations.csv", a => organizations.ExportCsvAsync(a, search, state, http.RequestAborted)));
    }

    private static async Task<IResult> CsvAsync(HttpContext http, string fileName, Func<Features.Common.Actor, Task<string>> export)
    {
        try
        {
            var csv = await export(PortalClaims.ToActor(http.User));
            return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv; charset=utf-8", fileName);
        }
        catch (ForbiddenException)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
    }
}

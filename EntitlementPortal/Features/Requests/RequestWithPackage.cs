using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Requests;

/// <summary>A request with its access package, read in one statement: deciding, cancelling and reprocessing need both.</summary>
public static class RequestWithPackage
{
    private sealed record Found(AccessPackageAssignmentRequest Request, AccessPackage Package);

    private static readonly CompiledQuery<Func<PortalDbContext, Guid, CancellationToken, Task<Found?>>> ById =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, Guid id, CancellationToken ct) => (
            from r in db.AssignmentRequests
            where r.Id == id
            join p in db.AccessPackages on r.AccessPackageId equals p.Id
            select new Found(r, p)).SingleOrDefault()));

    public static async Task<(AccessPackageAssignmentRequest Request, AccessPackage Package)> FindAsync(WriteContext c, Guid requestId, CancellationToken ct)
    {
        var found = await ById.For(c.Db)(c.Db, requestId, ct)
            ?? throw new NotFoundException(nameof(AccessPackageAssignmentRequest), requestId);
        return (found.Request, found.Package);
    }
}

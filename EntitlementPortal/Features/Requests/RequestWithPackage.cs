using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Requests;

/// <summary>A request with its access package, read in one statement: deciding, cancelling and reprocessing need both.</summary>
public static class RequestWithPackage
{
    public static async Task<(AccessPackageAssignmentRequest Request, AccessPackage Package)> FindAsync(WriteContext c, Guid requestId, CancellationToken ct)
    {
        var found = await (
            from r in c.Db.AssignmentRequests
            where r.Id == requestId
            join p in c.Db.AccessPackages on r.AccessPackageId equals p.Id
            select new { Request = r, Package = p }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException(nameof(AccessPackageAssignmentRequest), requestId);
        return (found.Request, found.Package);
    }
}

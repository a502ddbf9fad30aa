namespace EntitlementPortal.Data;

/// <summary>
/// A request waiting for approval, filed under one of its <see cref="Domain.AccessPackageAssignmentRequest.ApproverRouteIds"/>
/// (a user's id, or the id of the connected organization whose sponsors approve): the approvals list finds a person's
/// waiting requests by index, however many wait for others. The save files a request when it starts waiting and takes
/// it out when it stops (<see cref="PortalDbContext"/>).
/// </summary>
public sealed class PendingApprovalRoute(Guid routeId, Guid requestId)
{
    public Guid RouteId { get; private set; } = routeId;
    public Guid RequestId { get; private set; } = requestId;
}

using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Approvals;

/// <summary>Turns a stage's approver settings into people: specific users, or the sponsors of the requestor's organization.</summary>
public static class ApproverRouting
{
    public static async Task<List<DirectoryUser>> ApproversAsync(PortalDbContext db, AccessPackageAssignmentRequest request, CancellationToken ct)
    {
        var stage = request.CurrentApprovalStage;
        if (stage is null)
        {
            return [];
        }
        var approvers = await ResolveAsync(db, request, stage.PrimaryApprovers, ct);
        if (approvers.Count == 0)
        {
            approvers = await ResolveAsync(db, request, stage.FallbackPrimaryApprovers, ct);
        }
        if (request.IsStageEscalated)
        {
            approvers.AddRange(await ResolveAsync(db, request, stage.EscalationApprovers, ct));
        }
        // Nobody approves their own request.
        return approvers.Where(u => u.Id != request.TargetUserId && u.Id != request.RequestorUserId && u.MailNormalized != request.TargetEmail)
            .DistinctBy(u => u.Id).ToList();
    }

    /// <summary>
    /// Whether the person could be among the request's approvers, from the request alone and the organizations they sponsor:
    /// a cheap first pass, so the exact routing runs only for requests that may be theirs.
    /// </summary>
    public static bool MayInclude(AccessPackageAssignmentRequest request, Guid userId, IReadOnlySet<(Guid OrganizationId, SponsorKind Kind)> sponsorships)
    {
        if (request.CurrentApprovalStage is not { } stage)
        {
            return false;
        }
        return stage.PrimaryApprovers.Concat(stage.FallbackPrimaryApprovers).Concat(request.IsStageEscalated ? stage.EscalationApprovers : []).Any(a => a.Type switch
        {
            ApproverType.SingleUser => a.UserId == userId,
            ApproverType.InternalSponsors => request.TargetConnectedOrganizationId is { } org && sponsorships.Contains((org, SponsorKind.Internal)),
            ApproverType.ExternalSponsors => request.TargetConnectedOrganizationId is { } org && sponsorships.Contains((org, SponsorKind.External)),
            _ => false,
        });
    }

    /// <summary>Named as a primary approver of the current stage, and not their own request: an approver without any query.</summary>
    public static bool IsNamedPrimaryApprover(AccessPackageAssignmentRequest request, DirectoryUser user) =>
        request.CurrentApprovalStage is { } stage
        && stage.PrimaryApprovers.Any(a => a.Type == ApproverType.SingleUser && a.UserId == user.Id)
        && request.TargetUserId != user.Id && request.RequestorUserId != user.Id && request.TargetEmail != user.MailNormalized;

    public static Task<List<DirectoryUser>> EscalationApproversAsync(PortalDbContext db, AccessPackageAssignmentRequest request, CancellationToken ct) =>
        ResolveAsync(db, request, request.CurrentApprovalStage?.EscalationApprovers ?? [], ct);

    private static readonly CompiledQuery<Func<PortalDbContext, List<Guid>, IAsyncEnumerable<DirectoryUser>>> EnabledUsers =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, List<Guid> ids) =>
            db.Users.Where(u => ids.Contains(u.Id) && u.DeletedDateTime == null && u.AccountEnabled)));

    // A stage most often names one approver. EF writes a list's statement again at every call, for its number of ids.
    private static readonly CompiledQuery<Func<PortalDbContext, Guid, IAsyncEnumerable<DirectoryUser>>> EnabledUser =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, Guid id) =>
            db.Users.Where(u => u.Id == id && u.DeletedDateTime == null && u.AccountEnabled)));

    private static async Task<List<DirectoryUser>> ResolveAsync(PortalDbContext db, AccessPackageAssignmentRequest request, IEnumerable<Approver> approvers, CancellationToken ct)
    {
        var list = approvers.ToList();
        var userIds = list.Where(a => a.Type == ApproverType.SingleUser && a.UserId is not null).Select(a => a.UserId!.Value).ToList();
        var sponsorKinds = list.Select(a => a.Type switch
        {
            ApproverType.InternalSponsors => SponsorKind.Internal,
            ApproverType.ExternalSponsors => SponsorKind.External,
            _ => (SponsorKind?)null,
        }).OfType<SponsorKind>().ToList();
        if (request.TargetConnectedOrganizationId is { } orgId && sponsorKinds.Count > 0)
        {
            userIds.AddRange(await db.ConnectedOrganizationSponsors
                .Where(s => s.ConnectedOrganizationId == orgId && sponsorKinds.Contains(s.Kind))
                .Select(s => s.UserId).ToListAsync(ct));
        }
        return await (userIds.Count == 1 ? EnabledUser.For(db)(db, userIds[0]) : EnabledUsers.For(db)(db, userIds)).ToListAsync(ct);
    }
}

using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Assignments;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Notifications;
using EntitlementPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Approvals;

/// <summary>DESIGN.md rule 2: any one approver decides a stage, a denial ends the request, nobody approves their own.</summary>
public sealed class ApprovalService(PortalStore store, Notifier notifier, DeliveryService delivery)
{
    public const int BatchSize = 500;

    public Task ApproveAsync(Actor actor, Guid requestId, string? justification = null, CancellationToken ct = default) =>
        DecideAsync(actor, requestId, ApprovalDecisionKind.Approve, justification, ct);

    public Task DenyAsync(Actor actor, Guid requestId, string? justification = null, CancellationToken ct = default) =>
        DecideAsync(actor, requestId, ApprovalDecisionKind.Deny, justification, ct);

    private Task DecideAsync(Actor actor, Guid requestId, ApprovalDecisionKind decision, string? justification, CancellationToken ct) =>
        store.WriteAsync(actor, async c =>
        {
            var (request, package) = await RequestWithPackage.FindAsync(c, requestId, ct);
            var approverId = c.Actor.UserId;
            if (approverId is null || request.TargetUserId == approverId || request.RequestorUserId == approverId
                || request.TargetEmail == Names.NormalizeEmail(c.Actor.Actor.Email))
            {
                throw new ForbiddenException(approverId is null ? "You don't have permission to decide this request." : "Approvers cannot approve their own requests.");
            }
            if (request.State != RequestState.PendingApproval)
            {
                throw new DomainRuleException("This request has already been decided.");
            }
            // A named approver of the stage needs no routing: they are among its approvers whoever else is.
            c.Actor.Require(ApproverRouting.IsNamedPrimaryApprover(request, c.Actor.User!)
                || (await ApproverRouting.ApproversAsync(c.Db, request, ct)).Any(a => a.Id == approverId), "decide this request");
            var stage = request.CurrentApprovalStage!;
            new Validator()
                .Text("Justification", justification, 4000, required: stage.IsApproverJustificationRequired, label: "Reason")
                .ThrowIfInvalid();
            c.Db.ApprovalDecisions.Add(new ApprovalDecision(request.Id, request.CurrentStage, approverId.Value, decision, justification?.Trim(), c.Now));
            foreach (var fellow in request.NamedApproversOf(request.CurrentStage).Where(id => id != approverId))
            {
                c.Db.Append(new ApprovalHistoryEntry(fellow, request.Id, request.CurrentStage, c.Now));
            }
            if (decision == ApprovalDecisionKind.Deny)
            {
                request.Deny(c.Now);
                c.Audit(AuditCategory.EntitlementManagement, "Deny access package assignment request", "AccessPackageAssignmentRequest", request.Id, package.DisplayName, request.TargetEmail);
                notifier.RequestDenied(c, request, package);
                return;
            }
            var decidedStage = request.CurrentStage;
            var moreStages = request.Approve(c.Now);
            c.Audit(AuditCategory.EntitlementManagement, "Approve access package assignment request", "AccessPackageAssignmentRequest", request.Id, package.DisplayName,
                $"Stage {decidedStage} approved for {request.TargetEmail}");
            if (moreStages)
            {
                var next = await ApproverRouting.ApproversAsync(c.Db, request, ct);
                notifier.ApprovalRequired(c, request, package, next.Select(a => a.Mail), forwarded: false);
            }
            else
            {
                delivery.DeliverWith(c, request);
            }
        }, ct);

    /// <summary>Requests nobody decided in time are denied with status Expired and the requestor is told; due escalations are forwarded.</summary>
    public async Task<int> ProcessTimeoutsAsync(CancellationToken ct = default) =>
        await store.SweepAsync(BatchSize, async c =>
        {
            var due = await c.Db.AssignmentRequests
                .Where(r => r.State == RequestState.PendingApproval && r.StageDeadline <= c.Now)
                .OrderBy(r => r.StageDeadline)
                .Take(BatchSize)
                .ToListAsync(ct);
            foreach (var request in due)
            {
                var package = await c.FindAsync<AccessPackage>(request.AccessPackageId, ct);
                request.TimeOut(c.Now);
                c.Audit(AuditCategory.EntitlementManagement, "Access package assignment request timed out (no approver action taken)",
                    "AccessPackageAssignmentRequest", request.Id, package.DisplayName, request.TargetEmail);
                notifier.RequestExpired(c, request, package);
            }
            return due.Count;
        }, ct)
        + await ForwardEscalationsAsync(ct);

    private Task<int> ForwardEscalationsAsync(CancellationToken ct) =>
        store.SweepAsync(BatchSize, async c =>
        {
            var due = await c.Db.AssignmentRequests
                .Where(r => r.State == RequestState.PendingApproval && !r.IsStageEscalated && r.StageEscalationDateTime <= c.Now)
                .OrderBy(r => r.StageEscalationDateTime)
                .Take(BatchSize)
                .ToListAsync(ct);
            foreach (var request in due)
            {
                var package = await c.FindAsync<AccessPackage>(request.AccessPackageId, ct);
                request.Escalate();
                var alternates = await ApproverRouting.EscalationApproversAsync(c.Db, request, ct);
                c.Audit(AuditCategory.UserManagement, "Add approver to request approval", "AccessPackageAssignmentRequest", request.Id, package.DisplayName,
                    $"Forwarded to {string.Join(", ", alternates.Select(a => a.Mail))}");
                notifier.ApprovalRequired(c, request, package, alternates.Select(a => a.Mail), forwarded: true);
            }
            return due.Count;
        }, ct);
}

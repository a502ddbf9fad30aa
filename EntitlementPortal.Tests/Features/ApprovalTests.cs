using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Features;

public class ApprovalTests : ServiceTests
{
    private const string Partner = "lee@fabrikam.com";

    [Fact]
    public async Task Approvers_cannot_approve_their_own_requests()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { AllowedTargetScope = AllowedTargetScope.AllMemberUsers, SpecificAllowedTargets = [] });
        var requestId = await s.RequestAsync(s.Approver);
        var error = await Assert.ThrowsAsync<ForbiddenException>(() => portal.Approvals.ApproveAsync(s.Approver, requestId));
        Assert.Equal("Approvers cannot approve their own requests.", error.Message);
        Assert.Equal(RequestState.PendingApproval, (await portal.RequestAsync(requestId)).State);
        Assert.Empty(await portal.QueryAsync(db => db.ApprovalDecisions.ToListAsync()));
    }

    [Fact]
    public async Task Someone_who_is_not_an_approver_of_the_stage_cannot_decide()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        var bystander = await portal.MemberAsync("Bo", "bo@contoso.com");
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Approvals.ApproveAsync(bystander, requestId));
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Approvals.ApproveAsync(portal.Admin, requestId));
    }

    [Fact]
    public async Task Two_approvals_of_one_request_at_the_same_moment_give_exactly_one_assignment()
    {
        await using var portal = await CreatePortalAsync();
        var second = await portal.MemberAsync("Second Approver", "approver2@contoso.com");
        var s = await Scenario.CreateAsync(portal, (_, d) => d with
        {
            Stages = [new ApprovalStage
            {
                DurationBeforeAutomaticDenialInDays = 14,
                PrimaryApprovers = [d.Stages[0].PrimaryApprovers[0], new Approver { Type = ApproverType.SingleUser, UserId = second.UserId }],
            }],
        });
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));

        // Two services share nothing but the database file: two real connections racing.
        await using var other = await TestPortal.AttachAsync(portal);
        using var start = new Barrier(2);
        var first = Task.Run(async () => { start.SignalAndWait(); await portal.Approvals.ApproveAsync(s.Approver, requestId); });
        var racing = Task.Run(async () => { start.SignalAndWait(); await other.Approvals.ApproveAsync(second, requestId); });
        var outcomes = await Task.WhenAll(Outcome.Of(first), Outcome.Of(racing));

        Assert.Single(outcomes, o => o is null);
        Assert.Single(outcomes, o => o is DomainRuleException);
        await Task.WhenAll(portal.Delivery.DeliverPendingAsync(), other.Delivery.DeliverPendingAsync());
        Assert.Single(await portal.QueryAsync(db => db.Assignments.ToListAsync()));
        Assert.Single(await portal.QueryAsync(db => db.ApprovalDecisions.ToListAsync()));
        Assert.Single(await portal.AuditAsync("Approve access package assignment request"));
        Assert.Single(await portal.EmailsToAsync(Partner));
    }

    [Fact]
    public async Task A_request_nobody_decides_in_time_is_denied_with_status_Expired_and_the_requestor_is_told()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        await portal.AdvanceAsync(TimeSpan.FromDays(14) - TimeSpan.FromSeconds(1));
        Assert.Equal(RequestState.PendingApproval, (await portal.RequestAsync(requestId)).State);
        await portal.AdvanceAsync(TimeSpan.FromSeconds(1));
        var request = await portal.RequestAsync(requestId);
        Assert.Equal(RequestState.Denied, request.State);
        Assert.Equal("Expired", request.Status);
        Assert.Single(await portal.EmailsToAsync(Partner), e => e.Subject == "Your request has expired for Falcon partners");
        Assert.Single(await portal.AuditAsync("Access package assignment request timed out (no approver action taken)"));
        await Assert.ThrowsAsync<DomainRuleException>(() => portal.Approvals.ApproveAsync(s.Approver, requestId));
    }

    [Fact]
    public async Task A_denial_ends_the_request_and_tells_the_requestor()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        await portal.Approvals.DenyAsync(s.Approver, requestId, "Not on the project");
        var request = await portal.RequestAsync(requestId);
        Assert.Equal(RequestState.Denied, request.State);
        Assert.Equal("Denied", request.Status);
        Assert.Single(await portal.EmailsToAsync(Partner), e => e.Subject == "Request denied to Falcon partners");
        await portal.RunSweepsAsync();
        Assert.Empty(await portal.QueryAsync(db => db.Assignments.ToListAsync()));
    }

    [Fact]
    public async Task Each_of_three_stages_needs_its_own_approval_before_delivery()
    {
        await using var portal = await CreatePortalAsync();
        var second = await portal.MemberAsync("Stage Two", "stage2@contoso.com");
        var third = await portal.MemberAsync("Stage Three", "stage3@contoso.com");
        var s = await Scenario.CreateAsync(portal, (_, d) => d with
        {
            Stages = [d.Stages[0], Stage(second, 3), Stage(third, 5)],
        });
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Approvals.ApproveAsync(second, requestId));
        await portal.Approvals.ApproveAsync(s.Approver, requestId);
        var request = await portal.RequestAsync(requestId);
        Assert.Equal((RequestState.PendingApproval, 2), (request.State, request.CurrentStage));
        Assert.Equal(portal.Now.AddDays(3), request.StageDeadline);
        Assert.Single(await portal.EmailsToAsync("stage2@contoso.com"));
        // Named in the first stage only: not an approver of the second.
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Approvals.ApproveAsync(s.Approver, requestId));
        await portal.Approvals.ApproveAsync(second, requestId);
        Assert.Equal(3, (await portal.RequestAsync(requestId)).CurrentStage);
        await portal.Approvals.ApproveAsync(third, requestId);
        Assert.Equal(RequestState.Delivered, (await portal.RequestAsync(requestId)).State);
        Assert.Equal(3, await portal.QueryAsync(db => db.ApprovalDecisions.CountAsync(d => d.RequestId == requestId)));
    }

    [Fact]
    public async Task A_request_approved_after_its_policy_was_deleted_fails_delivery_and_grants_nothing()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        await portal.Policies.DeleteAsync(portal.Admin, s.PolicyId);
        await portal.Approvals.ApproveAsync(s.Approver, requestId);
        var request = await portal.RequestAsync(requestId);
        Assert.Equal((RequestState.DeliveryFailed, "The policy of this request no longer exists."), (request.State, request.DeliveryError));
        Assert.Empty(await portal.QueryAsync(db => db.Assignments.ToListAsync()));
        Assert.Empty(await portal.QueryAsync(db => db.ResourceRoleMemberships.ToListAsync()));
    }

    [Fact]
    public async Task Approver_justification_is_required_where_the_stage_says()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { Stages = [Stage(null, 14, justification: true, d.Stages[0].PrimaryApprovers[0])] });
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        var error = await Assert.ThrowsAsync<PortalValidationException>(() => portal.Approvals.ApproveAsync(s.Approver, requestId, "  "));
        Assert.Equal("Justification", Assert.Single(error.Failures).Field);
        Assert.Equal(RequestState.PendingApproval, (await portal.RequestAsync(requestId)).State);
        await portal.Approvals.ApproveAsync(s.Approver, requestId, "Project member");
    }

    [Fact]
    public async Task Unanswered_stage_is_forwarded_to_alternate_approvers_after_the_escalation_days()
    {
        await using var portal = await CreatePortalAsync();
        var alternate = await portal.MemberAsync("Alt", "alternate@contoso.com");
        var s = await Scenario.CreateAsync(portal, (_, d) => d with
        {
            Stages = [new ApprovalStage
            {
                DurationBeforeAutomaticDenialInDays = 10, IsEscalationEnabled = true, DurationBeforeEscalationInDays = 3,
                PrimaryApprovers = d.Stages[0].PrimaryApprovers, EscalationApprovers = [new Approver { Type = ApproverType.SingleUser, UserId = alternate.UserId }],
            }],
        });
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Approvals.ApproveAsync(alternate, requestId));
        await portal.AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Single(await portal.EmailsToAsync("alternate@contoso.com"), e => e.Subject.StartsWith("Action required: Approve or deny forwarded request by", StringComparison.Ordinal));
        await portal.Approvals.ApproveAsync(alternate, requestId);
        Assert.Equal(RequestState.Delivered, (await portal.RequestAsync(requestId)).State);
    }

    [Fact]
    public async Task Requestor_cancels_a_pending_request_but_not_a_delivered_one()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var pending = await s.RequestAsync(Actor.ForEmail(Partner));
        await portal.Requests.CancelAsync(Actor.ForEmail(Partner), pending);
        Assert.Equal(RequestState.Canceled, (await portal.RequestAsync(pending)).State);
        await s.GrantAsync(Actor.ForEmail(Partner));
        var delivered = await portal.QueryAsync(db => db.AssignmentRequests.SingleAsync(r => r.State == RequestState.Delivered));
        var lee = await s.AsDirectoryUserAsync(Partner);
        await Assert.ThrowsAsync<DomainRuleException>(() => portal.Requests.CancelAsync(lee, delivered.Id));
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Requests.CancelAsync(Actor.ForEmail("eve@fabrikam.com"), delivered.Id));
    }

    [Fact]
    public async Task A_second_request_while_one_is_pending_is_refused()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await s.RequestAsync(Actor.ForEmail(Partner));
        var refused = await Assert.ThrowsAsync<NotEligibleException>(() => s.RequestAsync(Actor.ForEmail("LEE@Fabrikam.com")));
        Assert.Equal(IneligibilityReason.RequestAlreadyPending, refused.Reason);
    }

    [Fact]
    public async Task Double_submitted_requests_on_two_connections_create_one_request()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await using var other = await TestPortal.AttachAsync(portal);
        using var start = new Barrier(2);
        var outcomes = await Task.WhenAll(
            Outcome.Of(Task.Run(async () => { start.SignalAndWait(); await s.RequestAsync(Actor.ForEmail(Partner)); })),
            Outcome.Of(Task.Run(async () => { start.SignalAndWait(); await other.Requests.SubmitAsync(Actor.ForEmail(Partner), new(s.PackageId, Justification: "again")); })));
        Assert.Single(outcomes, o => o is null);
        Assert.Single(outcomes, o => o is NotEligibleException);
        Assert.Single(await portal.QueryAsync(db => db.AssignmentRequests.ToListAsync()));
    }

    private static ApprovalStage Stage(Actor? approver, int days, bool justification = false, Approver? explicitApprover = null) => new()
    {
        DurationBeforeAutomaticDenialInDays = days,
        IsApproverJustificationRequired = justification,
        PrimaryApprovers = [explicitApprover ?? new Approver { Type = ApproverType.SingleUser, UserId = approver!.UserId }],
    };
}

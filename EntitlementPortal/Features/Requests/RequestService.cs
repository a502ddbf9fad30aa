using System.Text.RegularExpressions;
using EntitlementPortal.Data;
using EntitlementPortal.Directory;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Approvals;
using EntitlementPortal.Features.Assignments;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Requests;

public sealed record AccessRequestInput(
    Guid AccessPackageId,
    Guid? PolicyId = null,
    string? Justification = null,
    IReadOnlyDictionary<string, string>? Answers = null,
    DateTime? RequestedEndDateTime = null);

/// <summary>A direct assignment: an existing user by id, or someone not yet in the directory by e-mail.</summary>
public sealed record DirectAssignmentInput(
    Guid AccessPackageId,
    Guid PolicyId,
    Guid? UserId = null,
    string? Email = null,
    string? DisplayName = null,
    string? Justification = null);

public sealed class RequestService(PortalStore store, IOptions<PortalOptions> options, Notifier notifier, AssignmentEnder ender, DeliveryService delivery)
{
    /// <summary>"Submit request" in My Access.</summary>
    public Task<Guid> SubmitAsync(Actor actor, AccessRequestInput input, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var package = await c.Db.AccessPackageAsync(input.AccessPackageId, ct);
            var (requestor, policies) = await new RequestEligibility(options.Value).CheckAsync(c.Db, c.Actor, package, ct);
            var policy = ChoosePolicy(policies, input.PolicyId);
            var answers = ValidateRequestDetails(policy, input, c.Now);

            var org = requestor.Organization;
            if (requestor.IsExternal && org is null && policy.AllowedTargetScope == AllowedTargetScope.AllExternalUsers)
            {
                org = ConnectedOrganization.Propose(requestor.Domain, c.Now);
                c.Db.ConnectedOrganizations.Add(org);
                c.Audit(AuditCategory.EntitlementManagement, "Create connected organization", "ConnectedOrganization", org.Id, org.DisplayName, "Proposed, from an 'All users' request");
            }
            var request = AccessPackageAssignmentRequest.Create(RequestType.UserAdd, package.Id, policy.Id,
                (requestor.User?.Id, requestor.Email),
                (requestor.User?.Id, requestor.Email, requestor.User?.DisplayName ?? requestor.Email, org?.Id),
                input.Justification?.Trim(), answers, policy.Stages, policy.Expiration, input.RequestedEndDateTime, c.Now);
            c.Db.AssignmentRequests.Add(request);
            c.Audit(AuditCategory.EntitlementManagement, "User requests access package assignment", "AccessPackageAssignmentRequest", request.Id, package.DisplayName, requestor.Email);
            await RouteAsync(c, request, package, policy.IsApprovalRequired, ct);
            return request.Id;
        }, ct);

    /// <summary>"New assignment" by an administrator or assignment manager: no approval, and the catalog need not be enabled for external users.</summary>
    public Task<Guid> AssignDirectlyAsync(Actor actor, DirectAssignmentInput input, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var package = await c.Db.AccessPackageAsync(input.AccessPackageId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(package.CatalogId, Permissions.ManageAssignments), "assign users to this access package");
            var policy = await c.Db.AssignmentPolicies.SingleOrDefaultAsync(p => p.Id == input.PolicyId && p.AccessPackageId == package.Id, ct)
                ?? throw new PortalValidationException(nameof(input.PolicyId), "Choose a policy of this access package.");
            if (!policy.IsEnabled)
            {
                throw new PortalValidationException(nameof(input.PolicyId), "This policy does not allow new requests and assignments.");
            }
            new Validator().Text(nameof(input.Justification), input.Justification, 4000, required: false, label: "Justification").ThrowIfInvalid();
            var (userId, email, name, orgId) = await ResolveDirectTargetAsync(c.Db, input, ct);
            await RequestEligibility.EnsureNoOpenAccessAsync(c.Db, userId, email, package.Id, ct);
            var request = AccessPackageAssignmentRequest.Create(RequestType.AdminAdd, package.Id, policy.Id,
                (c.Actor.UserId, c.Actor.Actor.Email), (userId, email, name, orgId), input.Justification?.Trim(), [], [], policy.Expiration, null, c.Now);
            request.AutoApprove();
            c.Db.AssignmentRequests.Add(request);
            delivery.DeliverWith(c, request);
            c.Audit(AuditCategory.EntitlementManagement, "Administrator directly assigns user to access package", "AccessPackageAssignmentRequest", request.Id, package.DisplayName, email);
            return request.Id;
        }, ct);

    /// <summary>The requestor cancels while approval is pending; a manager may also cancel a request that failed or waits for delivery.</summary>
    public Task CancelAsync(Actor actor, Guid requestId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var (request, package) = await RequestWithPackage.FindAsync(c, requestId, ct);
            var isOwn = IsOwn(c.Actor, request);
            var isManager = c.Actor.HasCatalogRole(package.CatalogId, Permissions.ManageAssignments);
            c.Actor.Require(isOwn || isManager, "cancel this request");
            request.Cancel(byManager: isManager, c.Now);
            c.Audit(AuditCategory.EntitlementManagement, "Cancel access package assignment request", "AccessPackageAssignmentRequest", request.Id, package.DisplayName, request.TargetEmail);
        }, ct);

    /// <summary>Extension: only where the policy allows it and the user is still in its scope; up to the policy's fixed end date.</summary>
    public Task<Guid> ExtendAsync(Actor actor, Guid assignmentId, string? justification = null, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var assignment = await c.FindAsync<AccessPackageAssignment>(assignmentId, ct);
            c.Actor.Require(c.Actor.UserId == assignment.TargetUserId, "extend this assignment");
            if (!assignment.IsActive)
            {
                throw new DomainRuleException("This assignment has already ended.");
            }
            var package = await c.Db.AccessPackageAsync(assignment.AccessPackageId, ct);
            var policy = await c.FindAsync<AssignmentPolicy>(assignment.AssignmentPolicyId, ct);
            var requestor = await new RequestEligibility(options.Value).IdentifyAsync(c.Db, c.Actor, ct);
            if (!policy.CanExtend || policy.AllowedTargetScope == AllowedTargetScope.NotSpecified
                || !await c.Db.AssignmentPolicies.Where(p => p.Id == policy.Id).AnyAsync(RequestEligibility.AppliesTo(requestor), ct))
            {
                throw new DomainRuleException("The policy of this assignment does not let you extend it.");
            }
            if (policy.Expiration.EndFor(c.Now) is not { } newEnd || (assignment.ExpiredDateTime is { } end && newEnd <= end))
            {
                throw new DomainRuleException("This assignment cannot be extended beyond the policy's end date.");
            }
            if (await c.Db.AssignmentRequests.AnyAsync(r => r.AssignmentId == assignment.Id && r.RequestType == RequestType.UserExtend && RequestEligibility.OpenStates.Contains(r.State), ct))
            {
                throw new NotEligibleException(IneligibilityReason.RequestAlreadyPending, "An extension request is already pending.");
            }
            var user = c.Actor.User!;
            var request = AccessPackageAssignmentRequest.Create(RequestType.UserExtend, package.Id, policy.Id, (user.Id, user.Mail),
                (user.Id, user.Mail, user.DisplayName, user.ConnectedOrganizationId), justification?.Trim(), [], policy.Stages, policy.Expiration, null, c.Now);
            request.AttachAssignment(assignment.Id);
            c.Db.AssignmentRequests.Add(request);
            c.Audit(AuditCategory.EntitlementManagement, "User requests to extend access package assignment", "AccessPackageAssignmentRequest", request.Id, package.DisplayName, user.Mail);
            await RouteAsync(c, request, package, policy.IsApprovalRequiredForExtension, ct);
            return request.Id;
        }, ct);

    /// <summary>"Remove access": the user gives up their own assignment.</summary>
    public Task RelinquishAsync(Actor actor, Guid assignmentId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var assignment = await c.FindAsync<AccessPackageAssignment>(assignmentId, ct);
            c.Actor.Require(c.Actor.UserId == assignment.TargetUserId, "remove this assignment");
            await ender.EndAsync(c, assignment, RequestType.UserRemove, ct);
        }, ct);

    /// <summary>Returns the id of the adminRemove request that records the removal.</summary>
    public Task<Guid> RemoveAssignmentAsync(Actor actor, Guid assignmentId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var assignment = await c.FindAsync<AccessPackageAssignment>(assignmentId, ct);
            var package = await c.FindAsync<AccessPackage>(assignment.AccessPackageId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(package.CatalogId, Permissions.ManageAssignments), "remove assignments of this access package");
            return (await ender.EndAsync(c, assignment, RequestType.AdminRemove, ct)).Id;
        }, ct);

    public Task ReprocessAsync(Actor actor, Guid requestId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var (request, package) = await RequestWithPackage.FindAsync(c, requestId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(package.CatalogId, Permissions.ManageAssignments), "reprocess requests of this access package");
            request.Reprocess(c.Now);
            delivery.DeliverWith(c, request);
            c.Audit(AuditCategory.EntitlementManagement, "Reprocess access package assignment request", "AccessPackageAssignmentRequest", request.Id, package.DisplayName, request.TargetEmail);
        }, ct);

    /// <summary>The link in "You now have access to …" completes the invitation: PendingAcceptance → Accepted. Returns the guest's address.</summary>
    public Task<string> RedeemInvitationAsync(string token, CancellationToken ct = default) =>
        store.WriteAsync(Actor.System, async c =>
        {
            var hash = LocalDirectory.HashToken(token ?? "");
            var user = await c.Db.Users.SingleOrDefaultAsync(u => u.InvitationRedeemTokenHash == hash && u.DeletedDateTime == null, ct)
                ?? throw new NotFoundException("Invitation", "link");
            user.RedeemInvitation();
            c.AuditByUser(user, AuditCategory.UserManagement, "Redeem external user invite");
            return user.MailNormalized;
        }, ct);

    private async Task RouteAsync(WriteContext c, AccessPackageAssignmentRequest request, AccessPackage package, bool approvalRequired, CancellationToken ct)
    {
        if (!approvalRequired)
        {
            request.AutoApprove();
            delivery.DeliverWith(c, request);
            c.Audit(AuditCategory.EntitlementManagement, "Auto approve access package assignment request", "AccessPackageAssignmentRequest", request.Id, package.DisplayName, request.TargetEmail);
            return;
        }
        request.StartApproval(c.Now);
        var approvers = await ApproverRouting.ApproversAsync(c.Db, request, ct);
        c.Audit(AuditCategory.UserManagement, "Create request approval", "AccessPackageAssignmentRequest", request.Id, package.DisplayName,
            $"Stage 1: {string.Join(", ", approvers.Select(a => a.Mail))}");
        notifier.ApprovalRequired(c, request, package, approvers.Select(a => a.Mail), forwarded: false);
    }

    private async Task<(Guid? UserId, string Email, string Name, Guid? OrgId)> ResolveDirectTargetAsync(PortalDbContext db, DirectAssignmentInput input, CancellationToken ct)
    {
        if (input.UserId is { } userId)
        {
            var user = await db.ActiveUserAsync(userId, ct)
                ?? throw new PortalValidationException(nameof(input.UserId), "Choose a user of this directory.");
            return (user.Id, user.MailNormalized, user.DisplayName, user.ConnectedOrganizationId);
        }
        var v = new Validator()
            .When(!Names.IsValidEmail(input.Email), nameof(input.Email), "Enter the e-mail address of the user to assign.")
            .Text(nameof(input.DisplayName), input.DisplayName, 256, required: false, label: "Display name");
        v.ThrowIfInvalid();
        var email = Names.NormalizeEmail(input.Email!);
        var existing = await db.ActiveUserByMailAsync(email, ct);
        if (existing is not null)
        {
            return (existing.Id, existing.MailNormalized, existing.DisplayName, existing.ConnectedOrganizationId);
        }
        if (options.Value.IsHomeDomain(Names.DomainOf(email)))
        {
            throw new PortalValidationException(nameof(input.Email), "Users of this organization must already be in the directory.");
        }
        var org = await ConnectedOrganizationService.FindForAsync(db, email, null, ct);
        return (null, email, string.IsNullOrWhiteSpace(input.DisplayName) ? email : input.DisplayName.Trim(), org?.Id);
    }

    private static AssignmentPolicy ChoosePolicy(List<AssignmentPolicy> policies, Guid? policyId)
    {
        if (policyId is { } id)
        {
            return policies.SingleOrDefault(p => p.Id == id)
                ?? throw new PortalValidationException(nameof(AccessRequestInput.PolicyId), "You cannot request this access package under the chosen policy.");
        }
        return policies.Count == 1
            ? policies[0]
            : throw new PortalValidationException(nameof(AccessRequestInput.PolicyId), "Select a policy.");
    }

    private static List<RequestAnswer> ValidateRequestDetails(AssignmentPolicy policy, AccessRequestInput input, DateTime now)
    {
        var v = new Validator().Text(nameof(input.Justification), input.Justification, 4000, required: policy.IsRequestorJustificationRequired, label: "Business justification");
        var answers = new List<RequestAnswer>();
        foreach (var question in policy.Questions)
        {
            var field = $"Answers[{question.Id}]";
            var value = input.Answers?.GetValueOrDefault(question.Id)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                v.When(question.IsRequired, field, $"Answer the question '{question.Text}'.");
                continue;
            }
            v.When(value.Length > (question.AnswerFormat == AnswerFormat.LongText ? 4000 : 400), field, "The answer is too long.");
            v.When(question.AnswerFormat == AnswerFormat.MultipleChoice && !question.Choices.Contains(value), field, "Choose one of the answers offered.");
            v.When(!string.IsNullOrEmpty(question.RegexPattern) && !MatchesSafely(value, question.RegexPattern), field, "The answer is not in the expected format.");
            answers.Add(new RequestAnswer { QuestionId = question.Id, QuestionText = question.Text, Value = value });
        }
        if (input.RequestedEndDateTime is { } end)
        {
            v.When(!policy.AllowCustomAssignmentSchedule, nameof(input.RequestedEndDateTime), "This policy does not let you ask for a specific period.");
            v.When(end <= now, nameof(input.RequestedEndDateTime), "The end date must be in the future.");
        }
        v.ThrowIfInvalid();
        return answers;
    }

    private static bool MatchesSafely(string value, string pattern)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool IsOwn(ActorContext actor, AccessPackageAssignmentRequest request) =>
        (actor.UserId is { } id && (request.TargetUserId == id || request.RequestorUserId == id))
        || (!actor.IsSystem && request.TargetEmail == Names.NormalizeEmail(actor.Actor.Email) && actor.User is null);

}

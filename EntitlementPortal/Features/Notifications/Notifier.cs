using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Notifications;

/// <summary>Writes each notification as an outbox row in the caller's transaction, with Entra's subjects.</summary>
public sealed class Notifier(IOptions<PortalOptions> options)
{
    private PortalOptions Portal => options.Value;

    public void AccessGranted(WriteContext c, AccessPackageAssignmentRequest request, AccessPackage package, string? redeemToken) =>
        Queue(c, $"delivered:{request.Id}", request.TargetEmail, $"You now have access to {package.DisplayName}",
            redeemToken is null
                ? $"Your request for {package.DisplayName} was delivered. Open My Access: {Portal.Link("myaccess")}"
                : $"Your request for {package.DisplayName} was delivered. To use your access, accept the invitation: {Portal.Link($"invitations/redeem?token={redeemToken}")}");

    public void AccessEnded(WriteContext c, AccessPackageAssignment assignment, AccessPackage package, string to) =>
        Queue(c, $"ended:{assignment.Id}", to, $"Access has ended for {package.DisplayName}",
            $"Your access to {package.DisplayName} has ended. You can request it again in My Access: {Portal.Link($"myaccess/access-packages/{package.Id}")}");

    public void ApprovalRequired(WriteContext c, AccessPackageAssignmentRequest request, AccessPackage package, IEnumerable<string> approvers, bool forwarded)
    {
        var deadline = Names.FormatDate(request.StageDeadline!.Value);
        var subject = forwarded ? $"Action required: Approve or deny forwarded request by {deadline}" : $"Action required: Approve or deny request by {deadline}";
        foreach (var to in approvers.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            Queue(c, $"approve:{request.Id}:{request.CurrentStage}:{(forwarded ? "forwarded" : "primary")}:{Names.NormalizeEmail(to)}", to, subject,
                $"{request.TargetDisplayName} ({request.TargetEmail}) requests {package.DisplayName}. Justification: {request.Justification ?? "(none)"}. " +
                $"Approve or deny: {Portal.Link($"myaccess/approvals/{request.Id}")}");
        }
    }

    public void RequestDenied(WriteContext c, AccessPackageAssignmentRequest request, AccessPackage package) =>
        Queue(c, $"denied:{request.Id}", request.TargetEmail, $"Request denied to {package.DisplayName}",
            $"Your request for {package.DisplayName} was denied. Details: {Portal.Link("myaccess/request-history")}");

    public void RequestExpired(WriteContext c, AccessPackageAssignmentRequest request, AccessPackage package) =>
        Queue(c, $"expired:{request.Id}", request.TargetEmail, $"Your request has expired for {package.DisplayName}",
            $"No approver acted on your request for {package.DisplayName} in time. You can submit it again: {Portal.Link($"myaccess/access-packages/{package.Id}")}");

    public void ExtendReminder(WriteContext c, AccessPackageAssignment assignment, AccessPackage package, string to, TimeSpan reminder) =>
        Queue(c, $"reminder:{assignment.Id}:{assignment.ExpiredDateTime:O}:{reminder.TotalDays}", to,
            $"Extend access for {package.DisplayName} by {Names.FormatDate(assignment.ExpiredDateTime!.Value)}",
            $"Your access to {package.DisplayName} ends on {Names.FormatDate(assignment.ExpiredDateTime!.Value)}. Extend it in My Access: {Portal.Link("myaccess/my-access")}");

    public void SignInCode(WriteContext c, string to, string code) =>
        Queue(c, $"signin:{Guid.NewGuid():N}", to, "Your EntitlementPortal sign-in code",
            $"Your sign-in code is {code}. It works once, for 10 minutes. If you did not ask for it, ignore this e-mail.");

    private static void Queue(WriteContext c, string key, string to, string subject, string body) =>
        c.Db.Append(OutboxEmail.Create(key, to, subject, body, c.Now));
}

using EntitlementPortal.Data;
using EntitlementPortal.Directory;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Features;

/// <summary>The seed's "How access works for external users", steps 1–11.</summary>
public class ExternalUserJourneyTests : ServiceTests
{
    private const string Partner = "requestor.a@fabrikam.com";

    [Fact]
    public async Task External_user_journey_from_request_to_account_removal_follows_all_eleven_steps()
    {
        await using var portal = await CreatePortalAsync();
        // 1. An access package with a policy "For users not in your directory".
        var s = await Scenario.CreateAsync(portal);
        // 2. The link is shared (My Access link is the package id); 3. Requestor A requests through it.
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        Assert.Equal(RequestState.PendingApproval, (await portal.RequestAsync(requestId)).State);
        Assert.Null(await portal.QueryAsync(db => db.Users.SingleOrDefaultAsync(u => u.MailNormalized == Partner)));
        // 4. An approver approves; 5. the request goes into the delivering state, and is delivered in the same moment
        //    (Entra takes up to hours; the delivery sweep remains the safety net, see Step5_when_the_delivery_after_approval_fails…).
        await portal.Approvals.ApproveAsync(s.Approver, requestId, "Known partner");
        // 6. A guest account is created through the invitation process.
        var guest = await portal.UserAsync(Partner);
        Assert.Equal(UserType.Guest, guest.UserType);
        Assert.Equal(SubjectLifecycle.Governed, guest.Lifecycle);
        Assert.Equal(ExternalUserState.PendingAcceptance, guest.ExternalUserState);
        Assert.Equal(s.OrganizationId, guest.ConnectedOrganizationId);
        // 7. The guest is assigned every resource of the package.
        Assert.Equal([s.MemberRoleId], await portal.RolesOfAsync(guest.Id));
        Assert.Equal(RequestState.Delivered, (await portal.RequestAsync(requestId)).State);
        // 8. The external user receives an e-mail that the access was delivered, 9. with the link that completes the invitation.
        var delivered = Assert.Single(await portal.EmailsToAsync(Partner), e => e.Subject == "You now have access to Falcon partners");
        var token = delivered.Body[(delivered.Body.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..].Trim();
        await portal.Requests.RedeemInvitationAsync(token);
        Assert.Equal(ExternalUserState.Accepted, (await portal.UserAsync(Partner)).ExternalUserState);
        // 10. After 180 days the assignment expires and the access is removed.
        await portal.AdvanceAsync(TimeSpan.FromDays(180));
        var assignment = await portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.TargetUserId == guest.Id));
        Assert.Equal(AssignmentState.Expired, assignment.State);
        Assert.Empty(await portal.RolesOfAsync(guest.Id));
        Assert.Contains(await portal.EmailsToAsync(Partner), e => e.Subject == "Access has ended for Falcon partners");
        // 11. With no assignment left, the guest is blocked, and removed 30 days later.
        var blocked = await portal.UserAsync(Partner);
        Assert.False(blocked.AccountEnabled);
        Assert.Equal(portal.Now.AddDays(30), blocked.ScheduledDeletionDateTime);
        await portal.AdvanceAsync(TimeSpan.FromDays(30));
        Assert.True((await portal.UserAsync(Partner)).IsDeleted);
    }

    [Fact]
    public async Task Step3_request_through_the_link_waits_for_approval_and_tells_the_approver()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        var request = await portal.RequestAsync(requestId);
        Assert.Equal(RequestType.UserAdd, request.RequestType);
        Assert.Equal(portal.Now.AddDays(14), request.StageDeadline);
        Assert.Single(await portal.EmailsToAsync("approver@contoso.com"), e => e.Subject == $"Action required: Approve or deny request by {Names.FormatDate(portal.Now.AddDays(14))}");
        Assert.Single(await portal.AuditAsync("User requests access package assignment"));
    }

    [Fact]
    public async Task Step4_an_auto_approved_request_is_delivered_as_soon_as_it_is_submitted()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequired = false, Stages = [] });
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        Assert.Equal(RequestState.Delivered, (await portal.RequestAsync(requestId)).State);
        Assert.Single(await portal.AuditAsync("Auto approve access package assignment request"));
        Assert.Single(await portal.AuditAsync("Fulfill access package assignment"));
    }

    [Fact]
    public async Task Step6_guest_already_in_the_directory_is_not_invited_again()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var existingId = await portal.DirectoryAdmin.AddExistingGuestAsync(portal.Admin, "Requestor A", Partner, s.OrganizationId);
        await s.GrantAsync(await s.AsDirectoryUserAsync(Partner));
        Assert.Equal(1, await portal.QueryAsync(db => db.Users.CountAsync(u => u.MailNormalized == Partner)));
        Assert.Equal([s.MemberRoleId], await portal.RolesOfAsync(existingId));
        Assert.DoesNotContain(await portal.AuditAsync("Invite external user"), e => e.ActorName == "System");
    }

    [Fact]
    public async Task Step10_assignment_expires_after_the_policy_duration_and_not_before()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var assignment = await s.GrantAsync(Actor.ForEmail(Partner));
        Assert.Equal(portal.Now.AddDays(180), assignment.ExpiredDateTime);
        await portal.AdvanceAsync(TimeSpan.FromDays(180) - TimeSpan.FromMinutes(1));
        Assert.True((await portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == assignment.Id))).IsActive);
        await portal.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.False((await portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == assignment.Id))).IsActive);
        Assert.Single(await portal.QueryAsync(db => db.AssignmentRequests.Where(r => r.RequestType == RequestType.SystemRemove).ToListAsync()));
    }

    [Fact]
    public async Task Redeem_link_works_once()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await s.GrantAsync(Actor.ForEmail(Partner));
        var body = (await portal.EmailsToAsync(Partner)).Single(e => e.Subject.StartsWith("You now have access", StringComparison.Ordinal)).Body;
        var token = body[(body.IndexOf("token=", StringComparison.Ordinal) + 6)..].Trim();
        await portal.Requests.RedeemInvitationAsync(token);
        await Assert.ThrowsAsync<NotFoundException>(() => portal.Requests.RedeemInvitationAsync(token));
        await Assert.ThrowsAsync<NotFoundException>(() => portal.Requests.RedeemInvitationAsync("forged"));
    }

    [Fact]
    public async Task Step1_policy_for_users_not_in_your_directory_does_not_admit_members()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var member = await portal.MemberAsync("Mo", "mo@contoso.com");
        var refused = await Assert.ThrowsAsync<NotEligibleException>(() => s.RequestAsync(member));
        Assert.Equal(IneligibilityReason.NotInScopeOfAnyPolicy, refused.Reason);
    }

    [Fact]
    public async Task Step2_the_shared_link_works_even_for_a_hidden_package()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await portal.Packages.UpdateAsync(portal.Admin, s.PackageId, new(s.CatalogId, "Falcon partners", null, IsHidden: true));
        await s.RequestAsync(Actor.ForEmail(Partner));
    }

    [Fact]
    public async Task Step5_an_approved_request_is_delivered_within_the_approval_not_hours_later()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        await portal.Approvals.ApproveAsync(s.Approver, requestId);
        var request = await portal.RequestAsync(requestId);
        Assert.Equal(RequestState.Delivered, request.State);
        Assert.Equal(portal.Now, request.CompletedDateTime);
        Assert.Equal([s.MemberRoleId], await portal.RolesOfAsync((await portal.UserAsync(Partner)).Id));
    }

    [Fact]
    public async Task Step5_when_the_delivery_after_approval_fails_the_request_stays_delivering_and_the_delivery_sweep_finishes_it()
    {
        var directory = new UnavailableDirectory();
        await using var portal = await CreatePortalAsync(services => services.AddSingleton<IDirectory>(directory));
        var s = await Scenario.CreateAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        await portal.Approvals.ApproveAsync(s.Approver, requestId);
        Assert.Equal(RequestState.Delivering, (await portal.RequestAsync(requestId)).State);
        Assert.Empty(await portal.QueryAsync(db => db.Assignments.ToListAsync()));
        Assert.Empty(await portal.QueryAsync(db => db.Users.Where(u => u.MailNormalized == Partner).ToListAsync()));

        directory.Available = true;
        Assert.Equal(1, await portal.Delivery.DeliverPendingAsync());
        Assert.Equal(RequestState.Delivered, (await portal.RequestAsync(requestId)).State);
    }

    [Fact]
    public async Task Step5_a_delivery_whose_save_fails_after_the_guest_was_written_is_undone_whole_while_the_approval_commits()
    {
        var directory = new UnavailableDirectory { GrantsMissingRoleWhileUnavailable = true };
        await using var portal = await CreatePortalAsync(services => services.AddSingleton<IDirectory>(directory));
        var s = await Scenario.CreateAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        await portal.Approvals.ApproveAsync(s.Approver, requestId);

        Assert.Equal(RequestState.Delivering, (await portal.RequestAsync(requestId)).State);
        Assert.Single(await portal.QueryAsync(db => db.ApprovalDecisions.ToListAsync()));
        Assert.Single(await portal.AuditAsync("Approve access package assignment request"));
        Assert.Empty(await portal.AuditAsync("Invite external user"));
        Assert.Empty(await portal.QueryAsync(db => db.Users.Where(u => u.MailNormalized == Partner).ToListAsync()));
        Assert.DoesNotContain(await portal.EmailsToAsync(Partner), e => e.Subject.StartsWith("You now have access", StringComparison.Ordinal));

        directory.Available = true;
        Assert.Equal(1, await portal.Delivery.DeliverPendingAsync());
        Assert.Single(await portal.AuditAsync("Invite external user"));
        Assert.Equal([s.MemberRoleId], await portal.RolesOfAsync((await portal.UserAsync(Partner)).Id));
    }

    [Fact]
    public async Task Step5_the_approval_is_audited_as_the_approver_and_the_delivery_within_it_as_the_system()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        await portal.Approvals.ApproveAsync(s.Approver, requestId);

        Assert.Equal(s.Approver.Email, Assert.Single(await portal.AuditAsync("Approve access package assignment request")).ActorName);
        Assert.Equal(Actor.System.Name, Assert.Single(await portal.AuditAsync("Invite external user")).ActorName);
        Assert.Equal(Actor.System.Name, Assert.Single(await portal.AuditAsync("Fulfill access package assignment")).ActorName);
    }

    /// <summary>
    /// The directory out of reach (an outage, a restart): inviting fails until it is back; or, with
    /// <see cref="GrantsMissingRoleWhileUnavailable"/>, the guest is invited and the save fails on a role that is gone.
    /// </summary>
    private sealed class UnavailableDirectory : IDirectory
    {
        private readonly LocalDirectory inner = new();

        public bool Available { get; set; }

        public bool GrantsMissingRoleWhileUnavailable { get; init; }

        public Task<GuestInvitation> InviteGuestAsync(PortalDbContext db, string email, string displayName, Guid? connectedOrganizationId, DateTime now, CancellationToken ct) =>
            Available || GrantsMissingRoleWhileUnavailable ? inner.InviteGuestAsync(db, email, displayName, connectedOrganizationId, now, ct)
                : throw new HttpRequestException("The directory did not answer.");

        public Task AddToRolesAsync(PortalDbContext db, Guid userId, IReadOnlyCollection<Guid> resourceRoleIds, DateTime now, CancellationToken ct) =>
            inner.AddToRolesAsync(db, userId, Available ? resourceRoleIds : [.. resourceRoleIds, Guid.NewGuid()], now, ct);

        public Task RemoveFromRolesAsync(PortalDbContext db, IReadOnlyCollection<(Guid UserId, Guid ResourceRoleId)> memberships, CancellationToken ct) =>
            inner.RemoveFromRolesAsync(db, memberships, ct);

        public Task DeleteUserAsync(PortalDbContext db, DirectoryUser user, DateTime now, CancellationToken ct) => inner.DeleteUserAsync(db, user, now, ct);
    }

    [Fact]
    public async Task Step7_the_guest_is_assigned_every_resource_role_of_the_package()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var appId = await portal.DirectoryAdmin.CreateResourceAsync(portal.Admin, "Falcon tracker", ResourceType.Application, ["Reader", "Contributor"]);
        await portal.Catalogs.AddResourceAsync(portal.Admin, s.CatalogId, appId);
        var contributor = await portal.QueryAsync(db => db.ResourceRoles.SingleAsync(r => r.ResourceId == appId && r.DisplayName == "Contributor"));
        await portal.Packages.AddResourceRoleAsync(portal.Admin, s.PackageId, contributor.Id);
        var assignment = await s.GrantAsync(Actor.ForEmail(Partner));
        Assert.Equal(new[] { s.MemberRoleId, contributor.Id }.Order(), (await portal.RolesOfAsync(assignment.TargetUserId)).Order());
    }

    [Fact]
    public async Task Step8_and_9_the_delivery_email_carries_the_link_that_completes_the_invitation()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await s.GrantAsync(Actor.ForEmail(Partner));
        var email = Assert.Single(await portal.EmailsToAsync(Partner));
        Assert.Equal("You now have access to Falcon partners", email.Subject);
        Assert.Contains("https://portal.contoso.test/invitations/redeem?token=", email.Body);
        Assert.Equal(ExternalUserState.PendingAcceptance, (await portal.UserAsync(Partner)).ExternalUserState);
    }

    [Fact]
    public async Task Step11_after_the_last_assignment_expires_the_guest_is_blocked_then_removed()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await s.GrantAsync(Actor.ForEmail(Partner));
        await portal.AdvanceAsync(TimeSpan.FromDays(180));
        Assert.False((await portal.UserAsync(Partner)).AccountEnabled);
        await portal.AdvanceAsync(TimeSpan.FromDays(30));
        Assert.True((await portal.UserAsync(Partner)).IsDeleted);
        Assert.DoesNotContain(await portal.EmailsToAsync(Partner), e => e.CreatedDateTime > portal.Now.AddDays(-1));
    }
}

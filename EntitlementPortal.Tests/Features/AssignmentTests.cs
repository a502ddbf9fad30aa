using EntitlementPortal.Domain;
using EntitlementPortal.Features.Assignments;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Requests;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Tests.Features;

public class AssignmentTests : ServiceTests
{
    private const string Partner = "lee@fabrikam.com";

    [Fact]
    public async Task A_role_that_another_active_assignment_still_grants_is_kept_on_expiry()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var first = await s.GrantAsync(Actor.ForEmail(Partner));
        await s.GrantAsync(await s.AsDirectoryUserAsync(Partner), await s.SecondPackageWithSameRoleAsync());
        await portal.AdvanceAsync(TimeSpan.FromDays(180));
        Assert.False((await portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == first.Id))).IsActive);
        Assert.Equal([s.MemberRoleId], await portal.RolesOfAsync(first.TargetUserId));
        await portal.AdvanceAsync(TimeSpan.FromDays(186));
        Assert.Empty(await portal.RolesOfAsync(first.TargetUserId));
    }

    [Fact]
    public async Task Extension_reminders_go_out_14_days_and_1_day_before_expiry_once_each()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var assignment = await s.GrantAsync(Actor.ForEmail(Partner));
        var subject = $"Extend access for Falcon partners by {Names.FormatDate(assignment.ExpiredDateTime!.Value)}";
        await portal.AdvanceAsync(TimeSpan.FromDays(166) - TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(await portal.EmailsToAsync(Partner), e => e.Subject == subject);
        await portal.AdvanceAsync(TimeSpan.FromMinutes(1));
        await portal.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Single(await portal.EmailsToAsync(Partner), e => e.Subject == subject);
        await portal.AdvanceAsync(TimeSpan.FromDays(13));
        Assert.Equal(2, (await portal.EmailsToAsync(Partner)).Count(e => e.Subject == subject));
        await portal.AdvanceAsync(TimeSpan.FromHours(12));
        Assert.Equal(2, (await portal.EmailsToAsync(Partner)).Count(e => e.Subject == subject));
    }

    [Fact]
    public async Task No_reminders_where_the_policy_does_not_allow_extension()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { CanExtend = false });
        await s.GrantAsync(Actor.ForEmail(Partner));
        await portal.AdvanceAsync(TimeSpan.FromDays(170));
        await portal.AdvanceAsync(TimeSpan.FromDays(9.5));
        Assert.DoesNotContain(await portal.EmailsToAsync(Partner), e => e.Subject.StartsWith("Extend access", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Extension_without_approval_moves_the_end_by_the_policy_duration_from_now()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var assignment = await s.GrantAsync(Actor.ForEmail(Partner));
        portal.Clock.Advance(TimeSpan.FromDays(170));
        await portal.Requests.ExtendAsync(await s.AsDirectoryUserAsync(Partner), assignment.Id);
        await portal.Delivery.DeliverPendingAsync();
        var extended = await portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == assignment.Id));
        Assert.Equal(portal.Now.AddDays(180), extended.ExpiredDateTime);
        await portal.AdvanceAsync(TimeSpan.FromDays(20));
        Assert.True((await portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == assignment.Id))).IsActive);
    }

    [Fact]
    public async Task Extension_that_needs_approval_waits_for_the_approver()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequiredForExtension = true });
        var assignment = await s.GrantAsync(Actor.ForEmail(Partner));
        portal.Clock.Advance(TimeSpan.FromDays(100));
        var requestId = await portal.Requests.ExtendAsync(await s.AsDirectoryUserAsync(Partner), assignment.Id);
        Assert.Equal(RequestState.PendingApproval, (await portal.RequestAsync(requestId)).State);
        await portal.Approvals.ApproveAsync(s.Approver, requestId);
        await portal.Delivery.DeliverPendingAsync();
        Assert.Equal(RequestState.Delivered, (await portal.RequestAsync(requestId)).State);
    }

    [Fact]
    public async Task Extension_is_refused_where_the_policy_does_not_allow_it_or_for_someone_else()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { CanExtend = false });
        var assignment = await s.GrantAsync(Actor.ForEmail(Partner));
        var lee = await s.AsDirectoryUserAsync(Partner);
        await Assert.ThrowsAsync<DomainRuleException>(() => portal.Requests.ExtendAsync(lee, assignment.Id));
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Requests.ExtendAsync(s.Approver, assignment.Id));
    }

    [Fact]
    public async Task Admin_removal_ends_the_assignment_removes_the_role_and_emails_the_user()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var assignment = await s.GrantAsync(Actor.ForEmail(Partner));
        await portal.Requests.RemoveAssignmentAsync(portal.Admin, assignment.Id);
        var ended = await portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == assignment.Id));
        Assert.Equal((AssignmentState.Expired, "Removed"), (ended.State, ended.Status));
        Assert.Empty(await portal.RolesOfAsync(assignment.TargetUserId));
        Assert.Single(await portal.EmailsToAsync(Partner), e => e.Subject == "Access has ended for Falcon partners");
        Assert.Single(await portal.QueryAsync(db => db.AssignmentRequests.Where(r => r.RequestType == RequestType.AdminRemove).ToListAsync()));
        await Assert.ThrowsAsync<DomainRuleException>(() => portal.Requests.RemoveAssignmentAsync(portal.Admin, assignment.Id));
    }

    [Fact]
    public async Task Adding_a_role_to_a_package_grants_it_to_current_holders_and_removing_it_takes_it_away()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var assignment = await s.GrantAsync(Actor.ForEmail(Partner));
        var ownerRole = await portal.QueryAsync(db => db.ResourceRoles.SingleAsync(r => r.ResourceId == s.GroupId && r.DisplayName == "Owner"));
        await portal.Packages.AddResourceRoleAsync(portal.Admin, s.PackageId, ownerRole.Id);
        Assert.Contains(ownerRole.Id, await portal.RolesOfAsync(assignment.TargetUserId));
        await portal.Packages.RemoveResourceRoleAsync(portal.Admin, s.PackageId, ownerRole.Id);
        Assert.Equal([s.MemberRoleId], await portal.RolesOfAsync(assignment.TargetUserId));
    }

    [Fact]
    public async Task Requested_end_date_shortens_the_assignment_where_the_policy_allows_it()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { AllowCustomAssignmentSchedule = true, IsApprovalRequired = false, Stages = [] });
        var end = portal.Now.AddDays(30);
        await portal.Requests.SubmitAsync(Actor.ForEmail(Partner), new(s.PackageId, Justification: "Short project", RequestedEndDateTime: end));
        await portal.Delivery.DeliverPendingAsync();
        Assert.Equal(end, (await portal.QueryAsync(db => db.Assignments.SingleAsync())).ExpiredDateTime);
    }

    [Fact]
    public async Task Hour_based_and_fixed_date_expirations_are_honoured()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = null, DurationInHours = 8 } });
        var assignment = await s.GrantAsync(Actor.ForEmail(Partner));
        Assert.Equal(portal.Now.AddHours(8), assignment.ExpiredDateTime);
        var fixedEnd = portal.Now.AddDays(10);
        await portal.Policies.UpdateAsync(portal.Admin, s.PolicyId, Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with
        {
            Expiration = new ExpirationSettings { Type = ExpirationType.AfterDateTime, EndDateTime = fixedEnd, DurationInDays = null },
        });
        var second = await s.GrantAsync(Actor.ForEmail("kim@fabrikam.com"));
        Assert.Equal(fixedEnd, second.ExpiredDateTime);
    }

    [Fact]
    public async Task Editing_a_policy_does_not_change_requests_already_pending()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        await portal.Policies.UpdateAsync(portal.Admin, s.PolicyId, Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with
        {
            Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = 7 },
        });
        await portal.Approvals.ApproveAsync(s.Approver, requestId);
        await portal.Delivery.DeliverPendingAsync();
        Assert.Equal(portal.Now.AddDays(180), (await portal.QueryAsync(db => db.Assignments.SingleAsync())).ExpiredDateTime);
    }

    [Fact]
    public async Task Two_sweep_runs_at_once_expire_each_assignment_once()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequired = false, Stages = [] });
        for (var i = 0; i < 30; i++)
        {
            await s.RequestAsync(Actor.ForEmail($"user{i}@fabrikam.com"));
        }
        await portal.Delivery.DeliverPendingAsync();
        portal.Clock.Advance(TimeSpan.FromDays(181));
        await using var other = await TestPortal.AttachAsync(portal);
        var counts = await Task.WhenAll(Task.Run(() => portal.Sweeps.ExpireDueAsync()), Task.Run(() => other.Sweeps.ExpireDueAsync()));
        Assert.Equal(30, counts.Sum());
        Assert.Equal(30, (await portal.AuditAsync("Remove access package assignment")).Count);
        Assert.Equal(30, await portal.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.Subject == "Access has ended for Falcon partners")));
        Assert.Equal(30, await portal.QueryAsync(db => db.Users.CountAsync(u => !u.AccountEnabled)));
    }

    [Fact]
    public async Task A_guest_whose_assignments_fall_in_different_batches_of_one_sweep_has_both_ended_loses_the_role_and_is_blocked_once()
    {
        await using var portal = await CreatePortalAsync();
        // Three batches' worth, a minute apart: the first guest's assignment ends first, and its second one mid-way.
        var batchSize = ExpiryBatchSize(portal);
        var (second, start, guests) = await GuestsDueAsync(portal, 2 * batchSize + 200);
        var guest = guests[0];
        await using (var db = portal.NewDb())
        {
            var policyId = await db.AssignmentPolicies.Where(p => p.AccessPackageId == second).Select(p => p.Id).SingleAsync();
            db.Assignments.Add(AccessPackageAssignment.Deliver(second, policyId, guest.Id, start.AddMinutes(batchSize + 100), portal.Now));
            await db.SaveChangesAsync();
        }

        portal.Clock.Advance(TimeSpan.FromDays(4));
        Assert.Equal(guests.Count + 1, await portal.Sweeps.ExpireDueAsync());

        var blocks = await portal.AuditAsync("Block external user from signing in");
        Assert.Equal(guests.Count, blocks.Count);
        Assert.Single(blocks, b => b.TargetId == guest.Id.ToString());
        Assert.Equal(2, await portal.QueryAsync(db => db.AssignmentRequests.CountAsync(r => r.TargetUserId == guest.Id && r.RequestType == RequestType.SystemRemove)));
        Assert.Equal(0, await portal.QueryAsync(db => db.Assignments.CountAsync(a => a.State != AssignmentState.Expired)));
        Assert.Equal(0, await portal.QueryAsync(db => db.ResourceRoleMemberships.CountAsync()));
    }

    [Fact]
    public async Task Access_granted_while_a_sweep_of_many_batches_runs_leaves_blocked_exactly_the_guests_left_with_nothing()
    {
        await using var portal = await CreatePortalAsync();
        var (second, _, guests) = await GuestsDueAsync(portal, 3 * ExpiryBatchSize(portal));
        portal.Clock.Advance(TimeSpan.FromDays(4));

        using var go = new Barrier(2);
        var sweep = Task.Run(async () => { go.SignalAndWait(); return await portal.Sweeps.ExpireDueAsync(); });
        // Requests for the second package, open without approval, from guests spread over every batch; a guest the sweep
        // has already blocked is refused.
        var grants = Task.Run(async () =>
        {
            go.SignalAndWait();
            return await Outcome.OfEach(guests.Where((_, i) => i % 20 == 19)
                .Select(g => (Func<Task>)(() => portal.Requests.SubmitAsync(Actor.For(g), new AccessRequestInput(second)))));
        });
        Assert.Equal(guests.Count, await sweep);
        Assert.All((await grants).OfType<Exception>(), e => Assert.IsType<NotEligibleException>(e));
        await portal.Delivery.DeliverPendingAsync();

        var states = await portal.QueryAsync(db => db.Users.Where(u => u.UserType == UserType.Guest).Select(u => new
        {
            u.Mail,
            u.AccountEnabled,
            Holds = db.Assignments.Any(a => a.TargetUserId == u.Id && a.State != AssignmentState.Expired),
            HasRole = db.ResourceRoleMemberships.Any(m => m.UserId == u.Id),
        }).ToListAsync());
        Assert.Equal(guests.Count, states.Count);
        Assert.All(states, g => Assert.True(g.AccountEnabled == g.Holds && g.HasRole == g.Holds, $"{g.Mail}: {g}"));
        Assert.Equal(guests.Count, (await portal.AuditAsync("Remove access package assignment")).Count);
    }

    [Fact]
    public async Task An_expiry_batch_size_below_one_is_refused_naming_the_setting()
    {
        await using var portal = await CreatePortalAsync(services => services.PostConfigure<SweepOptions>(o => o.ExpiryBatchSize = 0));
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => portal.Sweeps.ExpireDueAsync());
        Assert.Contains("Sweep:ExpiryBatchSize", refused.Message, StringComparison.Ordinal);
    }

    private static int ExpiryBatchSize(TestPortal portal) => portal.Get<IOptions<SweepOptions>>().Value.ExpiryBatchSize;

    /// <summary>
    /// Governed guests of Fabrikam, each holding the scenario's package and its role until a minute after the one before,
    /// from a day on; and a second package granting the same role, open without approval.
    /// </summary>
    private static async Task<(Guid Second, DateTime Start, List<DirectoryUser> Guests)> GuestsDueAsync(TestPortal portal, int count)
    {
        var s = await Scenario.CreateAsync(portal);
        var second = await s.SecondPackageWithSameRoleAsync();
        var start = portal.Now.AddDays(1);
        await using var db = portal.NewDb();
        var guests = Enumerable.Range(0, count).Select(i => (End: start.AddMinutes(i), Guest: DirectoryUser.InviteGovernedGuest($"Guest {i}", $"guest{i}@fabrikam.com", s.OrganizationId, $"token{i}", portal.Now))).ToList();
        db.Users.AddRange(guests.Select(g => g.Guest));
        db.Assignments.AddRange(guests.Select(g => AccessPackageAssignment.Deliver(s.PackageId, s.PolicyId, g.Guest.Id, g.End, portal.Now)));
        db.ResourceRoleMemberships.AddRange(guests.Select(g => new ResourceRoleMembership(g.Guest.Id, s.MemberRoleId, portal.Now)));
        await db.SaveChangesAsync();
        return (second, start, [.. guests.Select(g => g.Guest)]);
    }

    [Fact]
    public async Task Relinquish_racing_with_expiry_ends_the_assignment_once_with_one_audit_event_and_one_email()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequired = false, Stages = [] });
        var guests = new List<(Actor Guest, Guid AssignmentId)>();
        for (var i = 0; i < 20; i++)
        {
            var assignment = await s.GrantAsync(Actor.ForEmail($"user{i}@fabrikam.com"));
            guests.Add((await s.AsDirectoryUserAsync($"user{i}@fabrikam.com"), assignment.Id));
        }
        portal.Clock.Advance(TimeSpan.FromDays(181));
        await using var other = await TestPortal.AttachAsync(portal);
        using var start = new Barrier(2);
        var sweep = Task.Run(async () => { start.SignalAndWait(); return await portal.Sweeps.ExpireDueAsync(); });
        var relinquished = Task.Run(async () =>
        {
            start.SignalAndWait();
            return await Outcome.OfEach(guests.Select(g => (Func<Task>)(() => other.Requests.RelinquishAsync(g.Guest, g.AssignmentId))));
        });
        var expired = await sweep;
        var refusals = (await relinquished).Where(o => o is not null).ToList();
        // Refused as already ended, or because the sweep's lifecycle step has blocked the guest by then.
        Assert.All(refusals, r => Assert.True(r is DomainRuleException or ForbiddenException, r.ToString()));
        Assert.Equal(expired, refusals.Count);
        Assert.Equal(20, (await portal.AuditAsync("Remove access package assignment")).Count);
        Assert.Equal(20, await portal.QueryAsync(db => db.AssignmentRequests.CountAsync(r => r.RequestType != RequestType.UserAdd)));
        Assert.Equal(20, await portal.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.Subject == "Access has ended for Falcon partners")));
        Assert.Equal(20, await portal.QueryAsync(db => db.Users.CountAsync(u => !u.AccountEnabled)));
        Assert.Empty(await portal.QueryAsync(db => db.ResourceRoleMemberships.ToListAsync()));
    }

    [Fact]
    public async Task A_manager_canceling_while_the_approver_approves_and_delivery_follows_leaves_each_request_delivered_or_canceled_never_both()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var requests = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            requests.Add(await s.RequestAsync(Actor.ForEmail($"user{i}@fabrikam.com")));
        }
        await using var other = await TestPortal.AttachAsync(portal);
        using var start = new Barrier(2);
        var approvals = Task.Run(async () =>
        {
            start.SignalAndWait();
            return await Outcome.OfEach(requests.Select(id => (Func<Task>)(() => portal.Approvals.ApproveAsync(s.Approver, id))));
        });
        var cancels = Task.Run(async () =>
        {
            start.SignalAndWait();
            return await Outcome.OfEach(requests.Select(id => (Func<Task>)(() => other.Requests.CancelAsync(portal.Admin, id))));
        });
        Assert.All((await approvals).Concat(await cancels).OfType<Exception>(), r => Assert.IsType<DomainRuleException>(r));
        var delivered = 0;
        foreach (var requestId in requests)
        {
            var request = await portal.RequestAsync(requestId);
            Assert.True(request.State is RequestState.Delivered or RequestState.Canceled, $"{request.State}");
            Assert.Equal(request.State == RequestState.Delivered, request.AssignmentId is not null);
            delivered += request.State == RequestState.Delivered ? 1 : 0;
        }
        Assert.Equal(delivered, await portal.QueryAsync(db => db.Assignments.CountAsync()));
        Assert.Equal(delivered, (await portal.AuditAsync("Fulfill access package assignment")).Count);
        Assert.Equal(20 - delivered, (await portal.AuditAsync("Cancel access package assignment request")).Count);
        Assert.Equal(delivered, await portal.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.Subject == "You now have access to Falcon partners")));
    }
}

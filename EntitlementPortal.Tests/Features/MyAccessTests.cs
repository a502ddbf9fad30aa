using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.MyAccess;
using EntitlementPortal.Features.Settings;
using EntitlementPortal.Tests.Infrastructure;

namespace EntitlementPortal.Tests.Features;

public class MyAccessTests : ServiceTests
{
    private const string Lee = "lee@fabrikam.com";

    [Fact]
    public async Task Requestable_packages_are_those_in_scope_and_not_hidden()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var hidden = await s.SecondPackageWithSameRoleAsync("Hidden falcon");
        await portal.Packages.UpdateAsync(portal.Admin, hidden, new AccessPackageInput(s.CatalogId, "Hidden falcon", null, IsHidden: true));
        var myAccess = portal.Get<MyAccessService>();
        Assert.Equal(["Falcon partners"], (await myAccess.RequestableAsync(Actor.ForEmail(Lee), null)).Select(p => p.DisplayName));
        Assert.Empty(await myAccess.RequestableAsync(Actor.ForEmail("sam@tailspintoys.com"), null));
        Assert.Empty(await myAccess.RequestableAsync(Actor.ForEmail(Lee), "nothing like this"));
        // The hidden one is still reachable through its link.
        var viaLink = await myAccess.GetPackageForRequestAsync(Actor.ForEmail(Lee), hidden);
        Assert.Null(viaLink.Reason);
        Assert.Equal(["Project Falcon (Member)"], viaLink.Resources);
    }

    [Fact]
    public async Task A_package_in_scope_is_listed_even_behind_thousands_of_packages_for_other_organizations()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var other = await portal.Organizations.CreateAsync(portal.Admin, new("Wingtip Toys", null, ["wingtiptoys.com"]));
        await using (var db = portal.NewDb())
        {
            // Names that sort before "Falcon partners", each for another organization.
            var packages = Enumerable.Range(0, 1_500).Select(i => AccessPackage.Create(s.CatalogId, $"A wingtip package {i:D4}", null, false, portal.Now)).ToList();
            db.AccessPackages.AddRange(packages);
            db.AssignmentPolicies.AddRange(packages.Select(p => AssignmentPolicy.Create(p.Id, Scenario.ExternalPolicy(other, s.Approver.UserId!.Value), portal.Now)));
            await db.SaveChangesAsync();
        }
        var myAccess = portal.Get<MyAccessService>();
        Assert.Equal(["Falcon partners"], (await myAccess.RequestableAsync(Actor.ForEmail(Lee), null)).Select(p => p.DisplayName));
        Assert.Equal(MyAccessService.MaxItems, (await myAccess.RequestableAsync(Actor.ForEmail("sam@wingtiptoys.com"), null)).Count);
    }

    [Theory]
    [InlineData("sam@tailspintoys.com", IneligibilityReason.NotInScopeOfAnyPolicy)]
    [InlineData("pending@fabrikam.com", IneligibilityReason.RequestAlreadyPending)]
    [InlineData("holder@fabrikam.com", IneligibilityReason.AlreadyAssigned)]
    public async Task The_request_page_tells_why_someone_may_not_request(string email, IneligibilityReason reason)
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await s.RequestAsync(Actor.ForEmail("pending@fabrikam.com"));
        await s.GrantAsync(Actor.ForEmail("holder@fabrikam.com"));
        var view = await portal.Get<MyAccessService>().GetPackageForRequestAsync(Actor.ForEmail(email), s.PackageId);
        Assert.Equal(reason, view.Reason);
        Assert.Empty(view.Policies);
    }

    [Fact]
    public async Task Request_history_shows_only_my_requests_with_their_timeline()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var mine = await s.RequestAsync(Actor.ForEmail(Lee));
        await s.RequestAsync(Actor.ForEmail("kim@fabrikam.com"));
        await portal.Approvals.DenyAsync(s.Approver, mine, "Not on the project");
        var history = await portal.Get<MyAccessService>().MyRequestsAsync(Actor.ForEmail(Lee));
        var request = Assert.Single(history);
        Assert.Equal(RequestState.Denied, request.State);
        Assert.True(request.CanResubmit);
        Assert.Equal(["User requests access package assignment", "Create request approval", "Deny access package assignment request"], request.Timeline.Select(t => t.What));
    }

    [Fact]
    public async Task Approvers_see_what_waits_for_them_but_never_their_own_requests_and_see_decisions_taken_by_another_approver()
    {
        await using var portal = await CreatePortalAsync();
        var second = await portal.MemberAsync("Second", "second@contoso.com");
        var s = await Scenario.CreateAsync(portal, (_, d) => d with
        {
            AllowedTargetScope = AllowedTargetScope.AllDirectoryUsers, SpecificAllowedTargets = [],
            Stages = [new ApprovalStage { PrimaryApprovers = [d.Stages[0].PrimaryApprovers[0], new Approver { Type = ApproverType.SingleUser, UserId = second.UserId }] }],
        });
        var fromSecond = await s.RequestAsync(second);
        var member = await portal.MemberAsync("Member", "member@contoso.com");
        var fromMember = await s.RequestAsync(member);
        var myAccess = portal.Get<MyAccessService>();
        Assert.Equal([fromMember], (await myAccess.PendingApprovalsAsync(second)).Select(a => a.RequestId));
        Assert.Equal(new[] { fromSecond, fromMember }.Order(), (await myAccess.PendingApprovalsAsync(s.Approver)).Select(a => a.RequestId).Order());
        Assert.Empty(await myAccess.PendingApprovalsAsync(member));

        await portal.Approvals.ApproveAsync(s.Approver, fromMember, "Known");
        var seenBySecond = Assert.Single(await myAccess.ApprovalHistoryAsync(second));
        Assert.False(seenBySecond.DecidedByMe);
        Assert.Equal("Avery Approver", seenBySecond.DecidedBy);
        Assert.True(Assert.Single(await myAccess.ApprovalHistoryAsync(s.Approver)).DecidedByMe);
    }

    [Fact]
    public async Task An_approver_sees_their_request_their_decision_and_their_fellow_approvers_decision_behind_thousands_waiting_for_and_decided_by_another_approver()
    {
        await using var portal = await CreatePortalAsync();
        var fellow = await portal.MemberAsync("Fellow approver", "fellow@contoso.com");
        var s = await Scenario.CreateAsync(portal, (_, d) => d with
        {
            Stages = [new ApprovalStage { PrimaryApprovers = [d.Stages[0].PrimaryApprovers[0], new Approver { Type = ApproverType.SingleUser, UserId = fellow.UserId }] }],
        });
        var other = await portal.MemberAsync("Other approver", "otherapprover@contoso.com");
        var decidedByFellow = await s.RequestAsync(Actor.ForEmail("sam@fabrikam.com"));
        await portal.Approvals.DenyAsync(fellow, decidedByFellow, "Not on the project");
        await portal.AdvanceAsync(TimeSpan.FromMinutes(1));
        var decided = await s.RequestAsync(Actor.ForEmail("kim@fabrikam.com"));
        await portal.Approvals.DenyAsync(s.Approver, decided, "Not on the project");
        var mine = await s.RequestAsync(Actor.ForEmail(Lee));
        await using (var db = portal.NewDb())
        {
            // Waiting longer, so due sooner than mine, and decided later than mine: each for the other approver.
            var stage = new ApprovalStage { PrimaryApprovers = [new Approver { Type = ApproverType.SingleUser, UserId = other.UserId }] };
            var requests = Enumerable.Range(0, 2_100).Select(i =>
            {
                var request = AccessPackageAssignmentRequest.Create(RequestType.UserAdd, s.PackageId, null, (null, $"p{i}@fabrikam.com"),
                    (null, $"p{i}@fabrikam.com", $"Partner {i}", null), null, [], [stage], new ExpirationSettings(), null, portal.Now.AddDays(-7));
                request.StartApproval(portal.Now.AddDays(-7));
                return request;
            }).ToList();
            db.AssignmentRequests.AddRange(requests);
            db.ApprovalDecisions.AddRange(requests.Select(r => new ApprovalDecision(r.Id, 1, other.UserId!.Value, ApprovalDecisionKind.Deny, null, portal.Now.AddMinutes(1))));
            await db.SaveChangesAsync();
        }
        var myAccess = portal.Get<MyAccessService>();
        Assert.Equal([mine], (await myAccess.PendingApprovalsAsync(s.Approver)).Select(a => a.RequestId));
        Assert.Equal([(decided, true), (decidedByFellow, false)], (await myAccess.ApprovalHistoryAsync(s.Approver)).Select(a => (a.RequestId, a.DecidedByMe)));
        Assert.Equal(MyAccessService.MaxItems, (await myAccess.PendingApprovalsAsync(other)).Count);
        Assert.Equal(MyAccessService.MaxItems, (await myAccess.ApprovalHistoryAsync(other)).Count);
    }

    [Fact]
    public async Task Giving_up_the_last_package_explains_what_the_lifecycle_settings_will_do()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await s.GrantAsync(Actor.ForEmail(Lee));
        var myAccess = portal.Get<MyAccessService>();
        var assignment = Assert.Single(await myAccess.MyAssignmentsAsync(await s.AsDirectoryUserAsync(Lee)));
        Assert.True(assignment.CanExtend);
        Assert.Equal("You will lose access to Falcon partners. It is your last access package: you will be blocked from signing in, and your account will be removed from this directory after 30 days.",
            assignment.RemovalConsequence);
        Assert.Equal("It is your last access package: your account will be removed from this directory at once.",
            MyAccessService.WhatHappensToTheAccount(Settings(false, true, 0)));
        Assert.Equal("", MyAccessService.WhatHappensToTheAccount(Settings(false, false, 30)));
    }

    private static EntitlementManagementSettings Settings(bool block, bool remove, int days)
    {
        var settings = new EntitlementManagementSettings();
        settings.Update(block, remove, days, DateTime.UtcNow);
        return settings;
    }
}

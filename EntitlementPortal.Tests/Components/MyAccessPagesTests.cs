using Bunit;
using EntitlementPortal.Components.Pages.MyAccess;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Settings;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Components;

public sealed class MyAccessPagesTests : PortalPageTest
{
    private const string Lee = "lee@fabrikam.com";

    [Fact]
    public async Task The_link_shows_the_package_and_a_request_form_and_Submit_request_creates_the_request()
    {
        var s = await Scenario.CreateAsync(Portal);
        SignInAs(Lee);
        var page = Render<RequestPackagePage>(p => p.Add(x => x.Id, s.PackageId));
        page.WaitForAssertion(() => Assert.Contains("Project Falcon (Member)", page.Markup));
        Click(page, "Submit request");
        page.WaitForAssertion(() => Assert.Contains("Business justification is required.", page.Markup));
        page.Find("textarea").Change("Working on Project Falcon");
        Click(page, "Submit request");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=submitted]")));
        Assert.Equal(RequestState.PendingApproval, (await Portal.QueryAsync(db => db.AssignmentRequests.SingleAsync())).State);
    }

    public static TheoryData<IneligibilityReason, string> Refusals => new()
    {
        { IneligibilityReason.CatalogNotEnabledForExternalUsers, "not open to people outside the organization" },
        { IneligibilityReason.NotInScopeOfAnyPolicy, "Your organization is not allowed to request this access package" },
        { IneligibilityReason.DomainBlockedByInvitationPolicy, "Your e-mail domain is blocked by this organization's invitation policy" },
        { IneligibilityReason.AlreadyAssigned, "You already have this access" },
        { IneligibilityReason.RequestAlreadyPending, "A request for this access package is already pending" },
        { IneligibilityReason.AccountBlocked, "Your account is blocked from signing in" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task When_someone_may_not_request_they_read_why_instead_of_a_form(IneligibilityReason reason, string words)
    {
        var s = await Scenario.CreateAsync(Portal);
        var who = Lee;
        switch (reason)
        {
            case IneligibilityReason.CatalogNotEnabledForExternalUsers:
                await Portal.Catalogs.UpdateAsync(Portal.Admin, s.CatalogId, new("Partner projects", null, true, false));
                break;
            case IneligibilityReason.NotInScopeOfAnyPolicy:
                who = "sam@tailspintoys.com";
                break;
            case IneligibilityReason.DomainBlockedByInvitationPolicy:
                await Portal.Collaboration.UpdateAsync(Portal.Admin, new CollaborationSettings(CollaborationRestriction.DenySpecifiedDomains, "fabrikam.com"));
                break;
            case IneligibilityReason.AlreadyAssigned:
                await s.GrantAsync(Actor.ForEmail(Lee));
                break;
            case IneligibilityReason.RequestAlreadyPending:
                await s.RequestAsync(Actor.ForEmail(Lee));
                break;
            default:
                var assignment = await s.GrantAsync(Actor.ForEmail(Lee));
                await Portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync(Lee), assignment.Id);
                break;
        }
        SignInAs(who);
        var page = Render<RequestPackagePage>(p => p.Add(x => x.Id, s.PackageId));
        page.WaitForAssertion(() => Assert.Contains(words, page.Find("[data-testid=not-eligible]").TextContent));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "Submit request");
    }

    [Fact]
    public async Task The_tabs_show_requests_approvals_and_access_and_an_approver_approves()
    {
        var s = await Scenario.CreateAsync(Portal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Lee));
        SignInAs(s.Approver.Email);
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"myaccess/approvals/{requestId}");
        var approvals = Render<MyAccessPage>(p => p.Add(x => x.RequestId, requestId));
        approvals.WaitForAssertion(() => Assert.Single(approvals.FindAll("[data-testid=pending-approval]")));
        Assert.Contains("Working on Project Falcon", approvals.Markup);
        Click(approvals, "Approve");
        Click(approvals, "Submit");
        approvals.WaitForAssertion(() => Assert.Single(approvals.FindAll("[data-testid=approval-history]")));
        Assert.Contains("You", approvals.Find("[data-testid=approval-history]").TextContent);
        await Portal.Delivery.DeliverPendingAsync();

        SignInAs(Lee);
        var history = Render<MyAccessPage>(p => p.Add(x => x.Tab, "request-history"));
        history.WaitForAssertion(() => Assert.Contains("Fulfill access package assignment", history.Markup));
        var access = Render<MyAccessPage>(p => p.Add(x => x.Tab, "my-access"));
        access.WaitForAssertion(() => Assert.Single(access.FindAll("[data-testid=my-assignment]")));
        Assert.Contains(access.FindAll("button"), b => b.TextContent.Trim() == "Extend");
        Assert.Contains(access.FindAll("button"), b => b.TextContent.Trim() == "Remove access");
    }

    [Fact]
    public async Task Remove_access_asks_in_the_row_saying_what_will_be_lost_and_only_the_confirmation_removes_it()
    {
        var s = await Scenario.CreateAsync(Portal);
        await s.GrantAsync(Actor.ForEmail(Lee));
        SignInAs(Lee);
        var page = Render<MyAccessPage>(p => p.Add(x => x.Tab, "my-access"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=my-assignment]")));

        Click(page, "Remove access");
        page.WaitForAssertion(() => Assert.Contains("You will lose access to Falcon partners.", page.Find("[data-testid=remove-access-confirmation]").TextContent));
        Click(page, "Keep access");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=remove-access-confirmation]")));
        Assert.True((await Portal.QueryAsync(db => db.Assignments.SingleAsync())).IsActive);

        Click(page, "Remove access");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=remove-access-confirmation]")));
        page.Find("[data-testid=remove-access-confirmation] button").Click();
        page.WaitForAssertion(() => Assert.Contains("Expired", page.Find("[data-testid=my-assignment]").TextContent));
        Assert.False((await Portal.QueryAsync(db => db.Assignments.SingleAsync())).IsActive);
    }

    [Fact]
    public async Task Approvals_show_twenty_requests_at_a_time_and_the_one_a_link_led_to_first()
    {
        var s = await Scenario.CreateAsync(Portal);
        var requests = new List<Guid>();
        for (var i = 0; i < 23; i++)
        {
            requests.Add(await s.RequestAsync(Actor.ForEmail($"partner{i}@fabrikam.com")));
        }
        SignInAs(s.Approver.Email);
        var page = Render<MyAccessPage>(p => p.Add(x => x.RequestId, requests[^1]));
        page.WaitForAssertion(() => Assert.Equal(20, page.FindAll("[data-testid=pending-approval]").Count));
        Assert.Contains("partner22@fabrikam.com", page.FindAll("[data-testid=pending-approval]")[0].TextContent);
        Assert.Equal("Show 3 more (3 waiting)", page.Find("[data-testid=more-approvals]").TextContent.Trim());

        page.Find("[data-testid=more-approvals]").Click();
        page.WaitForAssertion(() => Assert.Equal(23, page.FindAll("[data-testid=pending-approval]").Count));
        Assert.Empty(page.FindAll("[data-testid=more-approvals]"));
    }

    /// <summary>As in Entra: Approve or Deny on a request, then the reason, then Submit; one reason field, for the request being decided.</summary>
    [Fact]
    public async Task An_approver_chooses_deny_gives_the_reason_the_policy_requires_and_submits()
    {
        var s = await Scenario.CreateAsync(Portal, (scenario, policy) => policy with
        {
            Stages = [new ApprovalStage { IsApproverJustificationRequired = true, PrimaryApprovers = [new Approver { Type = ApproverType.SingleUser, UserId = scenario.Approver.UserId }] }],
        });
        var first = await s.RequestAsync(Actor.ForEmail(Lee));
        await s.RequestAsync(Actor.ForEmail("kim@fabrikam.com"));
        SignInAs(s.Approver.Email);
        var snackbar = Context.Render<MudBlazor.MudSnackbarProvider>();
        var page = Render<MyAccessPage>(p => p.Add(x => x.RequestId, first));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=pending-approval]").Count));
        Assert.Empty(page.FindAll("input[aria-label^=Reason]"));

        page.FindAll("[data-testid=pending-approval]")[0].QuerySelectorAll("button").First(b => b.TextContent.Trim() == "Deny").Click();
        Assert.Equal("Deny this request", page.Find("[data-testid=decision]").TextContent.Trim());
        Assert.Single(page.FindAll("[aria-label='Reason (required)']"));
        Click(page, "Submit");
        snackbar.WaitForAssertion(() => Assert.Contains("Give a reason: this policy requires one.", snackbar.Markup));
        Assert.Empty(await Portal.QueryAsync(db => db.ApprovalDecisions.ToListAsync()));

        page.Find("input[aria-label='Reason (required)']").Change("Not on the Falcon team");
        Click(page, "Submit");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=pending-approval]")));
        var decision = await Portal.QueryAsync(db => db.ApprovalDecisions.SingleAsync());
        Assert.Equal(first, decision.RequestId);
        Assert.Equal(ApprovalDecisionKind.Deny, decision.Decision);
        Assert.Equal("Not on the Falcon team", decision.Justification);
    }

    [Fact]
    public async Task The_requestor_cancels_a_pending_request_from_the_history()
    {
        var s = await Scenario.CreateAsync(Portal);
        await s.RequestAsync(Actor.ForEmail(Lee));
        SignInAs(Lee);
        var page = Render<MyAccessPage>(p => p.Add(x => x.Tab, "request-history"));
        page.WaitForAssertion(() => Assert.Contains("Pending approval", page.Markup));
        Click(page, "Cancel request");
        page.WaitForAssertion(() => Assert.Contains("Canceled", page.Markup));
        Assert.Equal(RequestState.Canceled, (await Portal.QueryAsync(db => db.AssignmentRequests.SingleAsync())).State);
    }

    [Fact]
    public void Each_tab_is_a_link_to_its_own_address_and_the_address_names_the_tab_shown()
    {
        SignInAs(Lee);
        var page = Render<MyAccessPage>(p => p.Add(x => x.Tab, "request-history"));
        page.WaitForAssertion(() => Assert.Equal("Request history", page.Find("a[aria-current=page]").TextContent));
        Assert.Equal(["myaccess/access-packages", "myaccess/request-history", "myaccess/approvals", "myaccess/my-access"],
            page.FindAll("nav a").Select(a => a.GetAttribute("href")));
        Assert.Contains("You have not requested anything yet.", page.Find("[data-testid=my-access-tab]").TextContent);

        var unknown = Render<MyAccessPage>(p => p.Add(x => x.Tab, "no-such-tab"));
        unknown.WaitForAssertion(() => Assert.Equal("Access packages", unknown.Find("a[aria-current=page]").TextContent));
    }

    [Fact]
    public async Task The_access_packages_tab_lists_what_can_be_requested_and_its_search_box_only_what_the_words_find()
    {
        await Scenario.CreateAsync(Portal);
        SignInAs(Lee);
        var page = Render<MyAccessPage>();
        page.WaitForAssertion(() => Assert.Contains("Falcon partners", page.Markup));
        Assert.Contains(page.FindAll("a"), a => a.TextContent.Trim() == "Request");
        page.Find("input[aria-label='Search access packages']").Change("Orion");
        page.WaitForAssertion(() => Assert.Contains("There is nothing you can request here right now", page.Markup));
        page.Find("input[aria-label='Search access packages']").Change("falcon");
        page.WaitForAssertion(() => Assert.Contains("Falcon partners", page.Markup));
    }
}

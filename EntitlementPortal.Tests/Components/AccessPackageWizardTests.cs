using Bunit;
using EntitlementPortal.Components.Pages.AccessPackages;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Components;

public sealed class AccessPackageWizardTests : PortalPageTest
{
    [Fact]
    public async Task Basics_needs_a_name_before_the_next_step()
    {
        var s = await Scenario.CreateAsync(Portal);
        await SignInAsAsync(Role.CatalogOwner, s.CatalogId);
        var page = RenderWizard(s.CatalogId);
        page.WaitForAssertion(() => Assert.Contains("Resource roles", page.Markup));
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Contains("Name is required.", page.Markup));
    }

    [Fact]
    public async Task People_who_manage_no_catalog_are_refused_the_wizard()
    {
        await SignInAsAsync(Role.Member);
        var page = Render<NewAccessPackagePage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=no-access]")));
    }

    [Fact]
    public async Task The_wizard_creates_the_package_its_roles_and_policy_and_the_review_says_what_will_be_saved()
    {
        var s = await Scenario.CreateAsync(Portal);
        await SignInAsAsync(Role.CatalogOwner, s.CatalogId);
        var page = RenderWizard(s.CatalogId);
        page.WaitForAssertion(() => Assert.Contains("Resource roles", page.Markup));
        page.Find("input").Change("Falcon design review");
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Contains("Project Falcon (Group): Member", page.Markup));
        Check(page, "Project Falcon (Group): Member");
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Contains("For users not in your directory", page.Markup));
        Check(page, "Fabrikam");
        Check(page, "Internal sponsor");
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Contains("Add question", page.Markup));
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Contains("Access package assignments expire", page.Markup));
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=review]")));
        var review = page.Find("[data-testid=review]").TextContent;
        Assert.Contains("Specific connected organizations: Fabrikam", review);
        Assert.Contains("Yes, 1 stage(s)", review);
        Assert.Contains("365 days", review);
        Click(page, "Create");

        var package = await WaitForSavedAsync(() => Portal.QueryAsync(db => db.AccessPackages.Include(p => p.ResourceRoles).SingleOrDefaultAsync(p => p.DisplayName == "Falcon design review")));
        Assert.Equal([s.MemberRoleId], package.ResourceRoles.Select(r => r.ResourceRoleId));
        var policy = await Portal.QueryAsync(db => db.AssignmentPolicies.SingleAsync(p => p.AccessPackageId == package.Id));
        Assert.Equal(AllowedTargetScope.SpecificConnectedOrganizationUsers, policy.AllowedTargetScope);
        Assert.Equal([s.OrganizationId], policy.SpecificAllowedTargets);
        Assert.Equal(ApproverType.InternalSponsors, Assert.Single(Assert.Single(policy.Stages).PrimaryApprovers).Type);
    }

    [Fact]
    public async Task A_stage_without_an_approver_is_refused_by_the_service_and_the_wizard_shows_why_and_saves_nothing()
    {
        var s = await Scenario.CreateAsync(Portal);
        await SignInAsAsync(Role.CatalogOwner, s.CatalogId);
        var page = RenderWizard(s.CatalogId);
        page.WaitForAssertion(() => Assert.Contains("Resource roles", page.Markup));
        page.Find("input").Change("Half written");
        for (var i = 0; i < 5; i++)
        {
            Click(page, "Next");
        }
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=review]")));
        Click(page, "Create");
        page.WaitForAssertion(() => Assert.Contains("Stage 1 needs at least one approver.", page.Markup));
        Assert.Contains("Choose at least one connected organization.", page.Markup);
        Assert.Null(await Portal.QueryAsync(db => db.AccessPackages.SingleOrDefaultAsync(p => p.DisplayName == "Half written")));
    }

    [Fact]
    public async Task Lifecycle_and_requestor_information_mistakes_come_back_with_the_services_messages()
    {
        var s = await Scenario.CreateAsync(Portal);
        await SignInAsAsync(Role.CatalogOwner, s.CatalogId);
        var page = RenderWizard(s.CatalogId);
        page.WaitForAssertion(() => Assert.Contains("Resource roles", page.Markup));
        page.Find("input").Change("Too long");
        Click(page, "Next");
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Contains("For users not in your directory", page.Markup));
        Check(page, "Fabrikam");
        Check(page, "Internal sponsor");
        Click(page, "Next");
        Click(page, "Add question");
        page.WaitForAssertion(() => Assert.Contains("Answer format", page.Markup));
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Contains("Days until expiration", page.Markup));
        page.FindAll("input").Last(i => i.GetAttribute("inputmode") == "numeric" || i.GetAttribute("type") == "number").Change("4000");
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=review]")));
        Click(page, "Create");
        page.WaitForAssertion(() => Assert.Contains("Number of days must be between 0 and 3660.", page.Markup));
        Assert.Contains("Question is required.", page.Markup);
        Assert.Null(await Portal.QueryAsync(db => db.AccessPackages.SingleOrDefaultAsync(p => p.DisplayName == "Too long")));
    }

    [Fact]
    public async Task All_users_makes_approval_mandatory_in_the_wizard()
    {
        var draft = new PolicyDraft { Kind = RequestorKind.NotInDirectory, Scope = AllowedTargetScope.AllExternalUsers, RequireApproval = false };
        Assert.True(draft.ApprovalIsForced);
        Assert.True(draft.ToDefinition().IsApprovalRequired);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_package_made_by_the_wizard_behaves_as_configured_for_an_external_user_of_an_allowed_organization()
    {
        var s = await Scenario.CreateAsync(Portal);
        var second = await Portal.MemberAsync("Second", "second@contoso.com");
        var draft = new PolicyDraft { Kind = RequestorKind.NotInDirectory, Organizations = [s.OrganizationId], StageCount = 2, Expiration = ExpirationChoice.NumberOfDays, Days = 30, AllowExtension = true };
        draft.Stages[0].Approvers = [s.Approver.UserId!.Value];
        draft.Stages[1].Approvers = [second.UserId!.Value];
        draft.Stages[1].Days = 5;
        var created = await Portal.Packages.CreateWithPolicyAsync(Portal.Admin, new AccessPackageInput(s.CatalogId, "Wizard made", null), [s.MemberRoleId], draft.ToDefinition());

        var lee = Actor.ForEmail("lee@fabrikam.com");
        var requestId = await Portal.Requests.SubmitAsync(lee, new(created.AccessPackageId, Justification: "Design review"));
        await Portal.Approvals.ApproveAsync(s.Approver, requestId);
        Assert.Equal((RequestState.PendingApproval, 2), ((await Portal.RequestAsync(requestId)).State, (await Portal.RequestAsync(requestId)).CurrentStage));
        await Portal.Approvals.ApproveAsync(second, requestId);
        await Portal.Delivery.DeliverPendingAsync();
        var assignment = await Portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.AccessPackageId == created.AccessPackageId));
        Assert.Equal(Portal.Now.AddDays(30), assignment.ExpiredDateTime);
        Portal.Clock.Advance(TimeSpan.FromDays(20));
        var guest = await s.AsDirectoryUserAsync("lee@fabrikam.com");
        await Portal.Requests.ExtendAsync(guest, assignment.Id);
        await Portal.Delivery.DeliverPendingAsync();
        Assert.Equal(Portal.Now.AddDays(30), (await Portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == assignment.Id))).ExpiredDateTime);
        var wingtip = await Portal.Organizations.CreateAsync(Portal.Admin, new ConnectedOrganizationInput("Wingtip Toys", null, ["wingtiptoys.com"]));
        Assert.NotEqual(Guid.Empty, wingtip);
        await Assert.ThrowsAsync<NotEligibleException>(() => Portal.Requests.SubmitAsync(Actor.ForEmail("kim@wingtiptoys.com"), new(created.AccessPackageId, Justification: "x")));
    }

    private IRenderedComponent<NewAccessPackagePage> RenderWizard(Guid catalogId)
    {
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"access-packages/new?catalogId={catalogId}");
        return Render<NewAccessPackagePage>();
    }

    private static void Check<T>(IRenderedComponent<T> page, string label) where T : IComponent =>
        page.FindAll("label").First(l => l.TextContent.Trim() == label).QuerySelector("input")!.Change(true);
}

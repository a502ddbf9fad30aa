using Bunit;
using EntitlementPortal.Components.Pages.AccessPackages;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Components;

public sealed class AccessPackagePageTests : PortalPageTest
{
    [Theory]
    [InlineData(Role.GlobalAdministrator, true)]
    [InlineData(Role.CatalogOwner, true)]
    [InlineData(Role.Member, false)]
    [InlineData(Role.ExternalUser, false)]
    public async Task The_access_package_page_is_for_people_with_a_role_in_its_catalog(Role role, bool allowed)
    {
        var s = await Scenario.CreateAsync(Portal);
        await SignInAsAsync(role, s.CatalogId);
        var page = Render<AccessPackagePage>(p => p.Add(x => x.Id, s.PackageId));
        if (allowed)
        {
            page.WaitForAssertion(() => Assert.Equal("https://portal.contoso.test/myaccess/access-packages/" + s.PackageId, page.Find("[data-testid=myaccess-link]").TextContent));
        }
        else
        {
            page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=no-access]")));
            Assert.DoesNotContain("Falcon partners", page.Markup);
        }
    }

    [Fact]
    public async Task The_owner_of_another_catalog_cannot_open_the_package_by_its_address()
    {
        var s = await Scenario.CreateAsync(Portal);
        await SignInAsAsync(Role.CatalogOwner);
        var page = Render<AccessPackagePage>(p => p.Add(x => x.Id, s.PackageId));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=no-access]")));
    }

    [Fact]
    public async Task Hiding_the_package_saves_through_the_service()
    {
        var s = await Scenario.CreateAsync(Portal);
        await SignInAsAsync(Role.CatalogOwner, s.CatalogId);
        var page = Render<AccessPackagePage>(p => p.Add(x => x.Id, s.PackageId));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=myaccess-link]")));
        page.Find("[role=radiogroup][aria-label='Hidden']").QuerySelectorAll("label").Single(l => l.TextContent.Trim() == "Yes").QuerySelector("input")!.Click();
        Click(page, "Save");
        await WaitUntilAsync(async () => (await Portal.QueryAsync(db => db.AccessPackages.SingleAsync(p => p.Id == s.PackageId))).IsHidden);
    }

    [Fact]
    public async Task Deleting_a_package_with_active_assignments_is_refused_with_the_reason()
    {
        var s = await Scenario.CreateAsync(Portal);
        await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        await SignInAsAsync(Role.CatalogOwner, s.CatalogId);
        var snackbar = Context.Render<MudBlazor.MudSnackbarProvider>();
        var page = Render<AccessPackagePage>(p => p.Add(x => x.Id, s.PackageId));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=myaccess-link]")));
        Click(page, "Delete");
        snackbar.WaitForAssertion(() => Assert.Contains("Falcon partners has 1 active assignment(s)", snackbar.Markup));
        Assert.NotNull(await Portal.QueryAsync(db => db.AccessPackages.SingleOrDefaultAsync(p => p.Id == s.PackageId)));
    }

    [Fact]
    public async Task An_assignment_manager_assigns_someone_not_yet_in_the_directory_by_email()
    {
        var s = await Scenario.CreateAsync(Portal);
        var manager = await Portal.MemberAsync("Manager", "manager@contoso.com");
        await Portal.Catalogs.AddRoleHolderAsync(Portal.Admin, s.CatalogId, manager.UserId!.Value, CatalogRole.AccessPackageAssignmentManager);
        SignInAs(manager.Email);
        var page = Render<AccessPackagePage>(p => p.Add(x => x.Id, s.PackageId));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=myaccess-link]")));
        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Assignments").Click();
        page.WaitForAssertion(() => Assert.Contains("New assignment", page.Markup));
        Click(page, "Assign");
        page.WaitForAssertion(() => Assert.Contains("Choose a policy.", page.Markup));
        Assert.Empty(await Portal.QueryAsync(db => db.AssignmentRequests.ToListAsync()));
    }

    [Fact]
    public async Task The_requests_tab_reprocesses_a_failed_delivery_which_is_then_delivered_at_once()
    {
        var s = await Scenario.CreateAsync(Portal);
        await Portal.Collaboration.UpdateAsync(Portal.Admin, new(CollaborationRestriction.DenySpecifiedDomains, "litwareinc.com"));
        var failed = await Portal.Requests.AssignDirectlyAsync(Portal.Admin, new(s.PackageId, s.PolicyId, Email: "kai@litwareinc.com"));
        await Portal.Delivery.DeliverPendingAsync();
        await Portal.Collaboration.UpdateAsync(Portal.Admin, new(CollaborationRestriction.AllowAnyDomain, ""));
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<AccessPackagePage>(p => p.Add(x => x.Id, s.PackageId));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=myaccess-link]")));
        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Requests").Click();
        page.WaitForAssertion(() => Assert.Contains("blocked by your invitation policy", page.Markup));
        Click(page, "Reprocess");
        await WaitUntilAsync(async () => (await Portal.RequestAsync(failed)).State == RequestState.Delivered);
    }

    [Fact]
    public async Task Separation_of_duties_offers_only_packages_of_catalogs_the_person_may_read()
    {
        var s = await Scenario.CreateAsync(Portal);
        var secret = await Portal.Catalogs.CreateAsync(Portal.Admin, new("Secret catalog", null));
        await Portal.Packages.CreateAsync(Portal.Admin, new(secret, "Secret package", null));
        var owner = await SignInAsAsync(Role.CatalogOwner, s.CatalogId);
        var details = await Portal.Get<EntitlementPortal.Features.AccessPackages.AccessPackageQueryService>().GetDetailsAsync(owner, s.PackageId);
        Assert.DoesNotContain(details.OtherPackages, p => p.Name == "Secret package");
        var asAdmin = await Portal.Get<EntitlementPortal.Features.AccessPackages.AccessPackageQueryService>().GetDetailsAsync(Portal.Admin, s.PackageId);
        Assert.Contains(asAdmin.OtherPackages, p => p.Name == "Secret package");
    }
}

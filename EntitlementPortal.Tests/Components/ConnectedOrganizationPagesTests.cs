using Bunit;
using EntitlementPortal.Components.Pages.ConnectedOrganizations;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Components;

public sealed class ConnectedOrganizationPagesTests : PortalPageTest
{
    [Theory]
    [InlineData(Role.GlobalAdministrator, true, true)]
    [InlineData(Role.ConnectedOrganizationAdministrator, true, true)]
    [InlineData(Role.IdentityGovernanceAdministrator, true, true)]
    [InlineData(Role.CatalogOwner, true, false)]
    [InlineData(Role.Member, false, false)]
    [InlineData(Role.ExternalUser, false, false)]
    public async Task The_list_shows_organizations_to_readers_and_actions_to_managers(Role role, bool sees, bool manages)
    {
        await Portal.Organizations.CreateAsync(Portal.Admin, new ConnectedOrganizationInput("Fabrikam", "Partner", ["fabrikam.com"]));
        await SignInAsAsync(role);
        var page = Render<ConnectedOrganizationsPage>();
        if (!sees)
        {
            page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=no-access]")));
            Assert.DoesNotContain("fabrikam.com", page.Markup);
            return;
        }
        page.WaitForAssertion(() => Assert.Contains("fabrikam.com", page.Markup));
        Assert.Contains("Configured", page.Markup);
        Assert.Equal(manages, page.Markup.Contains("Add connected organization", StringComparison.Ordinal));
        Assert.Equal(manages, page.FindAll("button").Any(b => b.TextContent.Trim() == "Delete"));
    }

    [Fact]
    public async Task Proposed_organizations_show_as_proposed_with_a_Configure_action_that_works()
    {
        var s = await Scenario.CreateAsync(Portal, (_, d) => d with { AllowedTargetScope = AllowedTargetScope.AllExternalUsers, SpecificAllowedTargets = [] });
        await s.RequestAsync(Actor.ForEmail("sam@tailspintoys.com"));
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<ConnectedOrganizationsPage>();
        page.WaitForAssertion(() => Assert.Contains("Proposed", page.Markup));
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Configure").Click();
        page.WaitForAssertion(() => Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "Configure"));
        Assert.Equal(ConnectedOrganizationState.Configured, (await Portal.QueryAsync(db => db.ConnectedOrganizations.SingleAsync(o => o.DisplayName == "tailspintoys.com"))).State);
    }

    [Fact]
    public async Task The_wizard_walks_Basics_Directory_and_domain_Sponsors_Review_and_creates_the_organization()
    {
        var sponsor = await Portal.MemberAsync("Sid Sponsor", "sid@contoso.com");
        await SignInAsAsync(Role.ConnectedOrganizationAdministrator);
        var page = Render<NewConnectedOrganizationPage>();
        page.WaitForAssertion(() => Assert.Contains("Basics", page.Markup));

        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Contains("Name is required.", page.Markup));
        page.Find("input").Change("Tailspin Toys");
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Contains("One e-mail domain per line", page.Markup));
        page.Find("textarea").Change("tailspin toys");
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Contains("'tailspin toys' is not a valid domain name.", page.Markup));
        page.Find("textarea").Change("TailspinToys.com");
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Contains("Internal sponsors", page.Markup));
        Click(page, "Next");
        page.WaitForAssertion(() => Assert.Contains("Review", page.Markup));
        Assert.Contains("TailspinToys.com", page.Markup);
        Click(page, "Create");

        var org = await WaitForSavedAsync(() => Portal.QueryAsync(db => db.ConnectedOrganizations.Include(o => o.IdentitySources).SingleOrDefaultAsync(o => o.DisplayName == "Tailspin Toys")));
        Assert.Equal("tailspintoys.com", Assert.Single(org.IdentitySources).Value);
        Assert.Equal(ConnectedOrganizationState.Configured, org.State);
        Assert.NotNull(sponsor.UserId);
    }

    [Fact]
    public async Task Deleting_an_organization_a_policy_uses_explains_why_it_cannot_be_deleted()
    {
        var s = await Scenario.CreateAsync(Portal);
        await SignInAsAsync(Role.GlobalAdministrator);
        var snackbar = Context.Render<MudBlazor.MudSnackbarProvider>();
        var page = Render<ConnectedOrganizationPage>(p => p.Add(x => x.Id, s.OrganizationId));
        page.WaitForAssertion(() => Assert.Contains("Sponsors", page.Markup));
        Click(page, "Delete");
        snackbar.WaitForAssertion(() => Assert.Contains("Fabrikam is used by the policy 'Partners from connected organizations'", snackbar.Markup));
        Assert.NotNull(await Portal.QueryAsync(db => db.ConnectedOrganizations.SingleOrDefaultAsync(o => o.Id == s.OrganizationId)));
    }

    [Fact]
    public async Task Editing_saves_through_the_service_and_shows_its_messages()
    {
        var id = await Portal.Organizations.CreateAsync(Portal.Admin, new ConnectedOrganizationInput("Fabrikam", null, ["fabrikam.com"]));
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<ConnectedOrganizationPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Contains("Sponsors", page.Markup));
        page.FindAll("textarea")[1].Change("contoso.com");
        Click(page, "Save");
        page.WaitForAssertion(() => Assert.Contains("'contoso.com' is a domain of this organization.", page.Markup));
        page.FindAll("textarea")[1].Change("fabrikam.com\nfabrikam.co.uk");
        Click(page, "Save");
        await WaitForSavedAsync(async () => (await Portal.Organizations.GetAsync(Portal.Admin, id)).IdentitySources.Count == 2 ? true : (bool?)null);
    }
}

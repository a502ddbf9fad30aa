using Bunit;
using EntitlementPortal.Components.Pages.Catalogs;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Components;

public sealed class CatalogPagesTests : PortalPageTest
{
    [Theory]
    [InlineData(Role.GlobalAdministrator, 2)]
    [InlineData(Role.IdentityGovernanceAdministrator, 2)]
    [InlineData(Role.CatalogOwner, 1)]
    public async Task The_catalog_list_shows_all_catalogs_to_administrators_and_their_own_to_owners(Role role, int visible)
    {
        var s = await Scenario.CreateAsync(Portal);
        await Portal.Catalogs.CreateAsync(Portal.Admin, new CatalogInput("Internal tools", null, true, false));
        await SignInAsAsync(role, s.CatalogId);
        var page = Render<CatalogsPage>();
        page.WaitForAssertion(() => Assert.Contains("Partner projects", page.Markup));
        Assert.Equal(visible, page.FindAll("a[href^='catalogs/']").Count(a => a.GetAttribute("href") != "catalogs/new"));
    }

    [Theory]
    [InlineData(Role.Member)]
    [InlineData(Role.ExternalUser)]
    [InlineData(Role.ConnectedOrganizationAdministrator)]
    public async Task People_without_a_catalog_role_are_refused_the_catalog_pages(Role role)
    {
        var s = await Scenario.CreateAsync(Portal);
        await SignInAsAsync(role);
        var list = Render<CatalogsPage>();
        list.WaitForAssertion(() => Assert.Single(list.FindAll("[data-testid=no-access]")));
        var details = Render<CatalogPage>(p => p.Add(x => x.Id, s.CatalogId));
        details.WaitForAssertion(() => Assert.Single(details.FindAll("[data-testid=no-access]")));
        Assert.DoesNotContain("Project Falcon", details.Markup);
    }

    [Fact]
    public async Task An_owner_of_another_catalog_cannot_open_this_one_by_its_address()
    {
        var s = await Scenario.CreateAsync(Portal);
        await SignInAsAsync(Role.CatalogOwner);
        var details = Render<CatalogPage>(p => p.Add(x => x.Id, s.CatalogId));
        details.WaitForAssertion(() => Assert.Single(details.FindAll("[data-testid=no-access]")));
        Assert.DoesNotContain("Project Falcon", details.Markup);
    }

    [Fact]
    public async Task The_enabled_for_external_users_filter_hides_catalogs_closed_to_them()
    {
        await Portal.Catalogs.CreateAsync(Portal.Admin, new CatalogInput("Open", null, true, true));
        await Portal.Catalogs.CreateAsync(Portal.Admin, new CatalogInput("Closed", null, true, false));
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<CatalogsPage>();
        page.WaitForAssertion(() => Assert.Contains("Closed", page.Markup));
        page.Find("input[type=checkbox]").Change(true);
        page.WaitForAssertion(() => Assert.DoesNotContain(">Closed<", page.Markup));
        Assert.Contains(">Open<", page.Markup);
    }

    [Fact]
    public async Task A_catalog_creator_creates_a_catalog_with_the_seed_labels_and_becomes_its_owner()
    {
        var creator = await SignInAsAsync(Role.CatalogCreator);
        var page = Render<NewCatalogPage>();
        page.WaitForAssertion(() => Assert.Contains("Enabled for external users", page.Markup));
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Create").Click();
        page.WaitForAssertion(() => Assert.Contains("Name is required.", page.Markup));
        page.Find("input").Change("Marketing partners");
        page.Find("[role=radiogroup][aria-label='Enabled for external users']").QuerySelectorAll("label").Single(l => l.TextContent.Trim() == "No").QuerySelector("input")!.Click();
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Create").Click();
        page.WaitForAssertion(() => Assert.Contains("catalogs/", Context.Services.GetService<Microsoft.AspNetCore.Components.NavigationManager>()!.Uri));
        var catalog = await Portal.QueryAsync(db => db.Catalogs.SingleAsync(c => c.DisplayName == "Marketing partners"));
        Assert.False(catalog.IsExternallyVisible);
        Assert.True(await Portal.QueryAsync(db => db.CatalogRoleAssignments.AnyAsync(r => r.CatalogId == catalog.Id && r.UserId == creator.UserId && r.Role == CatalogRole.CatalogOwner)));
    }

    [Fact]
    public async Task The_catalog_page_shows_resources_packages_and_roles_and_an_owner_turns_external_users_off()
    {
        var s = await Scenario.CreateAsync(Portal);
        await SignInAsAsync(Role.CatalogOwner, s.CatalogId);
        var page = Render<CatalogPage>(p => p.Add(x => x.Id, s.CatalogId));
        page.WaitForAssertion(() => Assert.Contains("Enabled for external users: Yes", Chips(page)));
        page.Find("[role=radiogroup][aria-label='Enabled for external users']").QuerySelectorAll("label").Single(l => l.TextContent.Trim() == "No").QuerySelector("input")!.Click();
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Save").Click();
        page.WaitForAssertion(() => Assert.Contains("Enabled for external users: No", Chips(page)));
        Assert.False((await Portal.QueryAsync(db => db.Catalogs.SingleAsync(c => c.Id == s.CatalogId))).IsExternallyVisible);
        Assert.Single(await Portal.AuditAsync("Update catalog"));

        Tab(page, "Resources");
        page.WaitForAssertion(() => Assert.Contains("Project Falcon", page.Markup));
        Assert.Contains("Member, Owner", page.Markup);
        Tab(page, "Access packages");
        page.WaitForAssertion(() => Assert.Contains("Falcon partners", page.Markup));
        Tab(page, "Roles");
        page.WaitForAssertion(() => Assert.Contains("catalogowner@contoso.com", page.Markup));
        Assert.Contains("Catalog owner", page.Markup);
    }

    private static string Chips(IRenderedComponent<CatalogPage> page) => string.Join(" | ", page.FindAll(".mud-chip").Select(c => c.TextContent.Trim()));

    private static void Tab(IRenderedComponent<CatalogPage> page, string name) =>
        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == name).Click();

    [Fact]
    public void A_re_render_with_the_same_saved_values_keeps_what_the_person_typed()
    {
        var form = Render<CatalogForm>(p => p.Add(x => x.Initial, new CatalogInput("Partner projects", null)));
        form.Find("input").Change("Renamed");
        form.Render(p => p.Add(x => x.Initial, new CatalogInput("Partner projects", null)));
        Assert.Equal("Renamed", form.Find("input").GetAttribute("value"));
        form.Render(p => p.Add(x => x.Initial, new CatalogInput("Saved elsewhere", null)));
        Assert.Equal("Saved elsewhere", form.Find("input").GetAttribute("value"));
    }

    [Fact]
    public async Task Names_with_markup_are_shown_as_text()
    {
        var id = await Portal.Catalogs.CreateAsync(Portal.Admin, new CatalogInput("<script>alert('x')</script>", "<b>bold</b>"));
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<CatalogPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Equal("<script>alert('x')</script>", page.Find("h1").TextContent));
        Assert.Empty(page.FindAll("script"));
        Assert.Empty(page.FindAll("b"));
    }
}

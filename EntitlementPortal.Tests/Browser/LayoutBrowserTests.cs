using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

/// <summary>The layout is rendered with each page, outside the circuit: the drawer and the menu still behave as MudBlazor's do.</summary>
[Collection(PortalBrowser.Collection)]
public sealed partial class LayoutBrowserTests
{
    [BrowserFact]
    public async Task The_menu_button_closes_the_drawer_and_opens_it_again_and_the_page_takes_the_room()
    {
        await using var portal = await PortalBrowser.StartAsync();
        var page = await AdministratorPageAsync(portal);
        var drawer = page.Locator(".mud-drawer");
        var layout = page.Locator(".mud-layout");

        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await Assertions.Expect(drawer).ToHaveClassAsync(Closed());
        await Assertions.Expect(layout).Not.ToHaveClassAsync(OpenLayout());

        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await Assertions.Expect(drawer).ToHaveClassAsync(Open());
        await Assertions.Expect(layout).ToHaveClassAsync(OpenLayout());
        Assert.DoesNotContain(portal.ConsoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    [BrowserFact]
    public async Task The_menu_marks_the_page_a_link_or_the_back_button_led_to_when_the_circuit_changes_the_page()
    {
        await using var portal = await PortalBrowser.StartAsync();
        var page = await AdministratorPageAsync(portal);
        var menu = page.Locator(".mud-drawer");

        await menu.GetByRole(AriaRole.Link, new() { Name = "Catalogs" }).ClickAsync();
        await PortalBrowser.WaitForUrlAsync(page, url => url.EndsWith("/catalogs", StringComparison.Ordinal));
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Catalogs" })).ToHaveClassAsync(Active());
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Home" })).Not.ToHaveClassAsync(Active());

        await page.GoBackAsync();
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Home" })).ToHaveClassAsync(Active());
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Catalogs" })).Not.ToHaveClassAsync(Active());
    }

    /// <summary>
    /// The head is rendered with the page and has no root in the circuit; the page tells the browser its title. Focus
    /// moves to the new page's heading, so a screen reader announces it (FocusOnNavigate looks for its h1).
    /// </summary>
    [BrowserFact]
    public async Task The_title_names_the_page_when_it_loads_and_when_the_circuit_changes_the_page_whose_heading_takes_the_focus()
    {
        await using var portal = await PortalBrowser.StartAsync();
        var page = await AdministratorPageAsync(portal);
        await PortalBrowser.GoAsync(page, "/users");
        await Assertions.Expect(page).ToHaveTitleAsync("Users");
        await PortalBrowser.WaitForInteractiveAsync(page);

        await page.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "Catalogs" }).ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync("Catalogs");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Catalogs" })).ToBeFocusedAsync();
        await page.GoBackAsync();
        await Assertions.Expect(page).ToHaveTitleAsync("Users");
    }

    [BrowserFact]
    public async Task On_a_narrow_screen_the_drawer_starts_hidden_and_a_chosen_link_closes_it()
    {
        await using var portal = await PortalBrowser.StartAsync();
        var page = await AdministratorPageAsync(portal, phoneWidth: true);
        var drawer = page.Locator(".mud-drawer");
        await Assertions.Expect(drawer).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await Assertions.Expect(drawer).ToBeVisibleAsync();
        await drawer.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await PortalBrowser.WaitForUrlAsync(page, url => url.EndsWith("/users", StringComparison.Ordinal));
        await Assertions.Expect(drawer).ToHaveClassAsync(Closed());
    }

    /// <summary>Signed in as an administrator, who sees every menu group, once the page is interactive.</summary>
    private static async Task<IPage> AdministratorPageAsync(PortalBrowser portal, bool phoneWidth = false)
    {
        var page = await portal.NewPageAsync();
        await PortalBrowser.SignInAsync(page, "admin@contoso.com");
        if (phoneWidth)
        {
            // Loaded again at a phone's width, as a phone would open it.
            await page.SetViewportSizeAsync(400, 800);
            await PortalBrowser.GoAsync(page, "/");
        }
        await PortalBrowser.WaitForInteractiveAsync(page);
        return page;
    }

    [GeneratedRegex(@"\bmud-drawer--closed\b")]
    private static partial Regex Closed();

    [GeneratedRegex(@"\bmud-drawer--open\b")]
    private static partial Regex Open();

    [GeneratedRegex(@"\bmud-drawer-open-responsive-md-left\b")]
    private static partial Regex OpenLayout();

    [GeneratedRegex(@"\bactive\b")]
    private static partial Regex Active();
}

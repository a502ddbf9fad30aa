using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

[Collection(PortalBrowser.Collection)]
public sealed class LifecycleSettingsBrowserTests
{
    [BrowserFact]
    public async Task An_administrator_signs_in_changes_the_lifecycle_settings_and_finds_them_kept_after_a_reload()
    {
        await using var portal = await PortalBrowser.StartAsync();
        var page = await portal.NewPageAsync();
        await PortalBrowser.SignInAsync(page, "admin@contoso.com");

        await PortalBrowser.GoAsync(page, "/identity-governance/entitlement-management/settings");
        await PortalBrowser.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await page.GetByRole(AriaRole.Radiogroup, new() { Name = "Block external user from signing in to this directory" }).GetByText("No", new() { Exact = true }).ClickAsync();
        var days = page.GetByLabel("Number of days before removing external user from this directory");
        await days.FillAsync("45");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.GetByText("Your settings were saved.").WaitForAsync();

        await page.ReloadAsync();
        await PortalBrowser.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByLabel("Number of days before removing external user from this directory")).ToHaveValueAsync("45");
        await Assertions.Expect(page.GetByRole(AriaRole.Radiogroup, new() { Name = "Block external user from signing in to this directory" })
            .GetByRole(AriaRole.Radio, new() { Name = "No" })).ToBeCheckedAsync();
        var admin = new Actor(null, "admin@contoso.com");
        Assert.Equal(new LifecycleSettings(false, true, 45), await portal.Services.GetRequiredService<LifecycleSettingsService>().GetAsync(admin));
    }

    [BrowserFact]
    public async Task A_member_who_opens_the_settings_by_url_reads_that_they_have_no_access()
    {
        await using var portal = await PortalBrowser.StartAsync();
        var page = await portal.NewPageAsync();
        await PortalBrowser.SignInAsync(page, "member@contoso.com");
        await PortalBrowser.GoAsync(page, "/identity-governance/entitlement-management/settings");
        await page.GetByText("You don't have access").WaitForAsync();
        await Assertions.Expect(page.GetByText("Manage the lifecycle of external users")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task A_signed_out_visitor_is_sent_to_sign_in_and_comes_back()
    {
        await using var portal = await PortalBrowser.StartAsync();
        var page = await portal.NewPageAsync();
        await PortalBrowser.GoAsync(page, "/identity-governance/entitlement-management/settings");
        await PortalBrowser.WaitForUrlAsync(page, url => url.Contains("/account/signin", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Link, new() { Name = "Use the demo sign-in" }).ClickAsync();
        await PortalBrowser.WaitForUrlAsync(page, url => url.Contains("/account/demo", StringComparison.Ordinal));
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("useradmin@contoso.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await PortalBrowser.WaitForUrlAsync(page, url => url.EndsWith("/identity-governance/entitlement-management/settings", StringComparison.Ordinal));
        await page.GetByText("Manage the lifecycle of external users").WaitForAsync();
    }
}

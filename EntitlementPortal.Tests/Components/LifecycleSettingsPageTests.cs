using Bunit;
using EntitlementPortal.Components.Pages.Admin;
using EntitlementPortal.Features.Settings;
using EntitlementPortal.Tests.Infrastructure;

namespace EntitlementPortal.Tests.Components;

public sealed class LifecycleSettingsPageTests : PortalPageTest
{
    [Theory]
    [InlineData(Role.GlobalAdministrator, true)]
    [InlineData(Role.UserAdministrator, true)]
    [InlineData(Role.IdentityGovernanceAdministrator, true)]
    [InlineData(Role.CatalogCreator, false)]
    [InlineData(Role.ConnectedOrganizationAdministrator, false)]
    [InlineData(Role.CatalogOwner, false)]
    [InlineData(Role.Member, false)]
    [InlineData(Role.ExternalUser, false)]
    public async Task Only_global_user_and_identity_governance_administrators_see_the_lifecycle_settings(Role role, bool allowed)
    {
        await SignInAsAsync(role);
        var page = Render<LifecycleSettingsPage>();
        if (allowed)
        {
            WaitFor(page, "Manage the lifecycle of external users");
            Assert.Contains("Block external user from signing in to this directory", page.Markup);
        }
        else
        {
            WaitFor(page, "data-testid=\"no-access\"");
            Assert.Contains("have access", page.Find("[data-testid=no-access]").TextContent);
            Assert.DoesNotContain("Remove external user", page.Markup);
        }
    }

    [Fact]
    public async Task Settings_are_read_only_until_Edit_and_Save_persists_them_through_the_service()
    {
        await SignInAsAsync(Role.UserAdministrator);
        var page = Render<LifecycleSettingsPage>();
        WaitFor(page, "Edit");
        Assert.All(page.FindAll("input[type=radio]"), r => Assert.True(r.HasAttribute("disabled")));
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Edit").Click();

        RadioIn(page, "Block external user from signing in to this directory", "No").Click();
        page.Find("input[inputmode=numeric], input[type=number]").Change("12");
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Save").Click();

        page.WaitForAssertion(() => Assert.Contains("Your settings were saved.", page.Markup));
        Assert.Equal(new LifecycleSettings(false, true, 12), await Portal.LifecycleSettings.GetAsync(Portal.Admin));
        Assert.Single(await Portal.AuditAsync("Update entitlement management settings"));
    }

    [Fact]
    public async Task Days_outside_0_to_3650_show_the_services_message_and_nothing_is_saved()
    {
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<LifecycleSettingsPage>();
        WaitFor(page, "Edit");
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Edit").Click();
        page.Find("input[inputmode=numeric], input[type=number]").Change("4000");
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Save").Click();
        page.WaitForAssertion(() => Assert.Contains("Number of days before removing external user from this directory must be between 0 and 3650.", page.Markup));
        Assert.Equal(30, (await Portal.LifecycleSettings.GetAsync(Portal.Admin)).DaysBeforeRemovingExternalUser);
    }

    [Fact]
    public async Task Days_are_disabled_when_Remove_external_user_is_No()
    {
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<LifecycleSettingsPage>();
        WaitFor(page, "Edit");
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Edit").Click();
        Assert.False(page.Find("input[inputmode=numeric], input[type=number]").HasAttribute("disabled"));
        RadioIn(page, "Remove external user", "No").Click();
        page.WaitForAssertion(() => Assert.True(page.Find("input[inputmode=numeric], input[type=number]").HasAttribute("disabled")));
    }

    private static AngleSharp.Dom.IElement RadioIn(IRenderedComponent<LifecycleSettingsPage> page, string group, string option) =>
        page.Find($"[role=radiogroup][aria-label='{group}']").QuerySelectorAll("label")
            .Single(l => l.TextContent.Trim() == option).QuerySelector("input")!;
}

using Bunit;
using EntitlementPortal.Components.Pages.Admin;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Settings;
using EntitlementPortal.Tests.Infrastructure;

namespace EntitlementPortal.Tests.Components;

public sealed class CollaborationSettingsPageTests : PortalPageTest
{
    [Theory]
    [InlineData(Role.GlobalAdministrator, true)]
    [InlineData(Role.UserAdministrator, true)]
    [InlineData(Role.IdentityGovernanceAdministrator, false)]
    [InlineData(Role.ConnectedOrganizationAdministrator, false)]
    [InlineData(Role.CatalogOwner, false)]
    [InlineData(Role.Member, false)]
    [InlineData(Role.ExternalUser, false)]
    public async Task Only_global_and_user_administrators_see_the_collaboration_restrictions(Role role, bool allowed)
    {
        await SignInAsAsync(role);
        var page = Render<CollaborationSettingsPage>();
        if (allowed)
        {
            WaitFor(page, "Allow invitations to be sent to any domain (most inclusive)");
            Assert.Contains("Deny invitations to the specified domains", page.Markup);
            Assert.Contains("Allow invitations only to the specified domains (most restrictive)", page.Markup);
        }
        else
        {
            WaitFor(page, "data-testid=\"no-access\"");
            Assert.DoesNotContain("Target domains", page.Markup);
        }
    }

    [Fact]
    public async Task Each_bad_line_gets_its_own_message_and_nothing_is_saved()
    {
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<CollaborationSettingsPage>();
        WaitFor(page, "most inclusive");
        Option(page, "Deny invitations to the specified domains").Click();
        page.Find("textarea").Change("fabrikam.com\nnot a domain\nFABRIKAM.com");
        Save(page);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=domain-error]").Count));
        Assert.Equal(["Line 2: 'not a domain' is not a valid domain name.", "Line 3: 'fabrikam.com' is listed more than once."],
            page.FindAll("[data-testid=domain-error]").Select(e => e.TextContent.Trim()));
        Assert.Equal(CollaborationRestriction.AllowAnyDomain, (await Portal.Collaboration.GetAsync(Portal.Admin)).CollaborationRestriction);
    }

    [Fact]
    public async Task Saving_a_deny_list_persists_it_lower_cased()
    {
        await SignInAsAsync(Role.UserAdministrator);
        var page = Render<CollaborationSettingsPage>();
        WaitFor(page, "most inclusive");
        Option(page, "Deny invitations to the specified domains").Click();
        page.Find("textarea").Change("Litwareinc.com\ncontoso-rivals.com");
        Save(page);
        page.WaitForAssertion(() => Assert.Contains("Your settings were saved.", page.Markup));
        Assert.Equal(new CollaborationSettings(CollaborationRestriction.DenySpecifiedDomains, "litwareinc.com\ncontoso-rivals.com"),
            await Portal.Collaboration.GetAsync(Portal.Admin));
    }

    [Fact]
    public async Task Switching_from_a_deny_list_to_an_allow_list_warns_that_the_list_is_discarded()
    {
        await Portal.Collaboration.UpdateAsync(Portal.Admin, new CollaborationSettings(CollaborationRestriction.DenySpecifiedDomains, "litwareinc.com"));
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<CollaborationSettingsPage>();
        WaitFor(page, "most inclusive");
        Assert.Empty(page.FindAll("[data-testid=switch-warning]"));
        Option(page, "Allow invitations only to the specified domains (most restrictive)").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=switch-warning]")));
    }

    private static AngleSharp.Dom.IElement Option(IRenderedComponent<CollaborationSettingsPage> page, string label) =>
        page.FindAll("[role=radiogroup] label").Single(l => l.TextContent.Trim() == label).QuerySelector("input")!;

    private static void Save(IRenderedComponent<CollaborationSettingsPage> page) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Save").Click();
}

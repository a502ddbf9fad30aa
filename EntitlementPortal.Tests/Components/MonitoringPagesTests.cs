using Bunit;
using EntitlementPortal.Components.Pages;
using EntitlementPortal.Components.Pages.Admin;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Components;

/// <summary>Users, audit, notifications and the dashboard: administrators only.</summary>
public sealed class MonitoringPagesTests : PortalPageTest
{
    public static TheoryData<string, Role, bool> PagesByRole()
    {
        var data = new TheoryData<string, Role, bool>();
        foreach (var page in new[] { nameof(UsersPage), nameof(AuditPage), nameof(NotificationsPage) })
        {
            data.Add(page, Role.GlobalAdministrator, true);
            data.Add(page, Role.UserAdministrator, true);
            data.Add(page, Role.IdentityGovernanceAdministrator, true);
            data.Add(page, Role.CatalogOwner, false);
            data.Add(page, Role.ConnectedOrganizationAdministrator, false);
            data.Add(page, Role.Member, false);
            data.Add(page, Role.ExternalUser, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PagesByRole))]
    public async Task Monitoring_pages_show_data_only_to_administrators(string page, Role role, bool allowed)
    {
        var s = await Scenario.CreateAsync(Portal);
        await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        await SignInAsAsync(role);
        IRenderedComponent<IComponent> rendered = page switch
        {
            nameof(UsersPage) => Render<UsersPage>(),
            nameof(AuditPage) => Render<AuditPage>(),
            _ => Render<NotificationsPage>(),
        };
        if (allowed)
        {
            rendered.WaitForAssertion(() => Assert.Contains("lee@fabrikam.com", rendered.Markup));
        }
        else
        {
            rendered.WaitForAssertion(() => Assert.Single(rendered.FindAll("[data-testid=no-access]")));
            Assert.DoesNotContain("lee@fabrikam.com", rendered.Markup);
        }
    }

    [Fact]
    public async Task Users_show_lifecycle_and_a_governed_mark_for_guests_who_were_there_before()
    {
        var s = await Scenario.CreateAsync(Portal);
        await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        var oldGuest = await Portal.DirectoryAdmin.AddExistingGuestAsync(Portal.Admin, "Old Guest", "old@wingtiptoys.com", null);
        await SignInAsAsync(Role.UserAdministrator);
        var page = Render<UsersPage>();
        page.WaitForAssertion(() => Assert.Contains("old@wingtiptoys.com", page.Markup));
        Assert.Contains("Governed", page.Markup);
        Assert.Contains("Not governed", page.Markup);
        Assert.Contains("Pending acceptance", page.Markup);
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Mark guest as governed").Click();
        page.WaitForAssertion(() => Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "Mark guest as governed"));
        Assert.Equal(SubjectLifecycle.Governed, (await Portal.QueryAsync(db => db.Users.SingleAsync(u => u.Id == oldGuest))).Lifecycle);
    }

    [Fact]
    public async Task Audit_shows_the_activities_of_the_story_and_links_a_filtered_csv()
    {
        var s = await Scenario.CreateAsync(Portal);
        await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Contains("Fulfill access package assignment", page.Markup));
        Assert.Contains("Approve access package assignment request", page.Markup);
        Assert.Contains("exports/audit.csv", page.Markup);
    }

    [Fact]
    public async Task The_audit_pager_says_more_than_ten_thousand_where_counting_stopped()
    {
        await Portal.AddAuditEventsAsync("Many", AuditQueryService.MaxCounted + 1);
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Contains("1-25 of more than 10,000", page.Markup));
    }

    [Fact]
    public async Task The_dashboard_counts_what_needs_attention_for_administrators_and_welcomes_everyone_else()
    {
        var s = await Scenario.CreateAsync(Portal);
        await s.RequestAsync(Actor.ForEmail("lee@fabrikam.com"));
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<Home>();
        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-testid='tile-Pending approvals']").TextContent.Trim()));
        Assert.Equal("0", page.Find("[data-testid='tile-Deliveries failed']").TextContent.Trim());
        // The counts look like headings but are text: a screen reader's list of headings holds the page's own.
        Assert.All(page.FindAll("[data-testid^='tile-']"), count => Assert.Equal("P", count.TagName));

        SignInAs("lee@fabrikam.com");
        var welcome = Render<Home>();
        welcome.WaitForAssertion(() => Assert.Contains("Access for external users", welcome.Markup));
        Assert.Empty(welcome.FindAll("[data-testid^=tile]"));
    }
}

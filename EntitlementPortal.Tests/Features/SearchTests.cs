using EntitlementPortal.Domain;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.DirectoryAdmin;
using EntitlementPortal.Features.MyAccess;
using EntitlementPortal.Tests.Infrastructure;

namespace EntitlementPortal.Tests.Features;

/// <summary>The search boxes find names whatever the case of the words typed, as Entra's do.</summary>
public class SearchTests : ServiceTests
{
    [Theory]
    [InlineData("falcon")]
    [InlineData("FALCON PARTNERS")]
    [InlineData("Falcon")]
    public async Task My_Access_finds_a_package_whatever_the_case_of_the_words(string words)
    {
        await using var portal = await CreatePortalAsync();
        await Scenario.CreateAsync(portal);
        var found = await portal.Get<MyAccessService>().RequestableAsync(Actor.ForEmail("lee@fabrikam.com"), words);
        Assert.Equal(["Falcon partners"], found.Select(p => p.DisplayName));
    }

    [Fact]
    public async Task Catalogs_organizations_and_users_are_found_whatever_the_case_of_the_words()
    {
        await using var portal = await CreatePortalAsync();
        await Scenario.CreateAsync(portal);
        var page = new PageRequest();
        Assert.Equal(["Partner projects"], (await portal.Catalogs.SearchAsync(portal.Admin, "partner PROJECTS", false, page)).Items.Select(c => c.DisplayName));
        Assert.Equal(["Fabrikam"], (await portal.Organizations.SearchAsync(portal.Admin, "fabrikam", null, page)).Items.Select(o => o.DisplayName));
        Assert.Equal(["Avery Approver"], (await portal.Get<UserQueryService>().SearchAsync(portal.Admin, new UserFilter("avery"), page)).Items.Select(u => u.DisplayName));
        Assert.Empty((await portal.Organizations.SearchAsync(portal.Admin, "contoso", null, page)).Items);
    }

    [Fact]
    public async Task The_audit_log_counts_matches_up_to_ten_thousand_and_says_when_there_are_more()
    {
        await using var portal = await CreatePortalAsync();
        await portal.AddAuditEventsAsync("Many", AuditQueryService.MaxCounted + 1);
        await portal.AddAuditEventsAsync("Few", 3);
        var audit = portal.Get<AuditQueryService>();

        var many = await audit.SearchAsync(portal.Admin, new AuditFilter(Activity: "Many"), new PageRequest());
        var few = await audit.SearchAsync(portal.Admin, new AuditFilter(Activity: "Few"), new PageRequest());

        Assert.Equal((10_000, true, 25), (many.TotalItems, many.MoreThanTotal, many.Items.Count));
        Assert.Equal($"Target {AuditQueryService.MaxCounted}", many.Items[0].TargetName);
        Assert.Equal((3, false, 3), (few.TotalItems, few.MoreThanTotal, few.Items.Count));
    }
}

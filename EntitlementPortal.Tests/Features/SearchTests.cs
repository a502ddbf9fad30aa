using EntitlementPortal.Domain;
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
}

using EntitlementPortal.Domain;
using EntitlementPortal.Features.Access;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;

namespace EntitlementPortal.Tests.Features;

public class PortalAccessTests : ServiceTests
{
    [Fact]
    public async Task Global_administrators_may_use_every_admin_page()
    {
        await using var portal = await CreatePortalAsync();
        var caps = await portal.Get<PortalAccessService>().GetAsync(portal.Admin);
        Assert.True(caps is { IsAdministrator: true, CanManageLifecycleSettings: true, CanManageCollaborationSettings: true, CanManageConnectedOrganizations: true,
            CanSeeCatalogs: true, CanCreateCatalog: true, CanSeeUsers: true, CanSeeAudit: true, CanSeeNotifications: true });
    }

    [Fact]
    public async Task A_catalog_owner_sees_catalogs_and_connected_organizations_but_no_tenant_settings()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var owner = await portal.MemberAsync("Owner", "owner@contoso.com");
        await portal.Catalogs.AddRoleHolderAsync(portal.Admin, s.CatalogId, owner.UserId!.Value, CatalogRole.CatalogOwner);
        var caps = await portal.Get<PortalAccessService>().GetAsync(owner);
        Assert.True(caps is { CanSeeCatalogs: true, CanReadConnectedOrganizations: true });
        Assert.False(caps.CanManageLifecycleSettings || caps.CanManageCollaborationSettings || caps.CanSeeUsers || caps.CanSeeAudit || caps.IsAdministrator);
    }

    [Fact]
    public async Task Members_external_users_and_anonymous_visitors_get_no_admin_page()
    {
        await using var portal = await CreatePortalAsync();
        var access = portal.Get<PortalAccessService>();
        var member = await access.GetAsync(await portal.MemberAsync("M", "m@contoso.com"));
        Assert.True(member.IsSignedIn && member.IsInDirectory);
        Assert.False(member.IsAdministrator || member.CanSeeCatalogs || member.CanReadConnectedOrganizations);
        var external = await access.GetAsync(Actor.ForEmail("lee@fabrikam.com"));
        Assert.True(external.IsSignedIn);
        Assert.False(external.IsInDirectory || external.CanSeeCatalogs);
        Assert.Equal(Capabilities.None, await access.GetAsync(Actor.Anonymous));
    }
}

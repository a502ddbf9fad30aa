using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Data;

/// <summary>
/// The request path's configuration served from memory (<see cref="ConfigurationCache"/>) is never older than the
/// database's: whoever changes it, by whatever means, and whatever a rolled-back transaction read.
/// </summary>
public class ConfigurationCacheTests : ServiceTests
{
    [Fact]
    public async Task A_request_after_a_catalog_is_disabled_by_SQL_outside_the_portal_is_refused_though_the_catalog_was_kept()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await s.RequestAsync(Actor.ForEmail("lee@fabrikam.com"));

        await RunOutsideEfAsync(portal, "UPDATE \"Catalogs\" SET \"IsEnabled\" = false");

        var refused = await Assert.ThrowsAsync<NotEligibleException>(() => s.RequestAsync(Actor.ForEmail("kim@fabrikam.com")));
        Assert.Equal(IneligibilityReason.CatalogDisabled, refused.Reason);
    }

    [Fact]
    public async Task A_request_after_its_domain_is_blocked_by_SQL_outside_the_portal_is_refused_though_the_settings_were_kept()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await s.RequestAsync(Actor.ForEmail("lee@fabrikam.com"));

        await RunOutsideEfAsync(portal, $"UPDATE \"ExternalCollaborationSettings\" SET \"CollaborationRestriction\" = '{CollaborationRestriction.DenySpecifiedDomains}', \"TargetDomains\" = '[\"fabrikam.com\"]'");

        var refused = await Assert.ThrowsAsync<NotEligibleException>(() => s.RequestAsync(Actor.ForEmail("kim@fabrikam.com")));
        Assert.Equal(IneligibilityReason.DomainBlockedByInvitationPolicy, refused.Reason);
    }

    [Fact]
    public async Task A_delivery_after_a_role_is_added_to_the_package_grants_it_though_the_package_roles_were_kept()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        var siteId = await portal.DirectoryAdmin.CreateResourceAsync(portal.Admin, "Falcon site", ResourceType.SharePointSite);
        await portal.Catalogs.AddResourceAsync(portal.Admin, s.CatalogId, siteId);
        var siteRoleId = await portal.QueryAsync(db => db.ResourceRoles.Where(r => r.ResourceId == siteId).Select(r => r.Id).FirstAsync());
        await portal.Packages.AddResourceRoleAsync(portal.Admin, s.PackageId, siteRoleId);

        await s.GrantAsync(Actor.ForEmail("kim@fabrikam.com"));

        var kim = await portal.UserAsync("kim@fabrikam.com");
        Assert.Equal(new[] { s.MemberRoleId, siteRoleId }.Order(), (await portal.RolesOfAsync(kim.Id)).Order());
    }

    [Fact]
    public async Task What_a_rolled_back_transaction_read_of_its_own_change_is_never_served_after_a_later_change()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await using (var db = portal.NewDb())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await RenameAsync(db, s.PackageId, "Renamed, then rolled back");
            Assert.Equal("Renamed, then rolled back", (await db.AccessPackageAsync(s.PackageId, default)).DisplayName);
            await tx.RollbackAsync();
        }

        // A version counted up again would now repeat the rolled-back transaction's, and serve what it read.
        await using (var db = portal.NewDb())
        {
            await RenameAsync(db, s.PackageId, "Falcon partners 2027");
        }
        await using (var db = portal.NewDb())
        {
            Assert.Equal("Falcon partners 2027", (await db.AccessPackageAsync(s.PackageId, default)).DisplayName);
        }
    }

    [Fact]
    public async Task A_unit_that_changes_configuration_with_a_statement_reads_its_own_change_next()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await using var db = portal.NewDb();
        await using var tx = await db.Database.BeginTransactionAsync();
        Assert.Equal("Falcon partners", (await db.AccessPackageAsync(s.PackageId, default)).DisplayName);

        await db.AccessPackages.Where(p => p.Id == s.PackageId).ExecuteUpdateAsync(p => p.SetProperty(x => x.DisplayName, "Falcon partners 2027"));

        Assert.Equal("Falcon partners 2027", (await db.AccessPackageAsync(s.PackageId, default)).DisplayName);
    }

    private static Task RenameAsync(PortalDbContext db, Guid packageId, string name) =>
        db.Database.ExecuteSqlAsync($"UPDATE \"AccessPackages\" SET \"DisplayName\" = {name} WHERE \"Id\" = {packageId}");

    /// <summary>As an administrator's SQL or another program would: on a connection of its own, unseen by EF.</summary>
    private static async Task RunOutsideEfAsync(TestPortal portal, string sql)
    {
        await using var db = portal.NewDb();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(await command.ExecuteNonQueryAsync() > 0);
    }
}

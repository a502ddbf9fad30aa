using EntitlementPortal.Domain;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Requests;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Features;

public class CatalogTests : ServiceTests
{
    [Fact]
    public async Task Catalog_not_enabled_for_external_users_refuses_external_requests_but_an_administrator_can_still_assign_directly()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, externallyVisible: false);
        var refused = await Assert.ThrowsAsync<NotEligibleException>(() => s.RequestAsync(Actor.ForEmail("lee@fabrikam.com")));
        Assert.Equal(IneligibilityReason.CatalogNotEnabledForExternalUsers, refused.Reason);

        var requestId = await portal.Requests.AssignDirectlyAsync(portal.Admin, new DirectAssignmentInput(s.PackageId, s.PolicyId, Email: "lee@fabrikam.com", DisplayName: "Lee"));
        await portal.Delivery.DeliverPendingAsync();
        Assert.Equal(RequestState.Delivered, (await portal.RequestAsync(requestId)).State);
        Assert.Equal("Lee", (await portal.UserAsync("lee@fabrikam.com")).DisplayName);
        Assert.Single(await portal.AuditAsync("Administrator directly assigns user to access package"));
    }

    [Fact]
    public async Task Enabling_the_catalog_for_external_users_later_lets_them_request()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, externallyVisible: false);
        await portal.Catalogs.UpdateAsync(portal.Admin, s.CatalogId, new CatalogInput("Partner projects", null, true, true));
        await s.RequestAsync(Actor.ForEmail("lee@fabrikam.com"));
    }

    [Fact]
    public async Task Disabled_catalog_refuses_every_request()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await portal.Catalogs.UpdateAsync(portal.Admin, s.CatalogId, new CatalogInput("Partner projects", null, false, true));
        var refused = await Assert.ThrowsAsync<NotEligibleException>(() => s.RequestAsync(Actor.ForEmail("lee@fabrikam.com")));
        Assert.Equal(IneligibilityReason.CatalogDisabled, refused.Reason);
    }

    [Fact]
    public async Task A_policy_for_external_users_on_a_catalog_not_enabled_for_them_saves_with_a_warning()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, externallyVisible: false);
        var result = await portal.Policies.CreateAsync(portal.Admin, s.PackageId, Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with { DisplayName = "Second" });
        Assert.Contains("not enabled for external users", Assert.Single(result.Warnings));
    }

    [Fact]
    public async Task New_catalogs_are_enabled_for_external_users_by_default_and_the_creator_becomes_owner()
    {
        await using var portal = await CreatePortalAsync();
        var creator = await portal.SeedUserAsync("Cy Creator", "creator@contoso.com", DirectoryRole.CatalogCreator);
        var id = await portal.Catalogs.CreateAsync(creator, new CatalogInput("Marketing", null));
        var catalog = await portal.QueryAsync(db => db.Catalogs.SingleAsync(c => c.Id == id));
        Assert.True(catalog.IsEnabled);
        Assert.True(catalog.IsExternallyVisible);
        Assert.True(await portal.QueryAsync(db => db.CatalogRoleAssignments.AnyAsync(r => r.CatalogId == id && r.UserId == creator.UserId && r.Role == CatalogRole.CatalogOwner)));
    }

    [Theory]
    [InlineData("", "DisplayName")]
    [InlineData("Partner projects", "DisplayName")]
    [InlineData("Name\u0007", "DisplayName")]
    public async Task Invalid_catalog_names_are_refused(string name, string field)
    {
        await using var portal = await CreatePortalAsync();
        await portal.Catalogs.CreateAsync(portal.Admin, new CatalogInput("Partner projects", null));
        var error = await Assert.ThrowsAsync<PortalValidationException>(() => portal.Catalogs.CreateAsync(portal.Admin, new CatalogInput(name, null)));
        Assert.Equal(field, Assert.Single(error.Failures).Field);
        Assert.Equal(1, await portal.QueryAsync(db => db.Catalogs.CountAsync()));
    }

    [Fact]
    public async Task A_resource_used_by_a_package_cannot_leave_the_catalog()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await Assert.ThrowsAsync<DomainRuleException>(() => portal.Catalogs.RemoveResourceAsync(portal.Admin, s.CatalogId, s.GroupId));
        await Assert.ThrowsAsync<DomainRuleException>(() => portal.Catalogs.DeleteAsync(portal.Admin, s.CatalogId));
    }

    [Fact]
    public async Task Package_with_active_assignments_cannot_be_deleted()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var assignment = await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        var error = await Assert.ThrowsAsync<DomainRuleException>(() => portal.Packages.DeleteAsync(portal.Admin, s.PackageId));
        Assert.Contains("1 active assignment", error.Message);
        await portal.Requests.RemoveAssignmentAsync(portal.Admin, assignment.Id);
        await portal.Packages.DeleteAsync(portal.Admin, s.PackageId);
    }

    [Fact]
    public async Task Holders_of_an_incompatible_package_cannot_request()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var second = await s.SecondPackageWithSameRoleAsync();
        await portal.Packages.AddIncompatibleAccessPackageAsync(portal.Admin, s.PackageId, second);
        await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"), second);
        var lee = await s.AsDirectoryUserAsync("lee@fabrikam.com");
        var refused = await Assert.ThrowsAsync<NotEligibleException>(() => s.RequestAsync(lee));
        Assert.Equal(IneligibilityReason.IncompatibleAccess, refused.Reason);
    }
}

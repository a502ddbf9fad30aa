using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Settings;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Features;

/// <summary>The seed's "Manage the lifecycle of external users", each rule and its note.</summary>
public class LifecycleOfExternalUsersTests : ServiceTests
{
    private const string Partner = "pat@fabrikam.com";

    private async Task<(TestPortal Portal, Scenario Scenario, AccessPackageAssignment Assignment)> GovernedGuestAsync(LifecycleSettings? settings = null)
    {
        var portal = await CreatePortalAsync();
        if (settings is not null)
        {
            await portal.LifecycleSettings.UpdateAsync(portal.Admin, settings);
        }
        var s = await Scenario.CreateAsync(portal);
        return (portal, s, await s.GrantAsync(Actor.ForEmail(Partner)));
    }

    [Fact]
    public async Task Defaults_are_block_and_remove_after_30_days()
    {
        await using var portal = await CreatePortalAsync();
        Assert.Equal(new LifecycleSettings(true, true, 30), await portal.LifecycleSettings.GetAsync(portal.Admin));
    }

    [Fact]
    public async Task Relinquishing_the_last_assignment_blocks_the_guest_and_schedules_removal()
    {
        var (portal, s, assignment) = await GovernedGuestAsync();
        await using var _ = portal;
        await portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync(Partner), assignment.Id);
        var guest = await portal.UserAsync(Partner);
        Assert.False(guest.AccountEnabled);
        Assert.Equal(portal.Now, guest.BlockedDateTime);
        Assert.Equal(portal.Now.AddDays(30), guest.ScheduledDeletionDateTime);
        Assert.DoesNotContain(await portal.EmailsToAsync(Partner), e => e.Subject.Contains("removed", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Guest_with_another_assignment_left_is_neither_blocked_nor_scheduled()
    {
        var (portal, s, assignment) = await GovernedGuestAsync();
        await using var _ = portal;
        var second = await s.SecondPackageWithSameRoleAsync();
        await s.GrantAsync(await s.AsDirectoryUserAsync(Partner), second);
        await portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync(Partner), assignment.Id);
        var guest = await portal.UserAsync(Partner);
        Assert.True(guest.AccountEnabled);
        Assert.Null(guest.ScheduledDeletionDateTime);
    }

    [Fact]
    public async Task Zero_days_removes_the_guest_as_soon_as_they_lose_their_last_assignment()
    {
        var (portal, s, assignment) = await GovernedGuestAsync(new LifecycleSettings(true, true, 0));
        await using var _ = portal;
        await portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync(Partner), assignment.Id);
        Assert.True((await portal.UserAsync(Partner)).IsDeleted);
        Assert.Single(await portal.AuditAsync("Delete user"));
    }

    [Fact]
    public async Task Block_only_blocks_and_never_removes()
    {
        var (portal, s, assignment) = await GovernedGuestAsync(new LifecycleSettings(true, false, 30));
        await using var _ = portal;
        await portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync(Partner), assignment.Id);
        await portal.AdvanceAsync(TimeSpan.FromDays(400));
        var guest = await portal.UserAsync(Partner);
        Assert.False(guest.AccountEnabled);
        Assert.False(guest.IsDeleted);
        Assert.Null(guest.ScheduledDeletionDateTime);
    }

    [Fact]
    public async Task Remove_without_block_leaves_sign_in_enabled_until_removal()
    {
        var (portal, s, assignment) = await GovernedGuestAsync(new LifecycleSettings(false, true, 10));
        await using var _ = portal;
        await portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync(Partner), assignment.Id);
        var guest = await portal.UserAsync(Partner);
        Assert.True(guest.AccountEnabled);
        Assert.Equal(portal.Now.AddDays(10), guest.ScheduledDeletionDateTime);
        await portal.AdvanceAsync(TimeSpan.FromDays(10));
        Assert.True((await portal.UserAsync(Partner)).IsDeleted);
    }

    [Fact]
    public async Task Neither_block_nor_remove_leaves_the_guest_alone()
    {
        var (portal, s, assignment) = await GovernedGuestAsync(new LifecycleSettings(false, false, 30));
        await using var _ = portal;
        await portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync(Partner), assignment.Id);
        await portal.AdvanceAsync(TimeSpan.FromDays(400));
        var guest = await portal.UserAsync(Partner);
        Assert.True(guest.AccountEnabled);
        Assert.False(guest.IsDeleted);
    }

    [Fact]
    public async Task Guest_present_before_the_first_assignment_is_never_blocked_or_removed()
    {
        await using var portal = await CreatePortalAsync();
        await portal.LifecycleSettings.UpdateAsync(portal.Admin, new LifecycleSettings(true, true, 0));
        var s = await Scenario.CreateAsync(portal);
        await portal.DirectoryAdmin.AddExistingGuestAsync(portal.Admin, "Pat", Partner, s.OrganizationId);
        var assignment = await s.GrantAsync(await s.AsDirectoryUserAsync(Partner));
        await portal.AdvanceAsync(TimeSpan.FromDays(181));
        Assert.False((await portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == assignment.Id))).IsActive);
        var guest = await portal.UserAsync(Partner);
        Assert.Equal(SubjectLifecycle.NotGoverned, guest.Lifecycle);
        Assert.True(guest.AccountEnabled);
        Assert.False(guest.IsDeleted);
    }

    [Fact]
    public async Task Guest_invited_through_a_package_and_later_added_to_another_resource_is_still_removed()
    {
        var (portal, s, assignment) = await GovernedGuestAsync();
        await using var _ = portal;
        var siteId = await portal.DirectoryAdmin.CreateResourceAsync(portal.Admin, "Falcon site", ResourceType.SharePointSite);
        var siteRole = await portal.QueryAsync(db => db.ResourceRoles.FirstAsync(r => r.ResourceId == siteId));
        var guest = await portal.UserAsync(Partner);
        await portal.DirectoryAdmin.AddToResourceRoleAsync(portal.Admin, guest.Id, siteRole.Id);
        await portal.AdvanceAsync(TimeSpan.FromDays(180));
        await portal.AdvanceAsync(TimeSpan.FromDays(30));
        Assert.True((await portal.UserAsync(Partner)).IsDeleted);
        Assert.Empty(await portal.RolesOfAsync(guest.Id));
        Assert.Equal(assignment.TargetUserId, guest.Id);
    }

    [Fact]
    public async Task Changing_the_settings_does_not_move_an_already_scheduled_removal()
    {
        var (portal, s, assignment) = await GovernedGuestAsync();
        await using var _ = portal;
        await portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync(Partner), assignment.Id);
        var scheduled = (await portal.UserAsync(Partner)).ScheduledDeletionDateTime;
        await portal.LifecycleSettings.UpdateAsync(portal.Admin, new LifecycleSettings(false, false, 365));
        await portal.AdvanceAsync(TimeSpan.FromDays(29));
        Assert.Equal(scheduled, (await portal.UserAsync(Partner)).ScheduledDeletionDateTime);
        Assert.False((await portal.UserAsync(Partner)).IsDeleted);
        await portal.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.True((await portal.UserAsync(Partner)).IsDeleted);
    }

    [Fact]
    public async Task A_new_assignment_before_the_removal_date_cancels_block_and_removal()
    {
        var (portal, s, assignment) = await GovernedGuestAsync();
        await using var _ = portal;
        await portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync(Partner), assignment.Id);
        var guest = await portal.UserAsync(Partner);
        Assert.False(guest.AccountEnabled);
        portal.Clock.Advance(TimeSpan.FromDays(10));
        await portal.Requests.AssignDirectlyAsync(portal.Admin, new(s.PackageId, s.PolicyId, UserId: guest.Id));
        await portal.AdvanceAsync(TimeSpan.FromMinutes(1));
        guest = await portal.UserAsync(Partner);
        Assert.True(guest.AccountEnabled);
        Assert.Null(guest.BlockedDateTime);
        Assert.Null(guest.ScheduledDeletionDateTime);
        await portal.AdvanceAsync(TimeSpan.FromDays(25));
        Assert.False((await portal.UserAsync(Partner)).IsDeleted);
        Assert.Single(await portal.AuditAsync("Cancel external user lifecycle actions"));
    }

    [Fact]
    public async Task Blocked_guest_cannot_request_again()
    {
        var (portal, s, assignment) = await GovernedGuestAsync();
        await using var _ = portal;
        await portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync(Partner), assignment.Id);
        var refused = await Assert.ThrowsAsync<NotEligibleException>(() => s.RequestAsync(Actor.ForEmail(Partner)));
        Assert.Equal(IneligibilityReason.AccountBlocked, refused.Reason);
    }

    [Fact]
    public async Task Guest_marked_as_governed_is_removed_like_an_invited_one()
    {
        await using var portal = await CreatePortalAsync();
        await portal.LifecycleSettings.UpdateAsync(portal.Admin, new LifecycleSettings(true, true, 0));
        var s = await Scenario.CreateAsync(portal);
        var guestId = await portal.DirectoryAdmin.AddExistingGuestAsync(portal.Admin, "Pat", Partner, s.OrganizationId);
        var assignment = await s.GrantAsync(await s.AsDirectoryUserAsync(Partner));
        await portal.Lifecycle.MarkGuestAsGovernedAsync(portal.Admin, guestId);
        await portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync(Partner), assignment.Id);
        Assert.True((await portal.UserAsync(Partner)).IsDeleted);
    }

    [Fact]
    public async Task Removed_guest_can_be_invited_again_as_a_new_account()
    {
        var (portal, s, assignment) = await GovernedGuestAsync(new LifecycleSettings(false, true, 0));
        await using var _ = portal;
        var first = await portal.UserAsync(Partner);
        await portal.Requests.RelinquishAsync(Actor.For(first), assignment.Id);
        await s.GrantAsync(Actor.ForEmail(Partner));
        var second = await portal.UserAsync(Partner);
        Assert.NotEqual(first.Id, second.Id);
        Assert.False(second.IsDeleted);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3651)]
    public async Task Days_before_removal_outside_0_to_3650_is_refused_and_nothing_changes(int days)
    {
        await using var portal = await CreatePortalAsync();
        var error = await Assert.ThrowsAsync<PortalValidationException>(() => portal.LifecycleSettings.UpdateAsync(portal.Admin, new LifecycleSettings(true, true, days)));
        Assert.Equal(nameof(LifecycleSettings.DaysBeforeRemovingExternalUser), Assert.Single(error.Failures).Field);
        Assert.Equal(new LifecycleSettings(true, true, 30), await portal.LifecycleSettings.GetAsync(portal.Admin));
        Assert.Empty(await portal.AuditAsync("Update entitlement management settings"));
    }
}

using EntitlementPortal.Domain;
using EntitlementPortal.Features.DemoData;
using EntitlementPortal.Features.DirectoryAdmin;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Tests.Features;

public class DemoDataAndBootstrapTests : ServiceTests
{
    [Fact]
    public async Task Demo_data_is_the_story_of_the_seed_and_seeding_twice_adds_nothing()
    {
        await using var portal = await CreatePortalAsync();
        var seeder = portal.Get<DemoDataSeeder>();
        Assert.True(await seeder.SeedAsync());
        var counts = await CountsAsync(portal);
        Assert.False(await seeder.SeedAsync());
        Assert.Equal(counts, await CountsAsync(portal));

        Assert.Equal(3, counts.Catalogs);
        Assert.Equal(6, counts.Packages);
        Assert.True(counts.PendingRequests > 0);
        Assert.True(counts.ActiveAssignments > 0);
        foreach (var email in new[] { "admin@contoso.com", "useradmin@contoso.com", "owner@contoso.com", "approver@contoso.com", "member@contoso.com", "sponsor@fabrikam.com" })
        {
            Assert.NotNull(await portal.QueryAsync(db => db.Users.SingleOrDefaultAsync(u => u.MailNormalized == email)));
        }
        Assert.Equal(["Fabrikam", "Wingtip Toys"], await portal.QueryAsync(db => db.ConnectedOrganizations.Where(o => o.State == ConnectedOrganizationState.Configured).OrderBy(o => o.DisplayName).Select(o => o.DisplayName).ToListAsync()));
        var awaitingRemoval = await portal.QueryAsync(db => db.Users.SingleAsync(u => u.ScheduledDeletionDateTime != null));
        Assert.False(awaitingRemoval.AccountEnabled);
        Assert.True(await portal.QueryAsync(db => db.Assignments.AnyAsync(a => a.State != AssignmentState.Expired && a.ExpiredDateTime <= portal.Now.AddDays(14))));
    }

    [Fact]
    public async Task An_API_client_account_holds_exactly_the_role_its_configuration_names_at_each_start()
    {
        await using var portal = await CreatePortalAsync();
        var bootstrap = portal.Get<PortalBootstrap>();
        await bootstrap.EnsureApiClientAccountAsync("bot@api-clients.invalid", "API client bot", DirectoryRole.CatalogCreator);
        await bootstrap.EnsureApiClientAccountAsync("bot@api-clients.invalid", "API client bot", DirectoryRole.CatalogCreator);
        await bootstrap.EnsureApiClientAccountAsync("bot@api-clients.invalid", "API client bot", DirectoryRole.IdentityGovernanceAdministrator);
        var bot = await portal.UserAsync("bot@api-clients.invalid");
        Assert.Equal(UserType.Member, bot.UserType);
        Assert.Equal([DirectoryRole.IdentityGovernanceAdministrator], await portal.QueryAsync(db => db.DirectoryRoleAssignments.Where(r => r.UserId == bot.Id).Select(r => r.Role).ToListAsync()));
        Assert.Single(await portal.AuditAsync("Add user"), e => e.TargetName == "bot@api-clients.invalid");
        Assert.Equal(2, (await portal.AuditAsync("Add member to role")).Count(e => e.TargetName == "bot@api-clients.invalid"));
        Assert.Equal("CatalogCreator (Api:Clients)", Assert.Single(await portal.AuditAsync("Remove member from role")).Details);
    }

    [Fact]
    public async Task Bootstrap_admins_from_the_settings_become_Global_administrators_once()
    {
        await using var portal = await CreatePortalAsync(s => s.AddSingleton<IConfigureOptions<EntitlementPortal.Features.Common.PortalOptions>>(
            new ConfigureOptions<EntitlementPortal.Features.Common.PortalOptions>(o => o.BootstrapAdmins = ["Owner@Tailspin.example", "not an email"])));
        var bootstrap = portal.Get<PortalBootstrap>();
        await bootstrap.EnsureBootstrapAdminsAsync();
        await bootstrap.EnsureBootstrapAdminsAsync();
        var user = await portal.UserAsync("owner@tailspin.example");
        Assert.Equal(UserType.Member, user.UserType);
        Assert.Single(await portal.QueryAsync(db => db.DirectoryRoleAssignments.Where(r => r.UserId == user.Id && r.Role == DirectoryRole.GlobalAdministrator).ToListAsync()));
    }

    private static Task<(int Catalogs, int Packages, int PendingRequests, int ActiveAssignments, int Users, int Audit)> CountsAsync(TestPortal portal) =>
        portal.QueryAsync(async db => (
            await db.Catalogs.CountAsync(),
            await db.AccessPackages.CountAsync(),
            await db.AssignmentRequests.CountAsync(r => r.State == RequestState.PendingApproval),
            await db.Assignments.CountAsync(a => a.State != AssignmentState.Expired),
            await db.Users.CountAsync(),
            await db.AuditEvents.CountAsync()));
}

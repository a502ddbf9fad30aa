using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;

namespace EntitlementPortal.Tests.Data;

/// <summary>Work that follows a change (a delivery after its approval) commits with it, or is undone alone.</summary>
public class FollowUpTests : ServiceTests
{
    [Fact]
    public async Task A_follow_up_whose_save_fails_is_undone_alone_and_the_change_and_the_next_follow_up_commit()
    {
        await using var portal = await CreatePortalAsync();
        await portal.Get<PortalStore>().WriteAsync(Actor.System, c =>
        {
            Audit(c, "The change");
            c.FollowWith((system, _) =>
            {
                Audit(system, "The failing follow-up");
                // No such user or role: the save fails on the foreign keys, after the audit event went down.
                system.Db.ResourceRoleMemberships.Add(new ResourceRoleMembership(Guid.NewGuid(), Guid.NewGuid(), system.Now));
                return Task.CompletedTask;
            });
            c.FollowWith((system, _) =>
            {
                Audit(system, "The next follow-up");
                return Task.CompletedTask;
            });
            return Task.CompletedTask;
        });

        Assert.Single(await portal.AuditAsync("The change"));
        Assert.Empty(await portal.AuditAsync("The failing follow-up"));
        Assert.Single(await portal.AuditAsync("The next follow-up"));
    }

    [Fact]
    public async Task A_follow_up_cancelled_by_a_concurrent_change_runs_the_whole_change_again()
    {
        await using var portal = await CreatePortalAsync();
        var runs = 0;
        await portal.Get<PortalStore>().WriteAsync(Actor.System, c =>
        {
            var run = ++runs;
            Audit(c, "The change");
            c.FollowWith((system, _) => run == 1 ? throw new ConcurrentWriteTests.SerializationFailure() : Task.CompletedTask);
            return Task.CompletedTask;
        });

        Assert.Equal(2, runs);
        Assert.Single(await portal.AuditAsync("The change"));
    }

    internal static void Audit(WriteContext c, string activity) =>
        c.Audit(AuditCategory.EntitlementManagement, activity, "Test", 1, "Follow-up");
}

using System.Collections.Concurrent;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static EntitlementPortal.Tests.Data.ConcurrentWriteTests;
using static EntitlementPortal.Tests.Data.FollowUpTests;

namespace EntitlementPortal.Tests.Data;

/// <summary>
/// On SQLite, people's changes that wait for the writer's turn are written together by whoever gets it, one commit for
/// all, each change undone alone when it fails.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task Changes_waiting_for_the_turn_commit_together_in_the_order_they_came()
    {
        await using var portal = await TestPortal.CreateAsync();
        var contexts = new ConcurrentQueue<(string Name, WriteContext Context)>();
        var changes = await QueueBehindHeldTurnAsync(portal, ["second", "third", "fourth"], (name, c) =>
        {
            contexts.Enqueue((name, c));
            Audit(c, name);
            return Task.CompletedTask;
        });

        await Task.WhenAll(changes);
        Assert.Equal(["second", "third", "fourth"], contexts.Select(c => c.Name));
        Assert.Single(contexts.Select(c => c.Context.Commit).Distinct());
        foreach (var name in new[] { "second", "third", "fourth" })
        {
            Assert.Single(await portal.AuditAsync(name));
        }
    }

    [Fact]
    public async Task A_change_that_fails_among_others_is_undone_alone_and_its_author_gets_the_error()
    {
        await using var portal = await TestPortal.CreateAsync();
        var changes = await QueueBehindHeldTurnAsync(portal, ["before", "failing", "after"], (name, c) =>
        {
            Audit(c, name);
            if (name == "failing")
            {
                // No such user or role: the save fails on the foreign keys, after the audit event went down.
                c.Db.ResourceRoleMemberships.Add(new ResourceRoleMembership(Guid.NewGuid(), Guid.NewGuid(), c.Now));
            }
            return Task.CompletedTask;
        });

        await changes[0];
        await Assert.ThrowsAsync<DbUpdateException>(() => changes[1]);
        await changes[2];
        Assert.Single(await portal.AuditAsync("before"));
        Assert.Empty(await portal.AuditAsync("failing"));
        Assert.Single(await portal.AuditAsync("after"));
    }

    [Fact]
    public async Task A_follow_up_that_fails_among_other_changes_is_undone_alone_and_its_change_commits()
    {
        await using var portal = await TestPortal.CreateAsync();
        var changes = await QueueBehindHeldTurnAsync(portal, ["first", "second"], (name, c) =>
        {
            Audit(c, name);
            c.FollowWith((system, _) =>
            {
                Audit(system, $"{name} followed");
                return name == "first" ? throw new DomainRuleException("Refused.") : Task.CompletedTask;
            });
            return Task.CompletedTask;
        });

        await Task.WhenAll(changes);
        Assert.Single(await portal.AuditAsync("first"));
        Assert.Empty(await portal.AuditAsync("first followed"));
        Assert.Single(await portal.AuditAsync("second"));
        Assert.Single(await portal.AuditAsync("second followed"));
    }

    [Fact]
    public async Task A_change_whose_author_stops_waiting_for_the_turn_is_never_written()
    {
        await using var portal = await TestPortal.CreateAsync();
        var store = portal.Get<PortalStore>();
        var (held, release) = await HoldTurnAsync(store, () => { });
        await using var db = portal.NewDb();
        using var stop = new CancellationTokenSource();
        var abandoned = store.WriteAsync(Actor.System, c => { Audit(c, "abandoned"); return Task.CompletedTask; }, stop.Token);
        await UntilAsync(() => store.Writers.Waiting(db) == 1);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        release();
        await held;
        await store.WriteAsync(Actor.System, c => { Audit(c, "next"); return Task.CompletedTask; });
        Assert.Empty(await portal.AuditAsync("abandoned"));
        Assert.Single(await portal.AuditAsync("next"));
    }

    /// <summary>Holds the writer's turn, queues the changes behind it one by one, then lets the turn go.</summary>
    private static async Task<List<Task>> QueueBehindHeldTurnAsync(TestPortal portal, string[] names, Func<string, WriteContext, Task> change)
    {
        var store = portal.Get<PortalStore>();
        var (held, release) = await HoldTurnAsync(store, () => { });
        await using var db = portal.NewDb();
        var changes = new List<Task>();
        foreach (var name in names)
        {
            changes.Add(store.WriteAsync(Actor.System, c => change(name, c)));
            await UntilAsync(() => store.Writers.Waiting(db) == changes.Count);
        }
        release();
        await held;
        return changes;
    }
}

using System.Collections.Concurrent;
using System.Data.Common;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Requests;
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
    public async Task Changes_are_written_on_the_one_writers_connection_whoever_took_the_turn_and_not_on_the_connections_of_reads()
    {
        await using var portal = await TestPortal.CreateAsync();
        var store = portal.Get<PortalStore>();
        var written = new ConcurrentQueue<DbConnection>();
        var changes = await QueueBehindHeldTurnAsync(portal, ["second", "third"], (name, c) =>
        {
            written.Enqueue(c.Db.Database.GetDbConnection());
            Audit(c, name);
            return Task.CompletedTask;
        });
        await Task.WhenAll(changes);

        var read = await store.ReadAsync(Actor.System, (db, _) => Task.FromResult(db.Database.GetDbConnection()));
        await store.WriteAsync(Actor.System, c =>
        {
            written.Enqueue(c.Db.Database.GetDbConnection());
            Audit(c, "alone");
            return Task.CompletedTask;
        });

        Assert.IsType<PreparedSqliteConnection>(Assert.Single(written.Distinct()));
        Assert.NotSame(read, written.First());
        Assert.Single(await portal.AuditAsync("alone"));
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

    [Fact]
    public async Task Requests_and_approvals_written_together_each_deliver_once_and_a_second_request_sees_the_first()
    {
        await using var portal = await TestPortal.CreateAsync();
        var s = await Scenario.CreateAsync(portal);
        var partners = Enumerable.Range(0, 12).Select(i => Actor.ForEmail($"partner{i}@fabrikam.com")).ToList();

        // Each partner asks twice in one commit: the second request reads the first, not yet committed, and is refused.
        var submits = await QueueWritesBehindHeldTurnAsync(portal, partners.SelectMany(p => new[] { p, p }).ToList(), p => s.RequestAsync(p));
        var outcomes = await Task.WhenAll(submits.Select(async t => { try { return (Guid?)await t; } catch (NotEligibleException) { return null; } }));
        var requestIds = outcomes.OfType<Guid>().ToList();
        Assert.Equal(partners.Count, requestIds.Count);
        Assert.All(outcomes.Chunk(2), pair => Assert.Single(pair.OfType<Guid>()));

        var approvals = await QueueWritesBehindHeldTurnAsync(portal, requestIds, id => portal.Approvals.ApproveAsync(s.Approver, id, "Known partner"));
        await Task.WhenAll(approvals);

        Assert.Equal(partners.Count, await portal.QueryAsync(db => db.Assignments.CountAsync(a => a.AccessPackageId == s.PackageId)));
        Assert.Equal(partners.Count, await portal.QueryAsync(db => db.Users.CountAsync(u => u.UserType == UserType.Guest)));
        foreach (var id in requestIds)
        {
            Assert.Equal(RequestState.Delivered, (await portal.RequestAsync(id)).State);
        }
        Assert.Equal(partners.Count, (await portal.AuditAsync("Approve access package assignment request")).Count);
    }

    private static Task<List<Task>> QueueBehindHeldTurnAsync(TestPortal portal, string[] names, Func<string, WriteContext, Task> change) =>
        QueueWritesBehindHeldTurnAsync(portal, names, name => portal.Get<PortalStore>().WriteAsync(Actor.System, c => change(name, c)));

    /// <summary>Holds the writer's turn, starts the writes behind it one by one, then lets the turn go.</summary>
    private static async Task<List<T>> QueueWritesBehindHeldTurnAsync<TItem, T>(TestPortal portal, IReadOnlyList<TItem> items, Func<TItem, T> write) where T : Task
    {
        var store = portal.Get<PortalStore>();
        var (held, release) = await HoldTurnAsync(store, () => { });
        await using var db = portal.NewDb();
        var changes = new List<T>();
        foreach (var item in items)
        {
            changes.Add(write(item));
            await UntilAsync(() => store.Writers.Waiting(db) == changes.Count);
        }
        release();
        await held;
        return changes;
    }
}

using System.Collections.Concurrent;
using System.Data.Common;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EntitlementPortal.Tests.Data;

/// <summary>Writes at once: served in the order they came, none left behind later ones, and one cancelled by another runs again.</summary>
public class ConcurrentWriteTests : ServiceTests
{
    [Fact]
    public async Task Writers_take_their_turns_in_the_order_they_came()
    {
        await using var portal = await CreatePortalAsync();
        var store = portal.Get<PortalStore>();
        var order = new ConcurrentQueue<string>();
        var (first, release) = await HoldTurnAsync(store, () => order.Enqueue("first"));
        await using var db = portal.NewDb();
        var later = new List<Task>();
        foreach (var name in new[] { "second", "third", "fourth" })
        {
            later.Add(store.WriteAsync(Actor.System, _ => { order.Enqueue(name); return Task.CompletedTask; }));
            await UntilAsync(() => store.Writers.Waiting(db) == later.Count);
        }

        release();
        await Task.WhenAll(later.Append(first));
        Assert.Equal(["first", "second", "third", "fourth"], order);
    }

    [Fact]
    public async Task A_writer_whose_change_fails_passes_the_turn_on()
    {
        await using var portal = await CreatePortalAsync();
        var store = portal.Get<PortalStore>();
        await Assert.ThrowsAsync<DomainRuleException>(() => store.WriteAsync(Actor.System, _ => throw new DomainRuleException("Refused.")));
        await store.WriteAsync(Actor.System, _ => Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_writer_of_another_database_does_not_wait_for_this_ones_turn()
    {
        await using var portal = await CreatePortalAsync();
        await using var other = await CreatePortalAsync();
        var (held, release) = await HoldTurnAsync(portal.Get<PortalStore>(), () => { });
        await other.Get<PortalStore>().WriteAsync(Actor.System, _ => Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10));
        release();
        await held;
    }

    /// <summary>
    /// SQLite has one writer for the file, whoever holds it: two portals on it in one process share its turns. On
    /// PostgreSQL each node has its own, and the database decides between nodes.
    /// </summary>
    [Fact]
    public async Task Another_node_on_PostgreSQL_writes_while_this_one_holds_its_turn_and_on_SQLite_waits_for_it()
    {
        await using var portal = await CreatePortalAsync();
        await using var node = await TestPortal.AttachAsync(portal);
        var (held, release) = await HoldTurnAsync(portal.Get<PortalStore>(), () => { });
        var write = node.Get<PortalStore>().WriteAsync(Actor.System, _ => Task.CompletedTask);
        if (OnPostgreSql)
        {
            await write.WaitAsync(TimeSpan.FromSeconds(10));
        }
        else
        {
            await using var db = node.NewDb();
            await UntilAsync(() => node.Get<PortalStore>().Writers.Waiting(db) == 1);
            Assert.False(write.IsCompleted);
        }
        release();
        await Task.WhenAll(held, write);
    }

    [Fact]
    public async Task A_change_that_keeps_meeting_serialization_failures_runs_again_until_it_goes_through()
    {
        await using var portal = await CreatePortalAsync();
        var runs = 0;
        // More than the eight runs once allowed, which two nodes writing at once exhausted.
        var result = await portal.Get<PortalStore>().WriteAsync(Actor.System, _ =>
            ++runs <= 9 ? throw new SerializationFailure() : Task.FromResult(runs));
        Assert.Equal(10, result);
    }

    [Fact]
    public async Task A_failed_statement_is_logged_once_as_an_error_with_its_SQL()
    {
        await using var portal = await CreatePortalAsync(services => services.AddFakeLogging());
        await Assert.ThrowsAnyAsync<DbException>(() => portal.Get<PortalStore>().WriteAsync(Actor.System,
            c => c.Db.Database.ExecuteSqlRawAsync("SELECT * FROM \"NoSuchTable\"")));

        var error = Assert.Single(Errors(portal));
        Assert.Contains("NoSuchTable", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<DbException>(error.Exception);
    }

    internal static List<FakeLogRecord> Errors(TestPortal portal) =>
        [.. portal.Get<FakeLogCollector>().GetSnapshot().Where(r => r.Level >= LogLevel.Error)];

    /// <summary>What PostgreSQL reports when SERIALIZABLE cancels a transaction.</summary>
    internal sealed class SerializationFailure() : DbException("could not serialize access due to read/write dependencies among transactions")
    {
        public override string SqlState => "40001";
    }

    /// <summary>A change that keeps its turn until released.</summary>
    internal static async Task<(Task Unit, Action Release)> HoldTurnAsync(PortalStore store, Action whenReleased)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var unit = store.WriteAsync(Actor.System, async _ =>
        {
            entered.SetResult();
            await released.Task;
            whenReleased();
        });
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return (unit, released.SetResult);
    }

    internal static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The writer never came to wait for its turn.");
            await Task.Delay(5);
        }
    }
}

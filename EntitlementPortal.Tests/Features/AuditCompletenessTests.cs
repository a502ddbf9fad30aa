using System.Collections.Concurrent;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Features;

/// <summary>The whole external-user story leaves exactly the audit trail Entra's audit log would: one event per change.</summary>
public class AuditCompletenessTests : ServiceTests
{
    private const string Partner = "requestor.a@fabrikam.com";

    [Fact]
    public async Task Every_state_change_of_the_external_user_story_has_exactly_one_audit_event_with_actor_target_and_time()
    {
        var writes = new WriteWatcher();
        await using var portal = await CreatePortalAsync(services => services.AddSingleton<IInterceptor>(writes));
        // From here on every write goes through the services; the administrator above was seeded straight into the tables.
        writes.Watching = true;
        var s = await Scenario.CreateAsync(portal);
        var setUp = await portal.QueryAsync(db => db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        await portal.Approvals.ApproveAsync(s.Approver, requestId, "Known partner");
        await portal.RunSweepsAsync();
        var delivered = Assert.Single(await portal.EmailsToAsync(Partner), e => e.Subject == "You now have access to Falcon partners");
        await portal.Requests.RedeemInvitationAsync(delivered.Body[(delivered.Body.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..].Trim());
        await portal.AdvanceAsync(TimeSpan.FromDays(180));
        await portal.AdvanceAsync(TimeSpan.FromDays(30));
        await portal.Outbox.DispatchAsync();

        var story = await portal.QueryAsync(db => db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).Skip(setUp.Count).ToListAsync());
        Assert.Equal(
        [
            ("User requests access package assignment", Partner),
            ("Create request approval", Partner),
            ("Approve access package assignment request", "approver@contoso.com"),
            ("Invite external user", "System"),
            ("Fulfill access package assignment", "System"),
            ("Redeem external user invite", Partner),
            ("Remove access package assignment", "System"),
            ("Block external user from signing in", "System"),
            ("Delete user", "System"),
        ], story.Select(e => (e.Activity, e.ActorName)));
        Assert.All(setUp.Concat(story), e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.ActorName));
            Assert.False(string.IsNullOrWhiteSpace(e.TargetId));
            Assert.False(string.IsNullOrWhiteSpace(e.TargetType));
            Assert.InRange(e.ActivityDateTime, TestPortal.Start.UtcDateTime, portal.Now);
        });
        Assert.Empty(writes.UnauditedChanges.Distinct());
        // Nothing in the story changed or removed an earlier event.
        Assert.Equivalent(setUp, await portal.QueryAsync(db => db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).Take(setUp.Count).ToListAsync()), strict: true);
    }

    /// <summary>Each unit of work that changed directory or entitlement rows, and whether it wrote an audit event beside them.</summary>
    private sealed class WriteWatcher : SaveChangesInterceptor
    {
        // Mail delivery bookkeeping and sign-in codes are not directory changes; Entra's audit log does not list them either.
        private static readonly Type[] NotAudited = [typeof(AuditEvent), typeof(OutboxEmail), typeof(SignInCode)];
        private readonly ConcurrentDictionary<Guid, (List<string> Changes, int Audits)> units = new();

        public bool Watching { get; set; }

        public IEnumerable<string> UnauditedChanges => units.Values.Where(u => u.Changes.Count > 0 && u.Audits == 0).SelectMany(u => u.Changes);

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (!Watching)
            {
                return base.SavingChangesAsync(eventData, result, cancellationToken);
            }
            var entries = eventData.Context!.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList();
            var changes = entries.Where(e => !NotAudited.Contains(e.Entity.GetType())).Select(e => $"{e.State} {e.Entity.GetType().Name}").ToList();
            // A sweep batch appends its audit events untracked.
            var audits = entries.Count(e => e.Entity is AuditEvent) + ((PortalDbContext)eventData.Context).Appended.OfType<AuditEvent>().Count();
            units.AddOrUpdate(eventData.Context.ContextId.InstanceId, (changes, audits), (_, u) => ([.. u.Changes, .. changes], u.Audits + audits));
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}

using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Notifications;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Features;

public class OutboxTests : ServiceTests
{
    [Fact]
    public async Task A_failed_send_is_recorded_and_retried_with_back_off()
    {
        var sender = new FlakySender(failures: 2);
        await using var portal = await CreatePortalAsync(s => s.AddSingleton<IEmailSender>(sender));
        var scenario = await Scenario.CreateAsync(portal);
        await scenario.RequestAsync(Actor.ForEmail("lee@fabrikam.com"));

        Assert.Equal(0, await portal.Outbox.DispatchAsync());
        var email = await portal.QueryAsync(db => db.OutboxEmails.SingleAsync());
        Assert.Equal((1, "SMTP unavailable"), (email.Attempts, email.LastError));
        Assert.Equal(portal.Now.AddMinutes(1), email.NextAttemptDateTime);
        Assert.Equal(0, await portal.Outbox.DispatchAsync());
        portal.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await portal.Outbox.DispatchAsync());
        Assert.Equal(portal.Now.AddMinutes(2), (await portal.QueryAsync(db => db.OutboxEmails.SingleAsync())).NextAttemptDateTime);
        portal.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await portal.Outbox.DispatchAsync());
        email = await portal.QueryAsync(db => db.OutboxEmails.SingleAsync());
        Assert.Equal(portal.Now, email.SentDateTime);
        Assert.Null(email.LastError);
        Assert.Equal(1, sender.Delivered);
    }

    [Fact]
    public async Task Two_dispatch_runs_at_once_send_each_message_once()
    {
        var sender = new FlakySender(failures: 0, delay: TimeSpan.FromMilliseconds(20));
        await using var portal = await CreatePortalAsync(s => s.AddSingleton<IEmailSender>(sender));
        var scenario = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequired = false, Stages = [] });
        for (var i = 0; i < 12; i++)
        {
            await scenario.RequestAsync(Actor.ForEmail($"user{i}@fabrikam.com"));
        }
        await portal.Delivery.DeliverPendingAsync();
        var sent = await Task.WhenAll(Task.Run(() => portal.Outbox.DispatchAsync()), Task.Run(() => portal.Outbox.DispatchAsync()));
        Assert.Equal(12, sent.Sum());
        Assert.Equal(12, sender.Delivered);
        Assert.Equal(12, await portal.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.SentDateTime != null && e.Attempts == 1)));
    }

    private sealed class FlakySender(int failures, TimeSpan delay = default) : IEmailSender
    {
        private int remainingFailures = failures;
        private int delivered;

        public int Delivered => delivered;

        public async Task SendAsync(EmailMessage message, CancellationToken ct)
        {
            await Task.Delay(delay, ct);
            if (Interlocked.Decrement(ref remainingFailures) >= 0)
            {
                throw new InvalidOperationException("SMTP unavailable");
            }
            Interlocked.Increment(ref delivered);
        }
    }
}

using System.Diagnostics;
using System.Text;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using netDumbster.smtp;
using Xunit.Abstractions;

namespace EntitlementPortal.Tests.Reliability;

/// <summary>
/// The portal as a separate process, killed with SIGKILL in the middle of a large expiry sweep and again in the middle of
/// sending its e-mails, then started again: nothing is processed twice, nothing is lost, every e-mail goes out.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Guests = 2000;
    private const string Ended = "Access has ended for Falcon partners";

    [Fact]
    public async Task A_node_killed_mid_sweep_and_mid_dispatch_leaves_every_item_processed_once_and_every_email_sent_at_least_once()
    {
        // One mail server per node: a session cut by SIGKILL must not hold up the next node's sends.
        using var firstSmtp = SimpleSmtpServer.Start();
        using var secondSmtp = SimpleSmtpServer.Start();
        using var thirdSmtp = SimpleSmtpServer.Start();
        await using var portal = await TestPortal.CreateAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequired = false, IsRequestorJustificationRequired = false, Stages = [] });
        for (var i = 0; i < Guests; i++)
        {
            await s.RequestAsync(Actor.ForEmail($"guest{i}@fabrikam.com"));
        }
        await portal.Delivery.DeliverPendingAsync();
        await portal.Outbox.DispatchAsync();
        // The separate process runs on the real clock, by which these 180-day assignments are long due.
        Assert.True(portal.Now.AddDays(181) < DateTime.UtcNow);

        var expired = () => portal.QueryAsync(db => db.Assignments.CountAsync(a => a.State == AssignmentState.Expired));
        var sent = () => portal.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.Subject == Ended && e.SentDateTime != null));

        await using (var node = Start(portal.DatabasePath, firstSmtp.Configuration.Port, output))
        {
            await node.WaitUntilAsync(async () => await expired() is > 0 and < Guests, "the sweep to be under way");
            node.Kill();
        }
        var afterFirstKill = await expired();
        Assert.InRange(afterFirstKill, 1, Guests - 1);

        await using (var node = Start(portal.DatabasePath, secondSmtp.Configuration.Port, output))
        {
            await node.WaitUntilAsync(async () => await expired() == Guests && await sent() is > 0 and < Guests, "the sweep to finish and sending to be under way");
            node.Kill();
        }
        Assert.InRange(await sent(), 1, Guests - 1);

        await using (var node = Start(portal.DatabasePath, thirdSmtp.Configuration.Port, output))
        {
            await node.WaitUntilAsync(async () => await sent() == Guests, "every e-mail to be sent");
        }

        // Exactly once: every change, its audit event, its removal request and its e-mail row.
        Assert.Equal(Guests, await expired());
        Assert.Equal(Guests, (await portal.AuditAsync("Remove access package assignment")).Count);
        Assert.Equal(Guests, await portal.QueryAsync(db => db.AssignmentRequests.CountAsync(r => r.RequestType == RequestType.SystemRemove)));
        Assert.Equal(Guests, (await portal.AuditAsync("Block external user from signing in")).Count);
        Assert.Equal(Guests, await portal.QueryAsync(db => db.Users.CountAsync(u => u.UserType == UserType.Guest && !u.AccountEnabled)));
        Assert.Empty(await portal.QueryAsync(db => db.ResourceRoleMemberships.ToListAsync()));
        var keys = await portal.QueryAsync(db => db.OutboxEmails.Where(e => e.Subject == Ended).Select(e => e.IdempotencyKey).ToListAsync());
        Assert.Equal(Guests, keys.Distinct().Count());

        // At least once: each message reached the mail server, recognizable by its Message-Id when a crash made it go twice.
        var received = new[] { firstSmtp, secondSmtp, thirdSmtp }.SelectMany(server => server.ReceivedEmail).Where(m => m.Headers["Subject"] == Ended)
            .Select(m => m.Headers["Message-Id"]!.Trim('<', '>').Replace("@entitlementportal", "", StringComparison.Ordinal))
            .Select(Uri.UnescapeDataString)
            .ToList();
        Assert.Empty(keys.Except(received));
        Assert.Empty(received.Except(keys));
        output.WriteLine($"Expired before the first kill: {afterFirstKill}; e-mails sent twice after the second kill: {received.Count - received.Distinct().Count()}");
    }

    private static PortalProcess Start(string databasePath, int smtpPort, ITestOutputHelper output) => PortalProcess.Start(output, new()
    {
        ["ConnectionStrings__Portal"] = $"Data Source={databasePath}",
        ["Smtp__Host"] = "127.0.0.1",
        ["Smtp__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp__TlsMode"] = "None",
        // A dead node's claimed e-mails go out again after this.
        ["Outbox__ClaimDuration"] = "00:00:05",
        // Many commits, so the kill can land between two of them; short ones, so the sweep stays under way long enough to be
        // seen while other tests hold up this one's polling (with batches of 100, a full run once waited its 90 s here).
        ["Sweep__ExpiryBatchSize"] = "20",
    });
}

using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Notifications;

public sealed record EmailMessage(string To, string Subject, string Body, string IdempotencyKey);

public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken ct);
}

/// <summary>Until SMTP is configured: the message goes to the log and stays visible in the outbox.</summary>
public sealed class LogEmailSender(ILogger<LogEmailSender> logger) : IEmailSender
{
    public Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        logger.LogInformation("E-mail to {To}: {Subject}\n{Body}", message.To, message.Subject, message.Body);
        return Task.CompletedTask;
    }
}

/// <summary>The "Outbox" section of appsettings.json.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>
    /// How long a claimed batch stays with the node that claimed it. A node that dies mid-batch leaves its claim; another
    /// node (or the same one restarted) sends those messages again after this, so they go out at least once.
    /// </summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Sends due outbox rows. Rows are claimed in a transaction first, so two runs at once never send one twice.</summary>
public sealed class OutboxDispatcher(PortalStore store, IEmailSender sender, IOptions<OutboxOptions> options, ILogger<OutboxDispatcher> logger)
{
    public const int BatchSize = 100;

    public async Task<int> DispatchAsync(CancellationToken ct = default)
    {
        var sent = 0;
        while (true)
        {
            var claimed = await store.WriteAsync(Actor.System, async c =>
            {
                var due = await c.Db.OutboxEmails
                    .Where(e => e.SentDateTime == null && e.NextAttemptDateTime <= c.Now && (e.ClaimedUntil == null || e.ClaimedUntil < c.Now))
                    .OrderBy(e => e.Id)
                    .Take(BatchSize)
                    .ToListAsync(ct);
                due.ForEach(e => e.Claim(c.Now + options.Value.ClaimDuration));
                return due.Select(e => (Message: new EmailMessage(e.To, e.Subject, e.Body, e.IdempotencyKey), e.Id)).ToList();
            }, ct);
            foreach (var (message, id) in claimed)
            {
                string? error = null;
                try
                {
                    await sender.SendAsync(message, ct);
                    sent++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Sending e-mail {Id} to {To} failed", id, message.To);
                    error = ex.Message;
                }
                await store.WriteAsync(Actor.System, async c =>
                {
                    var email = await c.FindAsync<OutboxEmail>(id, ct);
                    if (error is null)
                    {
                        email.MarkSent(c.Now);
                    }
                    else
                    {
                        email.MarkFailed(error, c.Now);
                    }
                }, ct);
            }
            if (claimed.Count < BatchSize)
            {
                return sent;
            }
        }
    }
}

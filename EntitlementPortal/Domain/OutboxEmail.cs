namespace EntitlementPortal.Domain;

/// <summary>A notification waiting to be sent; the idempotency key makes each one exist once.</summary>
public sealed class OutboxEmail
{
    private OutboxEmail()
    {
    }

    public long Id { get; private set; }
    public string IdempotencyKey { get; private set; } = "";
    public string To { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string Body { get; private set; } = "";
    public DateTime CreatedDateTime { get; private set; }
    public DateTime NextAttemptDateTime { get; private set; }
    public DateTime? ClaimedUntil { get; private set; }
    public DateTime? SentDateTime { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }

    public static OutboxEmail Create(string idempotencyKey, string to, string subject, string body, DateTime now) => new()
    {
        IdempotencyKey = idempotencyKey,
        To = to,
        Subject = subject,
        Body = body,
        CreatedDateTime = now,
        NextAttemptDateTime = now,
    };

    public void Claim(DateTime until) => ClaimedUntil = until;

    public void MarkSent(DateTime now)
    {
        if (SentDateTime is not null)
        {
            throw new DomainRuleException("This message has already been sent.");
        }
        SentDateTime = now;
        Attempts++;
        ClaimedUntil = null;
        LastError = null;
    }

    /// <summary>Exponential back-off: 1, 2, 4 … minutes, at most an hour.</summary>
    public void MarkFailed(string error, DateTime now)
    {
        Attempts++;
        LastError = error.Length > 2000 ? error[..2000] : error;
        ClaimedUntil = null;
        NextAttemptDateTime = now.AddMinutes(Math.Min(60, Math.Pow(2, Attempts - 1)));
    }
}

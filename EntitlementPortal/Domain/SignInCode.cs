namespace EntitlementPortal.Domain;

/// <summary>A one-time passcode for e-mail sign-in; only its salted hash is kept.</summary>
public sealed class SignInCode
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public const int MaxAttempts = 5;

    private SignInCode()
    {
    }

    public long Id { get; private set; }
    public string EmailNormalized { get; private set; } = "";
    public byte[] Salt { get; private set; } = [];
    public byte[] CodeHash { get; private set; } = [];
    public string ClientKey { get; private set; } = "";
    public DateTime CreatedDateTime { get; private set; }
    public DateTime ExpiresDateTime { get; private set; }
    public int Attempts { get; private set; }
    public DateTime? ConsumedDateTime { get; private set; }

    public static SignInCode Issue(string email, byte[] salt, byte[] codeHash, string clientKey, DateTime now) => new()
    {
        EmailNormalized = Names.NormalizeEmail(email),
        Salt = salt,
        CodeHash = codeHash,
        ClientKey = clientKey,
        CreatedDateTime = now,
        ExpiresDateTime = now + Lifetime,
    };

    public bool IsUsable(DateTime now) => ConsumedDateTime is null && now < ExpiresDateTime && Attempts < MaxAttempts;

    public void RecordWrongAttempt()
    {
        EnsureOpen();
        Attempts++;
    }

    /// <summary>Used, or replaced by a newer code: either way it never works again.</summary>
    public void Consume(DateTime now)
    {
        EnsureOpen();
        ConsumedDateTime = now;
    }

    private void EnsureOpen()
    {
        if (ConsumedDateTime is not null)
        {
            throw new DomainRuleException("This code has already been used.");
        }
    }
}

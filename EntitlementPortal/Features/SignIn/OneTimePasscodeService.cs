using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.SignIn;

/// <summary>
/// E-mail one-time passcode sign-in for external users without Entra: six digits, ten minutes, single use,
/// five tries, throttled per address and per client, stored as a salted hash and compared in constant time.
/// </summary>
public sealed class OneTimePasscodeService(PortalStore store, Notifier notifier)
{
    public const int MaxCodesPerAddress = 3;
    public const int MaxCodesPerClient = 10;
    public static readonly TimeSpan ThrottleWindow = TimeSpan.FromMinutes(10);

    /// <summary>Sends a new code; any earlier code of the address stops working.</summary>
    public Task RequestCodeAsync(string email, string clientKey, CancellationToken ct = default)
    {
        if (!Names.IsValidEmail(email))
        {
            throw new PortalValidationException("Email", "Enter a valid e-mail address.");
        }
        var normalized = Names.NormalizeEmail(email);
        var client = clientKey.Length > 64 ? clientKey[..64] : clientKey;
        return store.WriteAsync(Actor.System, async c =>
        {
            var since = c.Now - ThrottleWindow;
            if (await c.Db.SignInCodes.CountAsync(x => x.EmailNormalized == normalized && x.CreatedDateTime > since, ct) >= MaxCodesPerAddress
                || await c.Db.SignInCodes.CountAsync(x => x.ClientKey == client && x.CreatedDateTime > since, ct) >= MaxCodesPerClient)
            {
                throw new PortalValidationException("Email", "Too many codes were requested. Wait a few minutes, then try again.");
            }
            foreach (var open in await c.Db.SignInCodes.Where(x => x.EmailNormalized == normalized && x.ConsumedDateTime == null).ToListAsync(ct))
            {
                open.Consume(c.Now);
            }
            var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            var salt = RandomNumberGenerator.GetBytes(16);
            c.Db.SignInCodes.Add(SignInCode.Issue(normalized, salt, Hash(salt, code), client, c.Now));
            notifier.SignInCode(c, normalized, code);
        }, ct);
    }

    /// <summary>Returns the proven address; a wrong, used, expired or locked code is a validation error naming Code.</summary>
    public async Task<string> VerifyAsync(string email, string code, CancellationToken ct = default)
    {
        var normalized = Names.IsValidEmail(email) ? Names.NormalizeEmail(email) : "";
        // A wrong code is recorded (committed) before it is reported, so the five tries are counted.
        var proven = await store.WriteAsync(Actor.System, async c =>
        {
            var latest = await c.Db.SignInCodes.Where(x => x.EmailNormalized == normalized).OrderByDescending(x => x.Id).FirstOrDefaultAsync(ct);
            if (latest is null || !latest.IsUsable(c.Now))
            {
                throw new PortalValidationException("Code", latest is { Attempts: >= SignInCode.MaxAttempts }
                    ? "Too many wrong codes. Ask for a new code."
                    : "This code has expired or was already used. Ask for a new code.");
            }
            if (!CryptographicOperations.FixedTimeEquals(Hash(latest.Salt, (code ?? "").Trim()), latest.CodeHash))
            {
                latest.RecordWrongAttempt();
                return (string?)null;
            }
            latest.Consume(c.Now);
            var user = await c.Db.ActiveUserByMailAsync(normalized, ct);
            if (user is { AccountEnabled: false })
            {
                throw new PortalValidationException("Code", "Your account is blocked from signing in to this directory.");
            }
            return normalized;
        }, ct);
        return proven ?? throw new PortalValidationException("Code", "That code is not right. Check the e-mail and try again.");
    }

    private static byte[] Hash(byte[] salt, string code) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(code));
}

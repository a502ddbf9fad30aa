using EntitlementPortal.Domain;

namespace EntitlementPortal.Features.Common;

/// <summary>Who is acting: a signed-in person (maybe not yet in the directory), or the system's own sweeps.</summary>
public sealed record Actor(Guid? UserId, string Email, string? TenantId = null, bool IsSystem = false)
{
    public static Actor System { get; } = new(null, "system", IsSystem: true);

    /// <summary>Nobody signed in: matches no user and holds no role.</summary>
    public static Actor Anonymous { get; } = new(null, "anonymous");

    public static Actor For(DirectoryUser user) => new(user.Id, user.Mail);

    /// <summary>Someone who proved an e-mail address (one-time passcode) but has no account yet.</summary>
    public static Actor ForEmail(string email) => new(null, Names.NormalizeEmail(email));

    public string Name => IsSystem ? "System" : Email;
}

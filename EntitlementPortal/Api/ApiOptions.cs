using EntitlementPortal.Domain;

namespace EntitlementPortal.Api;

/// <summary>The "Api" section: the clients that may get a token, and how tokens are signed.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Development's demo client: acts as Global administrator.</summary>
    public static readonly ApiClient DemoClient = new() { ClientId = "automation", ClientSecret = "automation-secret-for-development", Role = DirectoryRole.GlobalAdministrator };

    public List<ApiClient> Clients { get; set; } = [];

    /// <summary>Base64 key of at least 32 bytes that signs the tokens; every node needs the same one. Empty: a new key at each start.</summary>
    public string SigningKey { get; set; } = "";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Wrong client ids or secrets from one address within <see cref="FailedTokenRequestWindow"/> before it is refused (TokenEndpointThrottle).</summary>
    public int FailedTokenRequestsPerAddress { get; set; } = 10;

    public TimeSpan FailedTokenRequestWindow { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// An application that calls the API with OAuth 2.0 client credentials. It acts as a directory account of its own
/// (<see cref="Mail"/>) holding <see cref="Role"/>, so the services authorize and audit it like a person.
/// An entry without a secret is an Entra application (its app id as <see cref="ClientId"/>) whose Entra tokens are accepted.
/// </summary>
public sealed class ApiClient
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public DirectoryRole Role { get; set; } = DirectoryRole.IdentityGovernanceAdministrator;

    public string Mail => $"{ClientId.ToLowerInvariant()}@api-clients.invalid";
    public string DisplayName => $"API client {ClientId}";
}

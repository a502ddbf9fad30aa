using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Api;

/// <summary>
/// Failed client authentications at the token endpoint, counted per client address: past the limit within the window,
/// the address gets no token, not even for the right secret, until the window has passed. Guessing secrets costs a
/// guesser time, and a client that gives its right secret is never counted.
/// </summary>
public sealed class TokenEndpointThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> failures;

    public TokenEndpointThrottle(IOptions<ApiOptions> options)
    {
        Window = options.Value.FailedTokenRequestWindow;
        var limit = options.Value.FailedTokenRequestsPerAddress;
        failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = Window, QueueLimit = 0 }));
    }

    public TimeSpan Window { get; }

    public bool IsRefused(string address) => failures.GetStatistics(address)?.CurrentAvailablePermits == 0;

    public void CountFailure(string address) => failures.AttemptAcquire(address).Dispose();

    public void Dispose() => failures.Dispose();
}

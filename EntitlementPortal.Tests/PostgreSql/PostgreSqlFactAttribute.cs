using EntitlementPortal.Tests.Infrastructure;

namespace EntitlementPortal.Tests.PostgreSql;

/// <summary>
/// A test on a real PostgreSQL server (PORTAL_TEST_POSTGRES). Without one it is skipped with the reason, except in CI,
/// where `.ci/run` installs and starts PostgreSQL and a missing server must fail the run.
/// </summary>
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        Skip = SkipReason;
    }

    /// <summary>Why PostgreSQL tests cannot run here, or null when they must.</summary>
    public static string? SkipReason =>
        TestPortal.PostgreSqlServer is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? "PostgreSQL test skipped: set PORTAL_TEST_POSTGRES to a server's connection string (bash .ci/run does)."
            : null;
}

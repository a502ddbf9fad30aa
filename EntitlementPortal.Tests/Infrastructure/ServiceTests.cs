using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Infrastructure;

/// <summary>Tests of the services: on SQLite, and run again on PostgreSQL by a subclass marked <see cref="OnPostgreSqlAttribute"/>.</summary>
public abstract class ServiceTests
{
    protected bool OnPostgreSql => GetType().IsDefined(typeof(OnPostgreSqlAttribute), inherit: false);

    protected Task<TestPortal> CreatePortalAsync(Action<IServiceCollection>? configure = null) =>
        OnPostgreSql ? TestPortal.CreateOnPostgreSqlAsync(configure) : TestPortal.CreateAsync(configure);

    protected Task<AuthorizationWorld> CopyWorldAsync() => AuthorizationWorld.CopyAsync(OnPostgreSql);
}

/// <summary>
/// Runs every test of the base class on a PostgreSQL database of its own. Without a server (PORTAL_TEST_POSTGRES) the tests
/// are reported skipped, except in CI (<see cref="PortalTestFramework"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OnPostgreSqlAttribute : Attribute;

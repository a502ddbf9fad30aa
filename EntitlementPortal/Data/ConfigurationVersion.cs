namespace EntitlementPortal.Data;

/// <summary>
/// One row whose value changes, to a value it never had before, in the transaction of every change to the configuration
/// the request path reads (<see cref="ConfigurationCache"/>). Triggers on those tables set it (migration
/// ConfigurationVersion), so no writer can forget it: EF's saves, set-based statements, SQL by hand, other nodes.
/// </summary>
public sealed class ConfigurationVersion
{
    public const int SingletonId = 1;

    public int Id { get; private set; } = SingletonId;
    public long Value { get; private set; }
}

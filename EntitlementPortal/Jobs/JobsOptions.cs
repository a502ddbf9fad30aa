namespace EntitlementPortal.Jobs;

/// <summary>The "Jobs" section of appsettings.json: how often each sweep runs.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    public bool Enabled { get; set; } = true;
    public TimeSpan ApprovalTimeoutInterval { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan DeliveryInterval { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan AssignmentExpiryInterval { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan GuestRemovalInterval { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan OutboxDispatchInterval { get; set; } = TimeSpan.FromMinutes(1);
}

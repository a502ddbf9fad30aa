namespace EntitlementPortal.Domain;

public static class AuditCategory
{
    public const string EntitlementManagement = "EntitlementManagement";
    public const string UserManagement = "UserManagement";
    public const string Policy = "Policy";
}

/// <summary>Append-only record of one state change, written in the change's own transaction.</summary>
public sealed class AuditEvent
{
    private AuditEvent()
    {
    }

    public long Id { get; private set; }
    public DateTime ActivityDateTime { get; private set; }
    public string Category { get; private set; } = "";
    public string Activity { get; private set; } = "";
    public Guid? ActorUserId { get; private set; }
    public string ActorName { get; private set; } = "";
    public string TargetType { get; private set; } = "";
    public string TargetId { get; private set; } = "";
    public string TargetName { get; private set; } = "";
    public string Result { get; private set; } = "success";
    public string? Details { get; private set; }

    public static AuditEvent Create(DateTime now, string category, string activity, Guid? actorUserId, string actorName,
        string targetType, string targetId, string targetName, string? details = null, string result = "success") => new()
        {
            ActivityDateTime = now,
            Category = category,
            Activity = activity,
            ActorUserId = actorUserId,
            ActorName = actorName,
            TargetType = targetType,
            TargetId = targetId,
            TargetName = targetName,
            Details = details,
            Result = result,
        };
}

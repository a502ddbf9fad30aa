namespace EntitlementPortal.Data;

/// <summary>
/// A decision another approver of the stage took, filed under an approver the stage named
/// (<see cref="Domain.AccessPackageAssignmentRequest.NamedApproversOf"/>): their approval history finds it by index, however
/// many decisions others take. Written with the decision, never changed.
/// </summary>
public sealed class ApprovalHistoryEntry(Guid userId, Guid requestId, int stage, DateTime decidedDateTime)
{
    public Guid UserId { get; private set; } = userId;
    public Guid RequestId { get; private set; } = requestId;
    public int Stage { get; private set; } = stage;
    public DateTime DecidedDateTime { get; private set; } = decidedDateTime;
}

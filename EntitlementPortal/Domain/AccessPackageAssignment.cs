namespace EntitlementPortal.Domain;

public sealed class AccessPackageAssignment
{
    public static readonly TimeSpan FirstReminder = TimeSpan.FromDays(14);
    public static readonly TimeSpan LastReminder = TimeSpan.FromDays(1);

    private AccessPackageAssignment()
    {
    }

    public Guid Id { get; private set; }
    public Guid AccessPackageId { get; private set; }
    public Guid AssignmentPolicyId { get; private set; }
    public Guid TargetUserId { get; private set; }
    public AssignmentState State { get; private set; }
    public string Status { get; private set; } = "";
    public DateTime StartDateTime { get; private set; }
    /// <summary>When the assignment expires (null: never); once expired, when it ended.</summary>
    public DateTime? ExpiredDateTime { get; private set; }
    public DateTime? FourteenDayReminderDateTime { get; private set; }
    public DateTime? OneDayReminderDateTime { get; private set; }
    public int Version { get; private set; }

    public bool IsActive => State != AssignmentState.Expired;

    public static AccessPackageAssignment Deliver(Guid accessPackageId, Guid policyId, Guid targetUserId, DateTime? expiresAt, DateTime now) => new()
    {
        Id = Ids.New(),
        AccessPackageId = accessPackageId,
        AssignmentPolicyId = policyId,
        TargetUserId = targetUserId,
        State = AssignmentState.Delivered,
        Status = "Delivered",
        StartDateTime = now,
        ExpiredDateTime = expiresAt,
    };

    public void Extend(DateTime? newEnd)
    {
        EnsureActive();
        if (ExpiredDateTime is { } current && newEnd is { } proposed && proposed <= current)
        {
            throw new DomainRuleException("An extension must move the end date later.");
        }
        ExpiredDateTime = newEnd;
        FourteenDayReminderDateTime = null;
        OneDayReminderDateTime = null;
        Status = "Extended";
        Version++;
    }

    /// <summary>Ends the assignment now, whatever the cause (expiry, relinquish, removal).</summary>
    public void End(string status, DateTime now)
    {
        EnsureActive();
        State = AssignmentState.Expired;
        Status = status;
        ExpiredDateTime = now;
        Version++;
    }

    /// <summary>Which reminder is due now, if any; a short assignment gets only the last one.</summary>
    public TimeSpan? DueReminder(DateTime now)
    {
        if (!IsActive || ExpiredDateTime is not { } end || now >= end)
        {
            return null;
        }
        var left = end - now;
        if (left <= LastReminder)
        {
            return OneDayReminderDateTime is null ? LastReminder : null;
        }
        return left <= FirstReminder && FourteenDayReminderDateTime is null ? FirstReminder : null;
    }

    public void MarkReminderSent(TimeSpan reminder, DateTime now)
    {
        if (reminder == LastReminder)
        {
            OneDayReminderDateTime = now;
            FourteenDayReminderDateTime ??= now;
        }
        else
        {
            FourteenDayReminderDateTime = now;
        }
    }

    private void EnsureActive()
    {
        if (!IsActive)
        {
            throw new DomainRuleException("This assignment has already ended.");
        }
    }
}

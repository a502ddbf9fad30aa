namespace EntitlementPortal.Domain;

public sealed class RequestAnswer
{
    public string QuestionId { get; set; } = "";
    public string QuestionText { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class AccessPackageAssignmentRequest
{
    /// <summary>Entra lets a failed delivery be reprocessed for 14 days after completion (Graph doc).</summary>
    public static readonly TimeSpan ReprocessWindow = TimeSpan.FromDays(14);

    private AccessPackageAssignmentRequest()
    {
    }

    public Guid Id { get; private set; }
    public RequestType RequestType { get; private set; }
    public RequestState State { get; private set; }
    /// <summary>Says why the request is in its state, e.g. "Expired" when no approver acted in time.</summary>
    public string Status { get; private set; } = "";
    public Guid AccessPackageId { get; private set; }
    public Guid? AssignmentPolicyId { get; private set; }
    public Guid? AssignmentId { get; private set; }
    public Guid? RequestorUserId { get; private set; }
    public string RequestorEmail { get; private set; } = "";
    public Guid? TargetUserId { get; private set; }
    /// <summary>Lower-cased mail of the target; the only identity while they are not yet in the directory.</summary>
    public string TargetEmail { get; private set; } = "";
    public string TargetDisplayName { get; private set; } = "";
    public Guid? TargetConnectedOrganizationId { get; private set; }
    public string? Justification { get; private set; }
    public List<RequestAnswer> Answers { get; private set; } = [];
    public DateTime? RequestedEndDateTime { get; private set; }
    /// <summary>The policy's approval stages and expiry when the request was made; later edits do not change them.</summary>
    public List<ApprovalStage> ApprovalStages { get; private set; } = [];
    public ExpirationSettings Expiration { get; private set; } = new();
    public int CurrentStage { get; private set; }
    public DateTime? StageStartedDateTime { get; private set; }
    public DateTime? StageDeadline { get; private set; }
    public DateTime? StageEscalationDateTime { get; private set; }
    public bool IsStageEscalated { get; private set; }
    public string? DeliveryError { get; private set; }
    public DateTime CreatedDateTime { get; private set; }
    public DateTime? CompletedDateTime { get; private set; }
    public int Version { get; private set; }

    public ApprovalStage? CurrentApprovalStage => CurrentStage > 0 && CurrentStage <= ApprovalStages.Count ? ApprovalStages[CurrentStage - 1] : null;
    public bool IsOpen => State is RequestState.Submitted or RequestState.PendingApproval or RequestState.Delivering;

    /// <summary>
    /// Whoever any stage may ask, as the approvals list looks them up: each user named, and the target's connected
    /// organization where a stage asks its sponsors. The exact routing (ApproverRouting) narrows them to the current stage.
    /// </summary>
    public IEnumerable<Guid> ApproverRouteIds => ApprovalStages
        .SelectMany(s => s.PrimaryApprovers.Concat(s.FallbackPrimaryApprovers).Concat(s.EscalationApprovers))
        .Select(a => a.Type == ApproverType.SingleUser ? a.UserId : TargetConnectedOrganizationId)
        .OfType<Guid>().Distinct();

    /// <summary>The users a stage named as its approvers, primary or alternate: each sees its decision in their history.</summary>
    public IEnumerable<Guid> NamedApproversOf(int stage) => stage >= 1 && stage <= ApprovalStages.Count
        ? ApprovalStages[stage - 1].PrimaryApprovers.Concat(ApprovalStages[stage - 1].EscalationApprovers).Select(a => a.UserId).OfType<Guid>().Distinct()
        : [];

    public static AccessPackageAssignmentRequest Create(
        RequestType type,
        Guid accessPackageId,
        Guid? policyId,
        (Guid? UserId, string Email) requestor,
        (Guid? UserId, string Email, string DisplayName, Guid? ConnectedOrganizationId) target,
        string? justification,
        IEnumerable<RequestAnswer> answers,
        IEnumerable<ApprovalStage> stages,
        ExpirationSettings expiration,
        DateTime? requestedEnd,
        DateTime now) => new()
        {
            Id = Ids.New(),
            RequestType = type,
            State = RequestState.Submitted,
            Status = "Accepted",
            AccessPackageId = accessPackageId,
            AssignmentPolicyId = policyId,
            RequestorUserId = requestor.UserId,
            RequestorEmail = Names.NormalizeEmail(requestor.Email),
            TargetUserId = target.UserId,
            TargetEmail = Names.NormalizeEmail(target.Email),
            TargetDisplayName = target.DisplayName,
            TargetConnectedOrganizationId = target.ConnectedOrganizationId,
            Justification = justification,
            Answers = [.. answers],
            ApprovalStages = stages.Select(s => s.Copy()).ToList(),
            Expiration = expiration.Copy(),
            RequestedEndDateTime = requestedEnd,
            CreatedDateTime = now,
        };

    /// <summary>Removal requests are recorded already fulfilled: removal happens in the same transaction.</summary>
    public static AccessPackageAssignmentRequest CreateRemoval(RequestType type, AccessPackageAssignment assignment, (Guid? UserId, string Email) requestor, DirectoryUser target, DateTime now)
    {
        if (type is not (RequestType.UserRemove or RequestType.AdminRemove or RequestType.SystemRemove))
        {
            throw new DomainRuleException($"{type} is not a removal.");
        }
        var request = Create(type, assignment.AccessPackageId, assignment.AssignmentPolicyId, requestor,
            (target.Id, target.Mail, target.DisplayName, target.ConnectedOrganizationId), null, [], [], new ExpirationSettings(), null, now);
        request.AssignmentId = assignment.Id;
        request.Complete(RequestState.Delivered, "Delivered", now);
        return request;
    }

    public void StartApproval(DateTime now)
    {
        EnsureState(RequestState.Submitted);
        if (ApprovalStages.Count == 0)
        {
            throw new DomainRuleException("The policy requires approval but has no approval stage.");
        }
        State = RequestState.PendingApproval;
        Status = "PendingApproval";
        EnterStage(1, now);
    }

    public void AutoApprove()
    {
        EnsureState(RequestState.Submitted);
        State = RequestState.Delivering;
        Status = "Approved";
    }

    /// <summary>One approver decides the current stage; returns true when more stages follow.</summary>
    public bool Approve(DateTime now)
    {
        EnsureState(RequestState.PendingApproval);
        Version++;
        if (CurrentStage < ApprovalStages.Count)
        {
            EnterStage(CurrentStage + 1, now);
            return true;
        }
        State = RequestState.Delivering;
        Status = "Approved";
        ClearStage();
        return false;
    }

    public void Deny(DateTime now)
    {
        EnsureState(RequestState.PendingApproval);
        ClearStage();
        Complete(RequestState.Denied, "Denied", now);
    }

    /// <summary>No approver acted before the stage's deadline: denied, status Expired.</summary>
    public void TimeOut(DateTime now)
    {
        EnsureState(RequestState.PendingApproval);
        if (StageDeadline is not { } deadline || deadline > now)
        {
            throw new DomainRuleException("The approval deadline has not passed.");
        }
        ClearStage();
        Complete(RequestState.Denied, "Expired", now);
    }

    public void Escalate()
    {
        EnsureState(RequestState.PendingApproval);
        if (IsStageEscalated)
        {
            throw new DomainRuleException("This request has already been forwarded to alternate approvers.");
        }
        IsStageEscalated = true;
        Version++;
    }

    /// <summary>Requestors cancel while pending; managers may also cancel a request that is delivering or failed.</summary>
    public void Cancel(bool byManager, DateTime now)
    {
        var allowed = byManager
            ? State is RequestState.Submitted or RequestState.PendingApproval or RequestState.Delivering or RequestState.DeliveryFailed
            : State is RequestState.Submitted or RequestState.PendingApproval;
        if (!allowed)
        {
            throw new DomainRuleException($"A request in state {State} cannot be canceled.");
        }
        ClearStage();
        Complete(RequestState.Canceled, "Canceled", now);
    }

    public void MarkDelivered(Guid assignmentId, DateTime now)
    {
        EnsureState(RequestState.Delivering);
        AssignmentId = assignmentId;
        DeliveryError = null;
        Complete(RequestState.Delivered, "Delivered", now);
    }

    public void FailDelivery(string reason, DateTime now)
    {
        EnsureState(RequestState.Delivering);
        DeliveryError = reason;
        Complete(RequestState.DeliveryFailed, "DeliveryFailed", now);
    }

    public void Reprocess(DateTime now)
    {
        if (State is not (RequestState.DeliveryFailed or RequestState.PartiallyDelivered))
        {
            throw new DomainRuleException("Only a request whose delivery failed can be reprocessed.");
        }
        if (CompletedDateTime is { } completed && now - completed > ReprocessWindow)
        {
            throw new DomainRuleException("A failed delivery can be reprocessed only within 14 days.");
        }
        State = RequestState.Delivering;
        Status = "Reprocessing";
        CompletedDateTime = null;
        Version++;
    }

    public void AttachAssignment(Guid assignmentId)
    {
        if (RequestType != RequestType.UserExtend)
        {
            throw new DomainRuleException("Only an extension names its assignment before delivery.");
        }
        AssignmentId = assignmentId;
    }

    public void AttachTargetUser(DirectoryUser user)
    {
        TargetUserId = user.Id;
        TargetConnectedOrganizationId ??= user.ConnectedOrganizationId;
    }

    private void EnterStage(int stage, DateTime now)
    {
        var definition = ApprovalStages[stage - 1];
        CurrentStage = stage;
        StageStartedDateTime = now;
        StageDeadline = now.AddDays(definition.DurationBeforeAutomaticDenialInDays);
        StageEscalationDateTime = definition.IsEscalationEnabled ? now.AddDays(definition.DurationBeforeEscalationInDays) : null;
        IsStageEscalated = false;
    }

    private void ClearStage()
    {
        StageDeadline = null;
        StageEscalationDateTime = null;
    }

    private void Complete(RequestState state, string status, DateTime now)
    {
        State = state;
        Status = status;
        CompletedDateTime = now;
        Version++;
    }

    private void EnsureState(RequestState expected)
    {
        if (State != expected)
        {
            throw new DomainRuleException(State switch
            {
                RequestState.Denied or RequestState.Delivering or RequestState.Delivered when expected == RequestState.PendingApproval =>
                    "This request has already been decided.",
                _ => $"The request is {State}; expected {expected}.",
            });
        }
    }
}

public sealed class ApprovalDecision(Guid requestId, int stage, Guid approverUserId, ApprovalDecisionKind decision, string? justification, DateTime decidedDateTime)
{
    public long Id { get; private set; }
    public Guid RequestId { get; private set; } = requestId;
    public int Stage { get; private set; } = stage;
    public Guid ApproverUserId { get; private set; } = approverUserId;
    public ApprovalDecisionKind Decision { get; private set; } = decision;
    public string? Justification { get; private set; } = justification;
    public DateTime DecidedDateTime { get; private set; } = decidedDateTime;
}

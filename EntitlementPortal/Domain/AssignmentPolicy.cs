namespace EntitlementPortal.Domain;

public sealed class Approver
{
    public ApproverType Type { get; set; }
    /// <summary>Set for <see cref="ApproverType.SingleUser"/> only.</summary>
    public Guid? UserId { get; set; }

    public Approver Copy() => new() { Type = Type, UserId = UserId };
}

public sealed class ApprovalStage
{
    public int DurationBeforeAutomaticDenialInDays { get; set; } = 14;
    public bool IsApproverJustificationRequired { get; set; }
    public bool IsEscalationEnabled { get; set; }
    public int DurationBeforeEscalationInDays { get; set; }
    public List<Approver> PrimaryApprovers { get; set; } = [];
    public List<Approver> FallbackPrimaryApprovers { get; set; } = [];
    public List<Approver> EscalationApprovers { get; set; } = [];

    public ApprovalStage Copy() => new()
    {
        DurationBeforeAutomaticDenialInDays = DurationBeforeAutomaticDenialInDays,
        IsApproverJustificationRequired = IsApproverJustificationRequired,
        IsEscalationEnabled = IsEscalationEnabled,
        DurationBeforeEscalationInDays = DurationBeforeEscalationInDays,
        PrimaryApprovers = PrimaryApprovers.Select(a => a.Copy()).ToList(),
        FallbackPrimaryApprovers = FallbackPrimaryApprovers.Select(a => a.Copy()).ToList(),
        EscalationApprovers = EscalationApprovers.Select(a => a.Copy()).ToList(),
    };
}

public sealed class PolicyQuestion
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");
    public string Text { get; set; } = "";
    public AnswerFormat AnswerFormat { get; set; }
    public bool IsRequired { get; set; }
    public List<string> Choices { get; set; } = [];
    public string? RegexPattern { get; set; }

    public PolicyQuestion Copy() => new()
    {
        Id = Id, Text = Text, AnswerFormat = AnswerFormat, IsRequired = IsRequired, Choices = [.. Choices], RegexPattern = RegexPattern,
    };
}

/// <summary>How long an assignment lasts; kept on each request so later policy edits do not change it.</summary>
public sealed class ExpirationSettings
{
    public ExpirationType Type { get; set; } = ExpirationType.AfterDuration;
    public DateTime? EndDateTime { get; set; }
    public int? DurationInDays { get; set; } = 365;
    public int? DurationInHours { get; set; }

    public TimeSpan? Duration => DurationInHours is { } hours ? TimeSpan.FromHours(hours)
        : DurationInDays is { } days ? TimeSpan.FromDays(days) : null;

    /// <summary>The end of an assignment that starts at <paramref name="start"/>, capped by a requested end.</summary>
    public DateTime? EndFor(DateTime start, DateTime? requestedEnd = null)
    {
        DateTime? end = Type switch
        {
            ExpirationType.AfterDateTime => EndDateTime,
            ExpirationType.AfterDuration => start + (Duration ?? TimeSpan.Zero),
            _ => null,
        };
        if (requestedEnd is { } requested && (end is null || requested < end))
        {
            return requested;
        }
        return end;
    }

    /// <summary>In words, for the policy list, the review step and the request page.</summary>
    public string Describe() => Type switch
    {
        ExpirationType.NoExpiration => "Never expires",
        ExpirationType.AfterDateTime => $"Ends on {(EndDateTime is { } end ? Names.FormatDate(end) : "a date not set")}",
        _ when DurationInHours is { } hours => $"Lasts {hours} hours",
        _ => $"Lasts {DurationInDays} days",
    };

    public ExpirationSettings Copy() => new() { Type = Type, EndDateTime = EndDateTime, DurationInDays = DurationInDays, DurationInHours = DurationInHours };
}

/// <summary>Everything a catalog owner sets on a policy; validated by the policy service.</summary>
public sealed record PolicyDefinition
{
    public string DisplayName { get; init; } = "";
    public string? Description { get; init; }
    public AllowedTargetScope AllowedTargetScope { get; init; }
    /// <summary>User ids for SpecificDirectoryUsers, connected organization ids for SpecificConnectedOrganizationUsers.</summary>
    public IReadOnlyList<Guid> SpecificAllowedTargets { get; init; } = [];
    public bool IsEnabled { get; init; } = true;
    public bool IsApprovalRequired { get; init; }
    public bool IsRequestorJustificationRequired { get; init; }
    public IReadOnlyList<ApprovalStage> Stages { get; init; } = [];
    public IReadOnlyList<PolicyQuestion> Questions { get; init; } = [];
    public ExpirationSettings Expiration { get; init; } = new();
    public bool AllowCustomAssignmentSchedule { get; init; }
    public bool CanExtend { get; init; }
    public bool IsApprovalRequiredForExtension { get; init; }
}

public sealed class AssignmentPolicy
{
    private AssignmentPolicy()
    {
    }

    public Guid Id { get; private set; }
    public Guid AccessPackageId { get; private set; }
    public string DisplayName { get; private set; } = "";
    public string? Description { get; private set; }
    public AllowedTargetScope AllowedTargetScope { get; private set; }
    /// <summary>The users or connected organizations a "specific" scope admits, a row each so a requestor's policies are found by index.</summary>
    public List<AllowedTarget> Targets { get; private set; } = [];
    public IReadOnlyList<Guid> SpecificAllowedTargets => [.. Targets.Select(t => t.TargetId)];
    /// <summary>"Enable new requests and assignments".</summary>
    public bool IsEnabled { get; private set; }
    public bool IsApprovalRequired { get; private set; }
    public bool IsRequestorJustificationRequired { get; private set; }
    public List<ApprovalStage> Stages { get; private set; } = [];
    public List<PolicyQuestion> Questions { get; private set; } = [];
    public ExpirationSettings Expiration { get; private set; } = new();
    public bool AllowCustomAssignmentSchedule { get; private set; }
    public bool CanExtend { get; private set; }
    public bool IsApprovalRequiredForExtension { get; private set; }
    public DateTime CreatedDateTime { get; private set; }
    public DateTime ModifiedDateTime { get; private set; }

    public static AssignmentPolicy Create(Guid accessPackageId, PolicyDefinition definition, DateTime now)
    {
        var policy = new AssignmentPolicy { Id = Ids.New(), AccessPackageId = accessPackageId, CreatedDateTime = now };
        policy.Apply(definition, now);
        return policy;
    }

    public void Apply(PolicyDefinition d, DateTime now)
    {
        DisplayName = d.DisplayName.Trim();
        Description = d.Description;
        AllowedTargetScope = d.AllowedTargetScope;
        Targets = [.. d.SpecificAllowedTargets.Distinct().Select(id => new AllowedTarget(id))];
        IsEnabled = d.IsEnabled;
        IsApprovalRequired = d.IsApprovalRequired;
        IsRequestorJustificationRequired = d.IsRequestorJustificationRequired;
        Stages = d.IsApprovalRequired || d.IsApprovalRequiredForExtension ? d.Stages.Select(s => s.Copy()).ToList() : [];
        Questions = d.Questions.Select(q => q.Copy()).ToList();
        Expiration = d.Expiration.Copy();
        AllowCustomAssignmentSchedule = d.AllowCustomAssignmentSchedule;
        CanExtend = d.CanExtend;
        IsApprovalRequiredForExtension = d.CanExtend && d.IsApprovalRequiredForExtension;
        ModifiedDateTime = now;
    }

    public PolicyDefinition ToDefinition() => new()
    {
        DisplayName = DisplayName,
        Description = Description,
        AllowedTargetScope = AllowedTargetScope,
        SpecificAllowedTargets = [.. SpecificAllowedTargets],
        IsEnabled = IsEnabled,
        IsApprovalRequired = IsApprovalRequired,
        IsRequestorJustificationRequired = IsRequestorJustificationRequired,
        Stages = Stages.Select(s => s.Copy()).ToList(),
        Questions = Questions.Select(q => q.Copy()).ToList(),
        Expiration = Expiration.Copy(),
        AllowCustomAssignmentSchedule = AllowCustomAssignmentSchedule,
        CanExtend = CanExtend,
        IsApprovalRequiredForExtension = IsApprovalRequiredForExtension,
    };
}

/// <summary>One user or connected organization admitted by a policy's specific scope.</summary>
public sealed class AllowedTarget(Guid targetId)
{
    public Guid TargetId { get; private set; } = targetId;
}

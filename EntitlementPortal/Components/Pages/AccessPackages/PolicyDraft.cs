using EntitlementPortal.Domain;

namespace EntitlementPortal.Components.Pages.AccessPackages;

/// <summary>"Users who can request access": the three top-level choices of Entra's Requests tab.</summary>
public enum RequestorKind { InDirectory, NotInDirectory, None }

public enum ExpirationChoice { OnDate, NumberOfDays, NumberOfHours, Never }

public sealed class StageDraft
{
    public int Days { get; set; } = 14;
    public bool RequireApproverJustification { get; set; }
    public IReadOnlyCollection<Guid> Approvers { get; set; } = [];
    public bool InternalSponsors { get; set; }
    public bool ExternalSponsors { get; set; }
    public bool Forward { get; set; }
    public int ForwardAfterDays { get; set; } = 3;
    public IReadOnlyCollection<Guid> AlternateApprovers { get; set; } = [];

    public ApprovalStage ToStage() => new()
    {
        DurationBeforeAutomaticDenialInDays = Days,
        IsApproverJustificationRequired = RequireApproverJustification,
        PrimaryApprovers =
        [
            .. Approvers.Select(id => new Approver { Type = ApproverType.SingleUser, UserId = id }),
            .. InternalSponsors ? [new Approver { Type = ApproverType.InternalSponsors }] : Array.Empty<Approver>(),
            .. ExternalSponsors ? [new Approver { Type = ApproverType.ExternalSponsors }] : Array.Empty<Approver>(),
        ],
        IsEscalationEnabled = Forward,
        DurationBeforeEscalationInDays = Forward ? ForwardAfterDays : 0,
        EscalationApprovers = Forward ? AlternateApprovers.Select(id => new Approver { Type = ApproverType.SingleUser, UserId = id }).ToList() : [],
    };
}

public sealed class QuestionDraft
{
    public string Text { get; set; } = "";
    public AnswerFormat Format { get; set; } = AnswerFormat.ShortText;
    public bool Required { get; set; }
    public string Choices { get; set; } = "";
    public string? Pattern { get; set; }

    public PolicyQuestion ToQuestion() => new()
    {
        Text = Text,
        AnswerFormat = Format,
        IsRequired = Required,
        Choices = Format == AnswerFormat.MultipleChoice ? Choices.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : [],
        RegexPattern = Format == AnswerFormat.MultipleChoice || string.IsNullOrWhiteSpace(Pattern) ? null : Pattern,
    };
}

/// <summary>What the policy wizard holds while someone fills it in; the policy service has the rules.</summary>
public sealed class PolicyDraft
{
    private RequestorKind kind = RequestorKind.NotInDirectory;

    public string PolicyName { get; set; } = "Initial policy";

    public RequestorKind Kind
    {
        get => kind;
        set
        {
            kind = value;
            Scope = value switch
            {
                RequestorKind.InDirectory => AllowedTargetScope.AllMemberUsers,
                RequestorKind.NotInDirectory => AllowedTargetScope.SpecificConnectedOrganizationUsers,
                _ => AllowedTargetScope.NotSpecified,
            };
        }
    }

    public AllowedTargetScope Scope { get; set; } = AllowedTargetScope.SpecificConnectedOrganizationUsers;
    public IReadOnlyCollection<Guid> Users { get; set; } = [];
    public IReadOnlyCollection<Guid> Organizations { get; set; } = [];
    public bool RequireApproval { get; set; } = true;
    public bool RequireRequestorJustification { get; set; } = true;
    public int StageCount { get; set; } = 1;
    public List<StageDraft> Stages { get; } = [new(), new(), new()];
    public bool Enabled { get; set; } = true;
    public List<QuestionDraft> Questions { get; } = [];
    public ExpirationChoice Expiration { get; set; } = ExpirationChoice.NumberOfDays;
    public DateTime? EndDate { get; set; }
    public int Days { get; set; } = 365;
    public int Hours { get; set; } = 8;
    public bool AllowExtension { get; set; }
    public bool RequireApprovalForExtension { get; set; }
    public bool AllowCustomSchedule { get; set; }

    /// <summary>Entra: with "All users", Require approval is mandatory.</summary>
    public bool ApprovalIsForced => Scope == AllowedTargetScope.AllExternalUsers;

    public bool AsksForApproval => Kind != RequestorKind.None && (RequireApproval || ApprovalIsForced);

    public PolicyDefinition ToDefinition() => new()
    {
        DisplayName = PolicyName,
        AllowedTargetScope = Scope,
        SpecificAllowedTargets = Scope switch
        {
            AllowedTargetScope.SpecificDirectoryUsers => [.. Users],
            AllowedTargetScope.SpecificConnectedOrganizationUsers => [.. Organizations],
            _ => [],
        },
        IsEnabled = Enabled,
        IsApprovalRequired = AsksForApproval,
        IsRequestorJustificationRequired = Kind != RequestorKind.None && RequireRequestorJustification,
        Stages = AsksForApproval || (AllowExtension && RequireApprovalForExtension) ? Stages.Take(StageCount).Select(s => s.ToStage()).ToList() : [],
        Questions = Kind == RequestorKind.None ? [] : Questions.Select(q => q.ToQuestion()).ToList(),
        Expiration = Expiration switch
        {
            ExpirationChoice.OnDate => new ExpirationSettings { Type = ExpirationType.AfterDateTime, EndDateTime = EndDate?.ToUniversalTime(), DurationInDays = null },
            ExpirationChoice.NumberOfHours => new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = null, DurationInHours = Hours },
            ExpirationChoice.Never => new ExpirationSettings { Type = ExpirationType.NoExpiration, DurationInDays = null },
            _ => new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = Days },
        },
        AllowCustomAssignmentSchedule = Kind != RequestorKind.None && AllowCustomSchedule,
        CanExtend = AllowExtension,
        IsApprovalRequiredForExtension = AllowExtension && RequireApprovalForExtension,
    };

    /// <summary>Which wizard step a service message belongs to, so the wizard can send the person back there.</summary>
    public static int StepOf(string field) => field switch
    {
        "DisplayName" or "Description" or "CatalogId" => 0,
        "ResourceRoleIds" => 1,
        _ when field.StartsWith("Questions", StringComparison.Ordinal) => 3,
        _ when field.StartsWith("Expiration", StringComparison.Ordinal) || field is "CanExtend" or "IsApprovalRequiredForExtension" => 4,
        _ => 2,
    };
}

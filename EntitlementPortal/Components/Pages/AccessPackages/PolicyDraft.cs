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
    public StageDraft[] Stages { get; } = [new(), new(), new()];
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

    /// <summary>A saved policy, ready to edit.</summary>
    public static PolicyDraft From(PolicyDefinition d)
    {
        var draft = new PolicyDraft
        {
            PolicyName = d.DisplayName,
            Kind = d.AllowedTargetScope switch
            {
                AllowedTargetScope.NotSpecified => RequestorKind.None,
                _ when d.AllowedTargetScope.IsForExternalUsers() => RequestorKind.NotInDirectory,
                _ => RequestorKind.InDirectory,
            },
        };
        draft.Scope = d.AllowedTargetScope;
        draft.Users = d.AllowedTargetScope == AllowedTargetScope.SpecificDirectoryUsers ? [.. d.SpecificAllowedTargets] : [];
        draft.Organizations = d.AllowedTargetScope == AllowedTargetScope.SpecificConnectedOrganizationUsers ? [.. d.SpecificAllowedTargets] : [];
        draft.RequireApproval = d.IsApprovalRequired;
        draft.RequireRequestorJustification = d.IsRequestorJustificationRequired;
        draft.StageCount = Math.Clamp(d.Stages.Count, 1, 3);
        for (var i = 0; i < d.Stages.Count && i < 3; i++)
        {
            var stage = d.Stages[i];
            draft.Stages[i] = new StageDraft
            {
                Days = stage.DurationBeforeAutomaticDenialInDays,
                RequireApproverJustification = stage.IsApproverJustificationRequired,
                Approvers = stage.PrimaryApprovers.Where(a => a.Type == ApproverType.SingleUser && a.UserId is not null).Select(a => a.UserId!.Value).ToList(),
                InternalSponsors = stage.PrimaryApprovers.Any(a => a.Type == ApproverType.InternalSponsors),
                ExternalSponsors = stage.PrimaryApprovers.Any(a => a.Type == ApproverType.ExternalSponsors),
                Forward = stage.IsEscalationEnabled,
                ForwardAfterDays = stage.IsEscalationEnabled ? stage.DurationBeforeEscalationInDays : 3,
                AlternateApprovers = stage.EscalationApprovers.Where(a => a.UserId is not null).Select(a => a.UserId!.Value).ToList(),
            };
        }
        draft.Enabled = d.IsEnabled;
        draft.Questions.AddRange(d.Questions.Select(q => new QuestionDraft
        {
            Text = q.Text, Format = q.AnswerFormat, Required = q.IsRequired, Choices = string.Join('\n', q.Choices), Pattern = q.RegexPattern,
        }));
        (draft.Expiration, draft.EndDate) = d.Expiration.Type switch
        {
            ExpirationType.AfterDateTime => (ExpirationChoice.OnDate, d.Expiration.EndDateTime),
            ExpirationType.NoExpiration => (ExpirationChoice.Never, (DateTime?)null),
            _ when d.Expiration.DurationInHours is not null => (ExpirationChoice.NumberOfHours, null),
            _ => (ExpirationChoice.NumberOfDays, null),
        };
        draft.Days = d.Expiration.DurationInDays ?? 365;
        draft.Hours = d.Expiration.DurationInHours ?? 8;
        draft.AllowExtension = d.CanExtend;
        draft.RequireApprovalForExtension = d.IsApprovalRequiredForExtension;
        draft.AllowCustomSchedule = d.AllowCustomAssignmentSchedule;
        return draft;
    }

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

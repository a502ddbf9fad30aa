using EntitlementPortal.Domain;
using EntitlementPortal.Features.Settings;

namespace EntitlementPortal.Api;

/// <summary>Graph's accessPackageAssignmentPolicy body as the portal's policy definition.</summary>
public static class GraphPolicies
{
    public static PolicyDefinition Read(GraphBody body)
    {
        var scope = body.Enum<AllowedTargetScope>("allowedTargetScope") ?? AllowedTargetScope.NotSpecified;
        var approval = body.Object("requestApprovalSettings");
        var requestor = body.Object("requestorSettings");
        return new PolicyDefinition
        {
            DisplayName = body.Required("displayName"),
            Description = body.String("description"),
            AllowedTargetScope = scope,
            SpecificAllowedTargets = [.. body.Array("specificAllowedTargets").Select(Target)],
            IsApprovalRequired = approval?.Bool("isApprovalRequiredForAdd") ?? false,
            IsApprovalRequiredForExtension = approval?.Bool("isApprovalRequiredForUpdate") ?? false,
            IsRequestorJustificationRequired = approval?.Bool("isRequestorJustificationRequired") ?? false,
            Stages = [.. (approval?.Array("stages") ?? []).Select(Stage)],
            Expiration = Expiration(body.Object("expiration")),
            AllowCustomAssignmentSchedule = requestor?.Bool("allowCustomAssignmentSchedule") ?? false,
            CanExtend = requestor?.Bool("enableTargetsToSelfUpdateAccess") ?? false,
        };
    }

    private static Guid Target(GraphBody target) => target.ODataType switch
    {
        var t when t.EndsWith("connectedOrganizationMembers", StringComparison.OrdinalIgnoreCase) =>
            target.Guid("connectedOrganizationId") ?? throw new GraphRequestException("specificAllowedTargets: connectedOrganizationId is required."),
        var t when t.EndsWith("singleUser", StringComparison.OrdinalIgnoreCase) =>
            target.Guid("userId") ?? throw new GraphRequestException("specificAllowedTargets: userId is required."),
        var t => throw new GraphRequestException($"specificAllowedTargets: '{t}' is not supported; use #microsoft.graph.connectedOrganizationMembers or #microsoft.graph.singleUser."),
    };

    private static ExpirationSettings Expiration(GraphBody? expiration)
    {
        switch (expiration?.Enum<ExpirationType>("type"))
        {
            case null or ExpirationType.NoExpiration:
                return new ExpirationSettings { Type = ExpirationType.NoExpiration, DurationInDays = null };
            case ExpirationType.AfterDateTime:
                return new ExpirationSettings { Type = ExpirationType.AfterDateTime, DurationInDays = null, EndDateTime = expiration.DateTime("endDateTime") };
            default:
                var duration = expiration.Duration("duration") ?? throw new GraphRequestException("expiration.duration is required for afterDuration.");
                return duration.Ticks % TimeSpan.TicksPerDay == 0
                    ? new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = (int)duration.TotalDays }
                    : duration.Ticks % TimeSpan.TicksPerHour == 0
                        ? new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = null, DurationInHours = (int)duration.TotalHours }
                        : throw new GraphRequestException("expiration.duration must be whole hours or days.");
        }
    }

    private static ApprovalStage Stage(GraphBody stage) => new()
    {
        DurationBeforeAutomaticDenialInDays = Days(stage, "durationBeforeAutomaticDenial") ?? 14,
        IsApproverJustificationRequired = stage.Bool("isApproverJustificationRequired") ?? false,
        IsEscalationEnabled = stage.Bool("isEscalationEnabled") ?? false,
        DurationBeforeEscalationInDays = Days(stage, "durationBeforeEscalation") ?? 0,
        PrimaryApprovers = [.. stage.Array("primaryApprovers").Select(Approver)],
        FallbackPrimaryApprovers = [.. stage.Array("fallbackPrimaryApprovers").Select(Approver)],
        EscalationApprovers = [.. stage.Array("escalationApprovers").Select(Approver)],
    };

    private static int? Days(GraphBody body, string property) =>
        body.Duration(property) is not { } duration ? null
        : duration.Ticks % TimeSpan.TicksPerDay == 0 ? (int)duration.TotalDays
        : throw new GraphRequestException($"{property} must be whole days.");

    private static Approver Approver(GraphBody approver) => approver.ODataType switch
    {
        var t when t.EndsWith("singleUser", StringComparison.OrdinalIgnoreCase) =>
            new Approver { Type = ApproverType.SingleUser, UserId = approver.Guid("userId") ?? throw new GraphRequestException("approver userId is required.") },
        var t when t.EndsWith("internalSponsors", StringComparison.OrdinalIgnoreCase) => new Approver { Type = ApproverType.InternalSponsors },
        var t when t.EndsWith("externalSponsors", StringComparison.OrdinalIgnoreCase) => new Approver { Type = ApproverType.ExternalSponsors },
        var t => throw new GraphRequestException($"Approver type '{t}' is not supported; use singleUser, internalSponsors or externalSponsors."),
    };
}

/// <summary>Graph's entitlementManagementSettings as the lifecycle settings for external users.</summary>
public static class GraphSettings
{
    public static Dictionary<string, object?> Write(string context, LifecycleSettings s) => new()
    {
        ["@odata.context"] = context,
        ["id"] = "singleton",
        // Graph has no value for "removed without being blocked": unknownFutureValue is its escape.
        ["externalUserLifecycleAction"] = (s.BlockExternalUserFromSigningIn, s.RemoveExternalUser) switch
        {
            (false, false) => "none",
            (true, false) => "blockSignIn",
            (true, true) => "blockSignInAndDelete",
            (false, true) => "unknownFutureValue",
        },
        ["durationUntilExternalUserDeletedAfterBlocked"] = GraphModels.Duration(TimeSpan.FromDays(s.DaysBeforeRemovingExternalUser)),
    };

    public static LifecycleSettings Read(GraphBody body, LifecycleSettings current)
    {
        var (block, remove) = body.String("externalUserLifecycleAction") switch
        {
            null => (current.BlockExternalUserFromSigningIn, current.RemoveExternalUser),
            "none" => (false, false),
            "blockSignIn" => (true, false),
            "blockSignInAndDelete" => (true, true),
            var other => throw new GraphRequestException($"'{other}' is not a valid value for externalUserLifecycleAction: none, blockSignIn or blockSignInAndDelete."),
        };
        var days = current.DaysBeforeRemovingExternalUser;
        if (body.Duration("durationUntilExternalUserDeletedAfterBlocked") is { } duration)
        {
            days = duration.Ticks % TimeSpan.TicksPerDay == 0 && duration >= TimeSpan.Zero
                ? (int)duration.TotalDays
                : throw new GraphRequestException("durationUntilExternalUserDeletedAfterBlocked must be whole days, such as P30D.");
        }
        return new LifecycleSettings(block, remove, days);
    }
}

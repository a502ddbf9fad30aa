namespace EntitlementPortal.Domain;

/// <summary>Base of every error the portal reports on purpose; anything else is a bug.</summary>
public abstract class PortalException(string message) : Exception(message);

/// <summary>A state transition that the current state does not allow.</summary>
public sealed class DomainRuleException(string message) : PortalException(message);

public sealed class ForbiddenException(string message) : PortalException(message);

public sealed class NotFoundException(string entity, object id) : PortalException($"{entity} '{id}' was not found.")
{
    public string Entity { get; } = entity;
}

public sealed record ValidationFailure(string Field, string Message);

public sealed class PortalValidationException(IReadOnlyList<ValidationFailure> failures)
    : PortalException(string.Join(" ", failures.Select(f => $"{f.Field}: {f.Message}")))
{
    public IReadOnlyList<ValidationFailure> Failures { get; } = failures;

    public PortalValidationException(string field, string message) : this([new ValidationFailure(field, message)])
    {
    }
}

/// <summary>Why someone may not request an access package; the UI turns each into plain words.</summary>
public enum IneligibilityReason
{
    CatalogDisabled,
    CatalogNotEnabledForExternalUsers,
    NotInScopeOfAnyPolicy,
    DomainBlockedByInvitationPolicy,
    AlreadyAssigned,
    RequestAlreadyPending,
    AccountBlocked,
    IncompatibleAccess,
}

public sealed class NotEligibleException(IneligibilityReason reason, string message) : PortalException(message)
{
    public IneligibilityReason Reason { get; } = reason;
}

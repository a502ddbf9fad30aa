using EntitlementPortal.Domain;

namespace EntitlementPortal.Features.Common;

/// <summary>Collects every failure of one input, then throws them together so a form can show them all.</summary>
public sealed class Validator
{
    private readonly List<ValidationFailure> failures = [];

    public bool IsValid => failures.Count == 0;

    public IReadOnlyList<ValidationFailure> Failures => failures;

    public Validator Add(string field, string message)
    {
        failures.Add(new ValidationFailure(field, message));
        return this;
    }

    public Validator When(bool failed, string field, string message) => failed ? Add(field, message) : this;

    public Validator Text(string field, string? value, int maxLength, bool required = true, string? label = null)
    {
        label ??= field;
        if (string.IsNullOrWhiteSpace(value))
        {
            return When(required, field, $"{label} is required.");
        }
        if (value.Length > maxLength)
        {
            return Add(field, $"{label} must be at most {maxLength} characters.");
        }
        // Control characters other than line breaks have no place in names and descriptions.
        return When(value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')), field, $"{label} contains control characters.");
    }

    public Validator Range(string field, int? value, int min, int max, string? label = null) =>
        When(value is null || value < min || value > max, field, $"{label ?? field} must be between {min} and {max}.");

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new PortalValidationException(failures.ToList());
        }
    }
}

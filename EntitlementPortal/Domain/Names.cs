using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace EntitlementPortal.Domain;

public static partial class Names
{
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    public static bool IsValidEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 254 || email.Any(char.IsControl))
        {
            return false;
        }
        var trimmed = email.Trim();
        var at = trimmed.LastIndexOf('@');
        return at > 0
            && MailAddress.TryCreate(trimmed, out var parsed)
            && parsed.Address == trimmed
            && IsValidDomain(trimmed[(at + 1)..].ToLowerInvariant());
    }

    public static string DomainOf(string email)
    {
        var normalized = NormalizeEmail(email);
        return normalized[(normalized.LastIndexOf('@') + 1)..];
    }

    /// <summary>A lower-case DNS name with at least two labels (RFC 1035 letters, digits, hyphens).</summary>
    public static bool IsValidDomain(string? domain) =>
        domain is not null && domain.Length <= 253 && DomainPattern().IsMatch(domain);

    public static string FormatDate(DateTime utc) => utc.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();
}

using EntitlementPortal.Domain;

namespace EntitlementPortal.Features.Common;

/// <summary>The "Portal" section of appsettings.json.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Absolute address people reach the portal at; links in e-mails start with it.</summary>
    public string BaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>The organization's own e-mail domains: people from them are internal.</summary>
    public List<string> HomeDomains { get; set; } = ["contoso.com"];

    public List<string> BootstrapAdmins { get; set; } = [];

    /// <summary>The organization's own Microsoft Entra tenant: only its tokens carry roles, and only it signs in home addresses.</summary>
    public string HomeTenantId { get; set; } = "";

    /// <summary>Entra group object ids whose members hold a directory role here, e.g. "{group id}": "CatalogCreator".</summary>
    public Dictionary<string, DirectoryRole> RoleGroups { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool IsHomeDomain(string domain) => HomeDomains.Any(d => string.Equals(d.Trim(), domain, StringComparison.OrdinalIgnoreCase));

    public string Link(string path) => BaseUrl.TrimEnd('/') + "/" + path.TrimStart('/');
}

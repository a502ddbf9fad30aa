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

    public bool IsHomeDomain(string domain) => HomeDomains.Any(d => string.Equals(d.Trim(), domain, StringComparison.OrdinalIgnoreCase));

    public string Link(string path) => BaseUrl.TrimEnd('/') + "/" + path.TrimStart('/');
}

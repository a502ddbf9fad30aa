namespace EntitlementPortal.Tests.Browser;

/// <summary>
/// A test that drives Debian's Chromium. Without Chromium it is skipped with the reason, except in CI, where
/// `.ci/run` installs Chromium and a missing browser must fail the run.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        var mandatory = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!File.Exists(ChromiumPath) && !mandatory)
        {
            Skip = $"Browser test skipped: no Chromium at {ChromiumPath} (apt-get install -y chromium).";
        }
    }
}

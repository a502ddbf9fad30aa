using Microsoft.Extensions.Configuration.Json;

namespace EntitlementPortal;

public static class PortalConfiguration
{
    /// <summary>
    /// The repository-root appsettings.json travels with the build; it goes first so that environment variables
    /// and the command line override it.
    /// </summary>
    public static void AddRepositorySettings(IConfigurationBuilder configuration)
    {
        var source = new JsonConfigurationSource { Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Optional = true };
        source.ResolveFileProvider();
        configuration.Sources.Insert(0, source);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EntitlementPortal.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the web host.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
    {
        // dotnet ef … -- --postgresql works on PostgreSQL's set of migrations; no server is needed to write one.
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        if (args.Contains("--postgresql"))
        {
            PortalDatabase.Configure(options, "Host=localhost;Database=entitlementportal", DatabaseProvider.PostgreSql);
        }
        else
        {
            PortalDatabase.Configure(options, "Data Source=design-time.db");
        }
        return new PortalDbContext(options.Options);
    }
}

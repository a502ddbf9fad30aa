using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;

namespace EntitlementPortal.Data;

/// <summary>
/// One context, two sets of migrations: SQLite's in <c>Data/Migrations</c>, PostgreSQL's in <c>Data/Migrations/PostgreSql</c>
/// (its snapshot class is <c>PostgreSqlModelSnapshot</c>, so the tools write each snapshot to its own file). Each provider
/// sees only its own set.
/// </summary>
#pragma warning disable EF1001 // MigrationsAssembly is EF's own implementation; only the selection by namespace is added.
public sealed class ProviderMigrationsAssembly(
    ICurrentDbContext currentContext, IDbContextOptions options, IMigrationsIdGenerator idGenerator, IDiagnosticsLogger<DbLoggerCategory.Migrations> logger)
    : MigrationsAssembly(currentContext, options, idGenerator, logger)
{
    private readonly string ownNamespace = currentContext.Context.Database.IsNpgsql()
        ? "EntitlementPortal.Data.Migrations.PostgreSql"
        : "EntitlementPortal.Data.Migrations";

    public override IReadOnlyDictionary<string, TypeInfo> Migrations =>
        base.Migrations.Where(m => m.Value.Namespace == ownNamespace).ToDictionary(m => m.Key, m => m.Value);

    public override ModelSnapshot? ModelSnapshot =>
        Assembly.GetTypes()
            .Where(t => t.Namespace == ownNamespace && typeof(ModelSnapshot).IsAssignableFrom(t) && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(PortalDbContext))
            .Select(t => (ModelSnapshot)Activator.CreateInstance(t)!)
            .FirstOrDefault();
}
#pragma warning restore EF1001

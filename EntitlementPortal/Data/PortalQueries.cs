using EntitlementPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Data;

/// <summary>Lookups that every request runs, in several places, compiled once (<see cref="CompiledQuery{TQuery}"/>).</summary>
public static class PortalQueries
{
    private static readonly CompiledQuery<Func<PortalDbContext, Guid, CancellationToken, Task<DirectoryUser?>>> UserById =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, Guid id, CancellationToken ct) =>
            db.Users.SingleOrDefault(u => u.Id == id && u.DeletedDateTime == null)));

    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<DirectoryUser?>>> UserByMail =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, string mail, CancellationToken ct) =>
            db.Users.SingleOrDefault(u => u.MailNormalized == mail && u.DeletedDateTime == null)));

    private static readonly CompiledQuery<Func<PortalDbContext, CancellationToken, Task<ExternalCollaborationSettings>>> Collaboration =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, CancellationToken ct) => db.ExternalCollaborationSettings.AsNoTracking().Single()));

    private static readonly CompiledQuery<Func<PortalDbContext, Guid, CancellationToken, Task<AccessPackage?>>> PackageById =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, Guid id, CancellationToken ct) =>
            db.AccessPackages.AsNoTracking().Include(p => p.IncompatibleAccessPackages).SingleOrDefault(p => p.Id == id)));

    /// <summary>
    /// The access package with the packages it is incompatible with, read only and shared (<see cref="ConfigurationCache"/>);
    /// <see cref="NotFoundException"/> if there is none.
    /// </summary>
    public static async Task<AccessPackage> AccessPackageAsync(this PortalDbContext db, Guid id, CancellationToken ct) =>
        await ConfigurationCache.GetAsync(db, (nameof(AccessPackageAsync), id), () => PackageById.For(db)(db, id, ct), ct)
        ?? throw new NotFoundException("Access package", id);

    /// <summary>The user of this directory with this id, unless removed.</summary>
    public static Task<DirectoryUser?> ActiveUserAsync(this PortalDbContext db, Guid id, CancellationToken ct) => UserById.For(db)(db, id, ct);

    /// <summary>The user of this directory with this normalized e-mail address, unless removed.</summary>
    public static Task<DirectoryUser?> ActiveUserByMailAsync(this PortalDbContext db, string normalizedMail, CancellationToken ct) =>
        UserByMail.For(db)(db, normalizedMail, ct);

    /// <summary>The external collaboration settings, read only and shared (<see cref="ConfigurationCache"/>).</summary>
    public static Task<ExternalCollaborationSettings> CollaborationSettingsAsync(this PortalDbContext db, CancellationToken ct) =>
        ConfigurationCache.GetAsync(db, nameof(CollaborationSettingsAsync), () => Collaboration.For(db)(db, ct), ct);
}

using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Common;

/// <summary>The actor with the roles they hold right now; deny unless a rule allows.</summary>
public sealed class ActorContext
{
    private readonly HashSet<DirectoryRole> directoryRoles;
    private readonly ILookup<Guid, CatalogRole> catalogRoles;

    private ActorContext(Actor actor, DirectoryUser? user, HashSet<DirectoryRole> directoryRoles, ILookup<Guid, CatalogRole> catalogRoles)
    {
        Actor = actor;
        User = user;
        this.directoryRoles = directoryRoles;
        this.catalogRoles = catalogRoles;
    }

    public Actor Actor { get; }
    public DirectoryUser? User { get; }
    public bool IsSystem => Actor.IsSystem;
    public IEnumerable<Guid> CatalogsWithAnyRole => catalogRoles.Select(g => g.Key);

    /// <summary>The portal's own sweeps and the work that follows a person's change (<see cref="Actor.System"/>).</summary>
    public static ActorContext System { get; } = new(Actor.System, null, [], Array.Empty<(Guid, CatalogRole)>().ToLookup(x => x.Item1, x => x.Item2));

    private sealed record Found(DirectoryUser User, List<DirectoryRole> Roles, List<CatalogRoleRow> Catalog);

    private sealed record CatalogRoleRow(Guid CatalogId, CatalogRole Role);

    private static readonly CompiledQuery<Func<PortalDbContext, Guid, CancellationToken, Task<Found?>>> ById =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, Guid id, CancellationToken ct) => db.Users
            .Where(u => u.Id == id && u.DeletedDateTime == null)
            .Select(u => new Found(u,
                db.DirectoryRoleAssignments.Where(r => r.UserId == u.Id).Select(r => r.Role).ToList(),
                db.CatalogRoleAssignments.Where(r => r.UserId == u.Id).Select(r => new CatalogRoleRow(r.CatalogId, r.Role)).ToList()))
            .AsSingleQuery().SingleOrDefault()));

    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<Found?>>> ByMail =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, string mail, CancellationToken ct) => db.Users
            .Where(u => u.MailNormalized == mail && u.DeletedDateTime == null)
            .Select(u => new Found(u,
                db.DirectoryRoleAssignments.Where(r => r.UserId == u.Id).Select(r => r.Role).ToList(),
                db.CatalogRoleAssignments.Where(r => r.UserId == u.Id).Select(r => new CatalogRoleRow(r.CatalogId, r.Role)).ToList()))
            .AsSingleQuery().SingleOrDefault()));

    public static async Task<ActorContext> LoadAsync(PortalDbContext db, Actor actor, CancellationToken ct)
    {
        if (actor.IsSystem)
        {
            return System;
        }
        // One statement for the person and their roles: every page and change of a person begins here. A person holds each of
        // the five directory roles once at most, so joining both lists repeats their catalog roles five times at most.
        var found = actor.UserId is { } id
            ? await ById.For(db)(db, id, ct)
            : await ByMail.For(db)(db, Names.NormalizeEmail(actor.Email), ct);
        var user = found?.User;
        // A blocked or removed account holds no role, whatever the tables say.
        if (user is null || !user.AccountEnabled)
        {
            return new ActorContext(actor, user, [], Array.Empty<(Guid, CatalogRole)>().ToLookup(x => x.Item1, x => x.Item2));
        }
        return new ActorContext(actor, user, [.. found!.Roles], found.Catalog.ToLookup(r => r.CatalogId, r => r.Role));
    }

    public bool HasAny(params DirectoryRole[] roles) => IsSystem || roles.Any(directoryRoles.Contains);

    /// <summary>Global and Identity Governance administrators manage every catalog; others need a role in this one.</summary>
    public bool HasCatalogRole(Guid catalogId, params CatalogRole[] roles) =>
        HasAny(DirectoryRole.GlobalAdministrator, DirectoryRole.IdentityGovernanceAdministrator)
        || roles.Any(r => catalogRoles[catalogId].Contains(r));

    public void Require(bool allowed, string operation)
    {
        if (!allowed)
        {
            throw new ForbiddenException($"You don't have permission to {operation}.");
        }
    }

    /// <summary>The acting user, or null when nobody may act as them: a blocked account owns nothing it can change.</summary>
    public Guid? UserId => User is { AccountEnabled: true } ? User.Id : null;
}

/// <summary>The rules of DESIGN.md "Roles", one place per kind of decision.</summary>
public static class Permissions
{
    public static readonly CatalogRole[] ManageCatalog = [CatalogRole.CatalogOwner];
    public static readonly CatalogRole[] ReadCatalog = [CatalogRole.CatalogOwner, CatalogRole.CatalogReader, CatalogRole.AccessPackageManager, CatalogRole.AccessPackageAssignmentManager];
    public static readonly CatalogRole[] ManageAccessPackages = [CatalogRole.CatalogOwner, CatalogRole.AccessPackageManager];
    public static readonly CatalogRole[] ManageAssignments = [CatalogRole.CatalogOwner, CatalogRole.AccessPackageManager, CatalogRole.AccessPackageAssignmentManager];

    public static bool CanManageLifecycleSettings(this ActorContext a) =>
        a.HasAny(DirectoryRole.GlobalAdministrator, DirectoryRole.UserAdministrator, DirectoryRole.IdentityGovernanceAdministrator);

    public static bool CanManageCollaborationSettings(this ActorContext a) =>
        a.HasAny(DirectoryRole.GlobalAdministrator, DirectoryRole.UserAdministrator);

    public static bool CanManageConnectedOrganizations(this ActorContext a) =>
        a.HasAny(DirectoryRole.GlobalAdministrator, DirectoryRole.IdentityGovernanceAdministrator, DirectoryRole.ConnectedOrganizationAdministrator);

    /// <summary>Pickers need the list of organizations: admins and anyone who manages packages somewhere.</summary>
    public static bool CanReadConnectedOrganizations(this ActorContext a) =>
        a.CanManageConnectedOrganizations() || a.HasAny(DirectoryRole.UserAdministrator) || a.CatalogsWithAnyRole.Any();

    /// <summary>The catalogs list: administrators (a User administrator sets "Enabled for external users") see every catalog.</summary>
    public static bool SeesEveryCatalog(this ActorContext a) =>
        a.HasAny(DirectoryRole.GlobalAdministrator, DirectoryRole.IdentityGovernanceAdministrator, DirectoryRole.UserAdministrator);

    public static bool CanCreateCatalog(this ActorContext a) =>
        a.HasAny(DirectoryRole.GlobalAdministrator, DirectoryRole.IdentityGovernanceAdministrator, DirectoryRole.CatalogCreator);

    /// <summary>DESIGN.md: "Enabled for external users" is for Global administrator, User administrator or Catalog owner.</summary>
    public static bool CanEditCatalog(this ActorContext a, Guid catalogId) =>
        a.HasAny(DirectoryRole.UserAdministrator) || a.HasCatalogRole(catalogId, ManageCatalog);

    public static bool CanManageDirectory(this ActorContext a) =>
        a.HasAny(DirectoryRole.GlobalAdministrator, DirectoryRole.UserAdministrator);
}

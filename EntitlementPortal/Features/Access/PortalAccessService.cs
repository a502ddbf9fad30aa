using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;

namespace EntitlementPortal.Features.Access;

/// <summary>What the navigation and pages may offer; each service still checks again on every call.</summary>
public sealed record Capabilities(
    bool IsSignedIn,
    bool IsInDirectory,
    bool IsAdministrator,
    bool CanManageLifecycleSettings,
    bool CanManageCollaborationSettings,
    bool CanReadConnectedOrganizations,
    bool CanManageConnectedOrganizations,
    bool CanSeeCatalogs,
    bool CanCreateCatalog,
    bool CanSeeUsers,
    bool CanMarkGuestsAsGoverned,
    bool CanSeeAudit,
    bool CanSeeNotifications)
{
    public static Capabilities None { get; } = new(false, false, false, false, false, false, false, false, false, false, false, false, false);
}

public sealed class PortalAccessService(PortalStore store)
{
    public Task<Capabilities> GetAsync(Actor actor, CancellationToken ct = default) =>
        store.ReadAsync(actor, (_, a) =>
        {
            if (actor == Actor.Anonymous)
            {
                return Task.FromResult(Capabilities.None);
            }
            var admin = IsAdministrator(a);
            return Task.FromResult(new Capabilities(
                IsSignedIn: true,
                IsInDirectory: a.User is { AccountEnabled: true },
                IsAdministrator: admin,
                CanManageLifecycleSettings: a.CanManageLifecycleSettings(),
                CanManageCollaborationSettings: a.CanManageCollaborationSettings(),
                CanReadConnectedOrganizations: a.CanReadConnectedOrganizations(),
                CanManageConnectedOrganizations: a.CanManageConnectedOrganizations(),
                CanSeeCatalogs: admin || a.HasAny(DirectoryRole.CatalogCreator) || a.CatalogsWithAnyRole.Any(),
                CanCreateCatalog: a.CanCreateCatalog(),
                CanSeeUsers: admin,
                CanMarkGuestsAsGoverned: a.CanManageLifecycleSettings(),
                CanSeeAudit: admin,
                CanSeeNotifications: admin));
        }, ct);

    /// <summary>False once the person's directory account is blocked: their session ends.</summary>
    public Task<bool> MaySignInAsync(Actor actor, CancellationToken ct = default) =>
        store.ReadAsync(actor, (_, a) => Task.FromResult(a.User is null || a.User.AccountEnabled), ct);

    /// <summary>Global, User and Identity Governance administrators run the portal.</summary>
    public static bool IsAdministrator(ActorContext a) =>
        a.HasAny(DirectoryRole.GlobalAdministrator, DirectoryRole.UserAdministrator, DirectoryRole.IdentityGovernanceAdministrator);
}

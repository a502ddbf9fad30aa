using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Settings;

/// <summary>"Manage the lifecycle of external users", with the seed's labels.</summary>
public sealed record LifecycleSettings(bool BlockExternalUserFromSigningIn, bool RemoveExternalUser, int DaysBeforeRemovingExternalUser);

public sealed class LifecycleSettingsService(PortalStore store)
{
    public Task<LifecycleSettings> GetAsync(Actor actor, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            a.Require(a.CanManageLifecycleSettings(), "view the lifecycle settings of external users");
            var s = await db.EntitlementManagementSettings.SingleAsync(ct);
            return new LifecycleSettings(s.BlockExternalUserFromSigningIn, s.RemoveExternalUser, s.DaysBeforeRemovingExternalUser);
        }, ct);

    /// <summary>The rules of the form, shared by the page (as you type) and the service (on save).</summary>
    public static Validator Validate(LifecycleSettings input) => new Validator()
        .Range(nameof(input.DaysBeforeRemovingExternalUser), input.DaysBeforeRemovingExternalUser, 0, EntitlementManagementSettings.MaxDaysBeforeRemoval,
            "Number of days before removing external user from this directory");

    public Task UpdateAsync(Actor actor, LifecycleSettings input, CancellationToken ct = default)
    {
        Validate(input).ThrowIfInvalid();
        return store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.CanManageLifecycleSettings(), "change the lifecycle settings of external users");
            var settings = await c.Db.EntitlementManagementSettings.SingleAsync(ct);
            settings.Update(input.BlockExternalUserFromSigningIn, input.RemoveExternalUser, input.DaysBeforeRemovingExternalUser, c.Now);
            c.Audit(AuditCategory.EntitlementManagement, "Update entitlement management settings", "Settings", settings.Id, "Lifecycle of external users",
                $"Block={input.BlockExternalUserFromSigningIn}; Remove={input.RemoveExternalUser}; Days={input.DaysBeforeRemovingExternalUser}");
        }, ct);
    }
}

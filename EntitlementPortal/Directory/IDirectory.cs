using EntitlementPortal.Data;
using EntitlementPortal.Domain;

namespace EntitlementPortal.Directory;

public sealed record GuestInvitation(DirectoryUser User, string RedeemToken);

/// <summary>The invitation policy refused the domain; nothing was created.</summary>
public sealed class InvitationBlockedException(string domain)
    : PortalException($"The domain of the user ({domain}) is currently blocked by your invitation policy.");

/// <summary>
/// What entitlement management asks of the directory. Calls join the caller's unit of work (the context),
/// so a directory change and its audit event commit together.
/// </summary>
public interface IDirectory
{
    /// <summary>Creates a governed guest, honouring the collaboration restrictions (allow/deny list).</summary>
    Task<GuestInvitation> InviteGuestAsync(PortalDbContext db, string email, string displayName, Guid? connectedOrganizationId, DateTime now, CancellationToken ct);

    Task AddToRolesAsync(PortalDbContext db, Guid userId, IReadOnlyCollection<Guid> resourceRoleIds, DateTime now, CancellationToken ct);

    /// <summary>Takes each user out of each role named with them, a batch at once, when the unit of work saves.</summary>
    Task RemoveFromRolesAsync(PortalDbContext db, IReadOnlyCollection<(Guid UserId, Guid ResourceRoleId)> memberships, CancellationToken ct);

    /// <summary>Deletes the account and every resource role it holds, whoever granted them, when the unit of work saves.</summary>
    Task DeleteUserAsync(PortalDbContext db, DirectoryUser user, DateTime now, CancellationToken ct);
}

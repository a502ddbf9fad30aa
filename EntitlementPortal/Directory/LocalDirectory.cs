using System.Security.Cryptography;
using System.Text;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Directory;

/// <summary>The directory kept in the portal's own database.</summary>
public sealed class LocalDirectory : IDirectory
{
    public async Task<GuestInvitation> InviteGuestAsync(PortalDbContext db, string email, string displayName, Guid? connectedOrganizationId, DateTime now, CancellationToken ct)
    {
        var domain = Names.DomainOf(email);
        var policy = await db.ExternalCollaborationSettings.SingleAsync(ct);
        if (!policy.AllowsInvitationTo(domain))
        {
            throw new InvitationBlockedException(domain);
        }
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var user = DirectoryUser.InviteGovernedGuest(displayName, email, connectedOrganizationId, HashToken(token), now);
        db.Users.Add(user);
        return new GuestInvitation(user, token);
    }

    public static string HashToken(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async Task AddToRolesAsync(PortalDbContext db, Guid userId, IReadOnlyCollection<Guid> resourceRoleIds, DateTime now, CancellationToken ct)
    {
        var held = await db.ResourceRoleMemberships
            .Where(m => m.UserId == userId && resourceRoleIds.Contains(m.ResourceRoleId))
            .Select(m => m.ResourceRoleId)
            .ToListAsync(ct);
        db.ResourceRoleMemberships.AddRange(resourceRoleIds.Except(held).Select(r => new ResourceRoleMembership(userId, r, now)));
    }

    public async Task RemoveFromRolesAsync(PortalDbContext db, IReadOnlyCollection<(Guid UserId, Guid ResourceRoleId)> memberships, CancellationToken ct)
    {
        if (memberships.Count == 0)
        {
            return;
        }
        var leaving = memberships.ToHashSet();
        var userIds = leaving.Select(m => m.UserId).Distinct().ToList();
        // One parameter for a sweep batch's users, as in AccessGrants.
        var held = await db.ResourceRoleMemberships.Where(m => EF.Parameter(userIds).Contains(m.UserId)).ToListAsync(ct);
        db.ResourceRoleMemberships.RemoveRange(held.Where(m => leaving.Contains((m.UserId, m.ResourceRoleId))));
    }

    public async Task DeleteUserAsync(PortalDbContext db, DirectoryUser user, DateTime now, CancellationToken ct)
    {
        db.ResourceRoleMemberships.RemoveRange(await db.ResourceRoleMemberships.Where(m => m.UserId == user.Id).ToListAsync(ct));
        user.MarkDeleted(now);
    }
}

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
        var policy = await db.CollaborationSettingsAsync(ct);
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
        // A user invited in this unit of work, not yet saved, holds no role.
        var held = db.Users.Local.FindEntry(userId) is { State: EntityState.Added } ? []
            : await db.ResourceRoleMemberships
                .Where(m => m.UserId == userId && resourceRoleIds.Contains(m.ResourceRoleId))
                .Select(m => m.ResourceRoleId)
                .ToListAsync(ct);
        db.ResourceRoleMemberships.AddRange(resourceRoleIds.Except(held).Select(r => new ResourceRoleMembership(userId, r, now)));
    }

    public Task RemoveFromRolesAsync(PortalDbContext db, IReadOnlyCollection<(Guid UserId, Guid ResourceRoleId)> memberships, CancellationToken ct)
    {
        // Deleted by the database with the save, role by role, with one parameter for the users (as in AccessGrants): a
        // sweep batch's memberships are never loaded.
        foreach (var role in memberships.GroupBy(m => m.ResourceRoleId))
        {
            var userIds = role.Select(m => m.UserId).Distinct().ToList();
            db.DeleteOnSave(db.ResourceRoleMemberships.Where(m => m.ResourceRoleId == role.Key && EF.Parameter(userIds).Contains(m.UserId)));
        }
        return Task.CompletedTask;
    }

    public Task DeleteUserAsync(PortalDbContext db, DirectoryUser user, DateTime now, CancellationToken ct)
    {
        // With the save, as RemoveFromRolesAsync: a unit may remove some of these roles first.
        db.DeleteOnSave(db.ResourceRoleMemberships.Where(m => m.UserId == user.Id));
        user.MarkDeleted(now);
        return Task.CompletedTask;
    }
}

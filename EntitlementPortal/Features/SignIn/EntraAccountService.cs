using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.SignIn;

/// <summary>
/// What a validated Entra ID token says about the person signing in. <paramref name="GroupsOmitted"/>: the person is in too
/// many groups for the token, which names none of them (Entra's groups overage).
/// </summary>
public sealed record EntraIdentity(string? Email, string? DisplayName, string? TenantId, IReadOnlyCollection<string> AppRoles, IReadOnlyCollection<string> Groups,
    bool GroupsOmitted = false);

/// <summary>
/// Decides who an Entra ID sign-in is. Roles in a token count only from the organization's own tenant, and each sign-in
/// from it brings the roles the token gives up to date; an address of the organization's own domains must come from that
/// tenant, so another tenant cannot pose as an administrator by e-mail.
/// </summary>
public sealed class EntraAccountService(PortalStore store, IOptions<PortalOptions> options)
{
    private PortalOptions Portal => options.Value;

    /// <summary>Returns the address the portal session is for, or throws <see cref="SignInRefusedException"/>.</summary>
    public async Task<string> SignInAsync(EntraIdentity identity, CancellationToken ct = default)
    {
        if (!Names.IsValidEmail(identity.Email))
        {
            throw new SignInRefusedException("Your Microsoft Entra ID account has no e-mail address the portal can use.");
        }
        var email = Names.NormalizeEmail(identity.Email!);
        var fromHomeTenant = !string.IsNullOrWhiteSpace(Portal.HomeTenantId)
            && string.Equals(identity.TenantId, Portal.HomeTenantId, StringComparison.OrdinalIgnoreCase);
        var homeAddress = Portal.IsHomeDomain(email[(email.IndexOf('@') + 1)..]);
        if (homeAddress && !fromHomeTenant)
        {
            throw new SignInRefusedException("Addresses of this organization sign in through its own Microsoft Entra tenant.");
        }
        if (fromHomeTenant)
        {
            await SyncHomeUserAsync(identity, email, homeAddress, ct);
        }
        return email;
    }

    private Task SyncHomeUserAsync(EntraIdentity identity, string email, bool homeAddress, CancellationToken ct) =>
        store.WriteAsync(Actor.System, async c =>
        {
            var user = await c.Db.ActiveUserByMailAsync(email, ct);
            if (user is null && homeAddress)
            {
                var name = string.IsNullOrWhiteSpace(identity.DisplayName) ? email : identity.DisplayName.Trim();
                user = DirectoryUser.CreateMember(name[..Math.Min(name.Length, 256)], email, c.Now);
                c.Db.Users.Add(user);
                c.Audit(AuditCategory.UserManagement, "Add user", "User", user.Id, user.Mail, "First sign-in with Microsoft Entra ID");
            }
            if (user is null)
            {
                return;
            }
            var granted = identity.AppRoles.Select(r => (Role: ParseRole(r), Source: "app role"))
                .Concat(identity.Groups.Select(g => (Role: Portal.RoleGroups.TryGetValue(g, out var role) ? role : (DirectoryRole?)null, Source: "group")))
                .Where(g => g.Role is not null)
                .DistinctBy(g => g.Role)
                .ToList();
            var held = await c.Db.DirectoryRoleAssignments.Where(r => r.UserId == user.Id).ToListAsync(ct);
            foreach (var (role, source) in granted.Where(g => !held.Any(h => h.Role == g.Role)))
            {
                c.Db.DirectoryRoleAssignments.Add(new DirectoryRoleAssignment(user.Id, role!.Value, fromEntra: true));
                c.Audit(AuditCategory.UserManagement, "Add member to role", "User", user.Id, user.Mail, $"{role} (Microsoft Entra ID {source})");
            }
            // Taken away in Entra (app role unassigned, left the group): the token is the source of these roles. A token
            // that names no groups because there are too many cannot say which are gone.
            foreach (var gone in held.Where(h => h.FromEntra && !identity.GroupsOmitted && !granted.Any(g => g.Role == h.Role)))
            {
                c.Db.DirectoryRoleAssignments.Remove(gone);
                c.Audit(AuditCategory.UserManagement, "Remove member from role", "User", user.Id, user.Mail, $"{gone.Role} (no longer in the Microsoft Entra ID token)");
            }
        }, ct);

    private static DirectoryRole? ParseRole(string value) =>
        Enum.TryParse<DirectoryRole>(value, ignoreCase: true, out var role) && Enum.IsDefined(role) ? role : null;
}

public sealed class SignInRefusedException(string message) : Exception(message);

using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.DirectoryAdmin;

/// <summary>Makes the addresses of Portal:BootstrapAdmins Global administrators, so a real deployment can be taken over.</summary>
public sealed class PortalBootstrap(PortalStore store, IOptions<PortalOptions> options)
{
    public async Task EnsureBootstrapAdminsAsync(CancellationToken ct = default)
    {
        foreach (var email in options.Value.BootstrapAdmins.Where(Names.IsValidEmail).Select(Names.NormalizeEmail).Distinct())
        {
            await store.WriteAsync(Actor.System, async c =>
            {
                var user = await FindOrAddMemberAsync(c, email, email, "Portal:BootstrapAdmins", ct);
                if (!await c.Db.DirectoryRoleAssignments.AnyAsync(r => r.UserId == user.Id && r.Role == DirectoryRole.GlobalAdministrator, ct))
                {
                    c.Db.DirectoryRoleAssignments.Add(new DirectoryRoleAssignment(user.Id, DirectoryRole.GlobalAdministrator));
                    c.Audit(AuditCategory.UserManagement, "Add member to role", "User", user.Id, user.Mail, $"{DirectoryRole.GlobalAdministrator} (Portal:BootstrapAdmins)");
                }
            }, ct);
        }
    }

    /// <summary>
    /// The directory account an API client acts as, holding exactly the one directory role its configuration names:
    /// a role taken out of the configuration is taken off at the next start.
    /// </summary>
    public Task EnsureApiClientAccountAsync(string mail, string displayName, DirectoryRole role, CancellationToken ct = default) =>
        store.WriteAsync(Actor.System, async c =>
        {
            var user = await FindOrAddMemberAsync(c, mail, displayName, "Api:Clients", ct);
            var roles = await c.Db.DirectoryRoleAssignments.Where(r => r.UserId == user.Id).ToListAsync(ct);
            foreach (var other in roles.Where(r => r.Role != role))
            {
                c.Db.DirectoryRoleAssignments.Remove(other);
                c.Audit(AuditCategory.UserManagement, "Remove member from role", "User", user.Id, user.Mail, $"{other.Role} (Api:Clients)");
            }
            if (roles.All(r => r.Role != role))
            {
                c.Db.DirectoryRoleAssignments.Add(new DirectoryRoleAssignment(user.Id, role));
                c.Audit(AuditCategory.UserManagement, "Add member to role", "User", user.Id, user.Mail, $"{role} (Api:Clients)");
            }
        }, ct);

    private static async Task<DirectoryUser> FindOrAddMemberAsync(WriteContext c, string mail, string displayName, string setting, CancellationToken ct)
    {
        var normalized = Names.NormalizeEmail(mail);
        var user = await c.Db.ActiveUserByMailAsync(normalized, ct);
        if (user is null)
        {
            user = DirectoryUser.CreateMember(displayName, mail, c.Now);
            c.Db.Users.Add(user);
            c.Audit(AuditCategory.UserManagement, "Add user", "User", user.Id, user.Mail, setting);
        }
        return user;
    }
}

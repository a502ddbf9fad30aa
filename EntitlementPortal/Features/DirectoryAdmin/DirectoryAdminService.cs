using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.DirectoryAdmin;

/// <summary>Directory upkeep outside access packages: users, resources, roles. Stands in for the tenant's own admin tools.</summary>
public sealed class DirectoryAdminService(PortalStore store)
{
    public Task<Guid> CreateMemberAsync(Actor actor, string displayName, string mail, CancellationToken ct = default) =>
        AddUserAsync(actor, displayName, mail, now => DirectoryUser.CreateMember(displayName, mail, now), "Add user", ct);

    /// <summary>A guest invited outside entitlement management: not governed, so never blocked or removed by it.</summary>
    public Task<Guid> AddExistingGuestAsync(Actor actor, string displayName, string mail, Guid? connectedOrganizationId, CancellationToken ct = default) =>
        AddUserAsync(actor, displayName, mail, now => DirectoryUser.CreateExistingGuest(displayName, mail, connectedOrganizationId, now), "Invite external user", ct);

    public Task<Guid> CreateResourceAsync(Actor actor, string displayName, ResourceType type, IReadOnlyList<string>? roleNames = null, CancellationToken ct = default)
    {
        new Validator().Text(nameof(displayName), displayName, 256, label: "Name").ThrowIfInvalid();
        return store.WriteAsync(actor, c =>
        {
            c.Actor.Require(c.Actor.CanManageDirectory(), "create directory resources");
            var resource = Resource.Create(displayName.Trim(), null, type, roleNames is { Count: > 0 } ? roleNames : Resource.DefaultRoles(type));
            c.Db.Resources.Add(resource);
            c.Audit(AuditCategory.UserManagement, $"Add {type.ToString().ToLowerInvariant()}", "Resource", resource.Id, resource.DisplayName);
            return Task.FromResult(resource.Id);
        }, ct);
    }

    /// <summary>Directory roles are granted by Global administrators only.</summary>
    public Task AssignDirectoryRoleAsync(Actor actor, Guid userId, DirectoryRole role, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.HasAny(DirectoryRole.GlobalAdministrator), "assign directory roles");
            var user = await c.FindAsync<DirectoryUser>(userId, ct);
            var held = await c.Db.DirectoryRoleAssignments.SingleOrDefaultAsync(r => r.UserId == userId && r.Role == role, ct);
            if (held is { FromEntra: false })
            {
                throw new DomainRuleException($"{user.DisplayName} already holds this role.");
            }
            if (held is null)
            {
                c.Db.DirectoryRoleAssignments.Add(new DirectoryRoleAssignment(userId, role));
            }
            else
            {
                held.KeepInPortal();
            }
            c.Audit(AuditCategory.UserManagement, "Add member to role", "User", user.Id, user.Mail, role.ToString());
        }, ct);

    /// <summary>A direct resource membership, as when someone is added to a site outside any access package.</summary>
    public Task AddToResourceRoleAsync(Actor actor, Guid userId, Guid resourceRoleId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.CanManageDirectory(), "change resource memberships");
            var user = await c.FindAsync<DirectoryUser>(userId, ct);
            var role = await c.FindAsync<ResourceRole>(resourceRoleId, ct);
            if (await c.Db.ResourceRoleMemberships.AnyAsync(m => m.UserId == userId && m.ResourceRoleId == resourceRoleId, ct))
            {
                throw new DomainRuleException($"{user.DisplayName} already holds this role.");
            }
            c.Db.ResourceRoleMemberships.Add(new ResourceRoleMembership(userId, resourceRoleId, c.Now));
            c.Audit(AuditCategory.UserManagement, "Add member to resource role", "User", user.Id, user.Mail, role.DisplayName);
        }, ct);

    private Task<Guid> AddUserAsync(Actor actor, string displayName, string mail, Func<DateTime, DirectoryUser> create, string activity, CancellationToken ct)
    {
        new Validator()
            .Text(nameof(displayName), displayName, 256, label: "Name")
            .When(!Names.IsValidEmail(mail), nameof(mail), "Enter a valid e-mail address.")
            .ThrowIfInvalid();
        return store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.CanManageDirectory(), "add users to the directory");
            var normalized = Names.NormalizeEmail(mail);
            if (await c.Db.Users.AnyAsync(u => u.MailNormalized == normalized && u.DeletedDateTime == null, ct))
            {
                throw new PortalValidationException(nameof(mail), $"{mail} is already in the directory.");
            }
            var user = create(c.Now);
            c.Db.Users.Add(user);
            c.Audit(AuditCategory.UserManagement, activity, "User", user.Id, user.Mail);
            return user.Id;
        }, ct);
    }
}

using System.Globalization;
using System.Linq.Expressions;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.ConnectedOrganizations;

public sealed record ConnectedOrganizationInput(string DisplayName, string? Description, IReadOnlyList<string> Domains, IReadOnlyList<string>? TenantIds = null);

public sealed class ConnectedOrganizationService(PortalStore store, IOptions<PortalOptions> options)
{
    public Task<Guid> CreateAsync(Actor actor, ConnectedOrganizationInput input, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.CanManageConnectedOrganizations(), "create connected organizations");
            var (domains, tenants) = await ValidateAsync(c.Db, input, null, ct);
            var org = ConnectedOrganization.Create(input.DisplayName, input.Description, domains, tenants, c.Now);
            c.Db.ConnectedOrganizations.Add(org);
            c.Audit(AuditCategory.EntitlementManagement, "Create connected organization", "ConnectedOrganization", org.Id, org.DisplayName, string.Join(", ", domains.Concat(tenants)));
            return org.Id;
        }, ct);

    public Task UpdateAsync(Actor actor, Guid id, ConnectedOrganizationInput input, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.CanManageConnectedOrganizations(), "edit connected organizations");
            var org = await LoadAsync(c.Db, id, ct);
            var (domains, tenants) = await ValidateAsync(c.Db, input, id, ct);
            org.Update(input.DisplayName, input.Description, domains, tenants, c.Now);
            c.Audit(AuditCategory.EntitlementManagement, "Update connected organization", "ConnectedOrganization", org.Id, org.DisplayName);
        }, ct);

    /// <summary>Refused while a policy names the organization: deleting it would silently change who may request.</summary>
    public Task DeleteAsync(Actor actor, Guid id, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.CanManageConnectedOrganizations(), "delete connected organizations");
            var org = await LoadAsync(c.Db, id, ct);
            var usedBy = await c.Db.AssignmentPolicies
                .Where(p => p.AllowedTargetScope == AllowedTargetScope.SpecificConnectedOrganizationUsers && p.Targets.Any(t => t.TargetId == id))
                .Select(p => p.DisplayName)
                .FirstOrDefaultAsync(ct);
            if (usedBy is not null)
            {
                throw new DomainRuleException($"{org.DisplayName} is used by the policy '{usedBy}'; remove it from the policy first.");
            }
            c.Db.ConnectedOrganizations.Remove(org);
            c.Audit(AuditCategory.EntitlementManagement, "Delete connected organization", "ConnectedOrganization", org.Id, org.DisplayName);
        }, ct);

    /// <summary>An administrator approves an organization that an "All users" request proposed.</summary>
    public Task ConfigureAsync(Actor actor, Guid id, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.CanManageConnectedOrganizations(), "configure connected organizations");
            var org = await LoadAsync(c.Db, id, ct);
            org.Configure(c.Now);
            c.Audit(AuditCategory.EntitlementManagement, "Update connected organization", "ConnectedOrganization", org.Id, org.DisplayName, "State: Proposed -> Configured");
        }, ct);

    /// <summary>Internal sponsors are members of this directory; external sponsors are guests from the organization.</summary>
    public Task AddSponsorAsync(Actor actor, Guid id, Guid userId, SponsorKind kind, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.CanManageConnectedOrganizations(), "change sponsors of connected organizations");
            var org = await LoadAsync(c.Db, id, ct);
            var user = await c.Db.ActiveUserAsync(userId, ct)
                ?? throw new PortalValidationException("UserId", "Choose a user of this directory.");
            var expected = kind == SponsorKind.Internal ? UserType.Member : UserType.Guest;
            if (user.UserType != expected)
            {
                throw new PortalValidationException("UserId", kind == SponsorKind.Internal
                    ? "An internal sponsor must be a member user of this directory."
                    : "An external sponsor must be a guest user from the connected organization.");
            }
            if (kind == SponsorKind.External && user.ConnectedOrganizationId != org.Id && !org.IdentitySources.Any(s => s.Kind == IdentitySourceKind.Domain && s.Value == Names.DomainOf(user.Mail)))
            {
                throw new PortalValidationException("UserId", "An external sponsor must be a guest user from the connected organization.");
            }
            org.AddSponsor(user.Id, kind);
            c.Audit(AuditCategory.EntitlementManagement, $"Add {kind.ToString().ToLowerInvariant()} sponsor to connected organization", "ConnectedOrganization", org.Id, org.DisplayName, user.Mail);
        }, ct);

    public Task RemoveSponsorAsync(Actor actor, Guid id, Guid userId, SponsorKind kind, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.CanManageConnectedOrganizations(), "change sponsors of connected organizations");
            var org = await LoadAsync(c.Db, id, ct);
            org.RemoveSponsor(userId, kind);
            c.Audit(AuditCategory.EntitlementManagement, $"Remove {kind.ToString().ToLowerInvariant()} sponsor from connected organization", "ConnectedOrganization", org.Id, org.DisplayName, userId.ToString());
        }, ct);

    /// <summary>People who may sponsor: members of this directory, and guests from the organization's domains.</summary>
    public Task<(List<DirectoryUser> Members, List<DirectoryUser> Guests)> SponsorCandidatesAsync(Actor actor, IReadOnlyCollection<string> domains, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            a.Require(a.CanManageConnectedOrganizations(), "choose sponsors of connected organizations");
            var members = await db.Users.Where(u => u.UserType == UserType.Member && u.DeletedDateTime == null).OrderBy(u => u.DisplayName).Take(500).ToListAsync(ct);
            var suffixes = domains.Select(d => "@" + d.Trim().ToLowerInvariant()).ToList();
            var guests = (await db.Users.Where(u => u.UserType == UserType.Guest && u.DeletedDateTime == null).OrderBy(u => u.DisplayName).Take(5000).ToListAsync(ct))
                .Where(u => suffixes.Any(s => u.MailNormalized.EndsWith(s, StringComparison.Ordinal))).ToList();
            return (members, guests);
        }, ct);

    public Task<ConnectedOrganization> GetAsync(Actor actor, Guid id, CancellationToken ct = default) =>
        store.ReadAsync(actor, (db, a) =>
        {
            a.Require(a.CanReadConnectedOrganizations(), "view connected organizations");
            return LoadAsync(db, id, ct);
        }, ct);

    /// <summary>Searchable by name (not by domain, as in Entra) and by state; paged on the server.</summary>
    public Task<PagedResult<ConnectedOrganization>> SearchAsync(Actor actor, string? search, ConnectedOrganizationState? state, PageRequest page, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            a.Require(a.CanReadConnectedOrganizations(), "view connected organizations");
            var query = Filter(db, search, state);
            var items = await query.SortAndPage(page, Columns, "DisplayName").Include(o => o.IdentitySources).Include(o => o.Sponsors).AsSplitQuery().ToListAsync(ct);
            return new PagedResult<ConnectedOrganization>(items, await query.CountAsync(ct));
        }, ct);

    public Task<string> ExportCsvAsync(Actor actor, string? search, ConnectedOrganizationState? state, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            a.Require(a.CanReadConnectedOrganizations(), "download connected organizations");
            var orgs = await Filter(db, search, state).OrderBy(o => o.DisplayName).Include(o => o.IdentitySources).Include(o => o.Sponsors).AsSplitQuery().ToListAsync(ct);
            return Csv.Write(["Name", "Description", "State", "Domains", "Tenants", "Internal sponsors", "External sponsors", "Created (UTC)"],
                orgs.Select(o => new[]
                {
                    o.DisplayName, o.Description, o.State.ToString(),
                    string.Join(' ', o.IdentitySources.Where(s => s.Kind == IdentitySourceKind.Domain).Select(s => s.Value)),
                    string.Join(' ', o.IdentitySources.Where(s => s.Kind == IdentitySourceKind.Tenant).Select(s => s.Value)),
                    o.Sponsors.Count(s => s.Kind == SponsorKind.Internal).ToString(CultureInfo.InvariantCulture),
                    o.Sponsors.Count(s => s.Kind == SponsorKind.External).ToString(CultureInfo.InvariantCulture),
                    o.CreatedDateTime.ToString("u"),
                }));
        }, ct);

    private static readonly Dictionary<string, Expression<Func<ConnectedOrganization, object?>>> Columns = new()
    {
        ["DisplayName"] = o => o.DisplayName,
        ["State"] = o => o.State,
        ["CreatedDateTime"] = o => o.CreatedDateTime,
    };

    private static IQueryable<ConnectedOrganization> Filter(PortalDbContext db, string? search, ConnectedOrganizationState? state)
    {
        var query = db.ConnectedOrganizations.AsQueryable();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var words = search.Trim().ToLowerInvariant();
            query = query.Where(o => o.DisplayName.ToLower().Contains(words));
        }
        return state is { } s ? query.Where(o => o.State == s) : query;
    }

    /// <summary>The organization a person belongs to: by Entra tenant first, then by e-mail domain.</summary>
    public static Task<ConnectedOrganization?> FindForAsync(PortalDbContext db, string email, string? tenantId, CancellationToken ct)
    {
        var (domain, tenant) = (Names.DomainOf(email), tenantId?.Trim().ToLowerInvariant());
        return ConfigurationCache.GetAsync(db, (nameof(OrganizationFor), domain, tenant), () => OrganizationFor.For(db)(db, domain, tenant, ct), ct);
    }

    private static readonly CompiledQuery<Func<PortalDbContext, string, string?, CancellationToken, Task<ConnectedOrganization?>>> OrganizationFor =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, string domain, string? tenant, CancellationToken ct) => (
            from s in db.IdentitySources.AsNoTracking()
            where (s.Kind == IdentitySourceKind.Tenant && s.Value == tenant) || (s.Kind == IdentitySourceKind.Domain && s.Value == domain)
            join o in db.ConnectedOrganizations on s.ConnectedOrganizationId equals o.Id
            orderby s.Kind == IdentitySourceKind.Tenant descending
            select o).FirstOrDefault()));

    private static async Task<ConnectedOrganization> LoadAsync(PortalDbContext db, Guid id, CancellationToken ct) =>
        await db.ConnectedOrganizations.Include(o => o.IdentitySources).Include(o => o.Sponsors).AsSplitQuery().SingleOrDefaultAsync(o => o.Id == id, ct)
        ?? throw new NotFoundException("Connected organization", id);

    private async Task<(List<string> Domains, List<string> Tenants)> ValidateAsync(PortalDbContext db, ConnectedOrganizationInput input, Guid? self, CancellationToken ct)
    {
        var v = new Validator()
            .Text(nameof(input.DisplayName), input.DisplayName, 256, label: "Name")
            .Text(nameof(input.Description), input.Description, 4000, required: false, label: "Description");
        var domains = input.Domains.Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0).Distinct().ToList();
        var tenants = (input.TenantIds ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().ToList();
        v.When(domains.Count + tenants.Count == 0, nameof(input.Domains), "Add at least one domain or directory.");
        foreach (var domain in domains)
        {
            v.When(!Names.IsValidDomain(domain), nameof(input.Domains), $"'{domain}' is not a valid domain name.");
            v.When(options.Value.IsHomeDomain(domain), nameof(input.Domains), $"'{domain}' is a domain of this organization.");
        }
        foreach (var tenant in tenants)
        {
            v.When(!Guid.TryParse(tenant, out _), nameof(input.TenantIds), $"'{tenant}' is not a tenant id (a GUID).");
        }
        v.ThrowIfInvalid();
        var taken = await db.IdentitySources
            .Where(s => s.ConnectedOrganizationId != self
                && ((s.Kind == IdentitySourceKind.Domain && domains.Contains(s.Value)) || (s.Kind == IdentitySourceKind.Tenant && tenants.Contains(s.Value))))
            .Join(db.ConnectedOrganizations, s => s.ConnectedOrganizationId, o => o.Id, (s, o) => new { s.Value, o.DisplayName })
            .ToListAsync(ct);
        foreach (var t in taken)
        {
            v.Add(nameof(input.Domains), $"'{t.Value}' already belongs to the connected organization {t.DisplayName}.");
        }
        v.ThrowIfInvalid();
        return (domains, tenants);
    }
}

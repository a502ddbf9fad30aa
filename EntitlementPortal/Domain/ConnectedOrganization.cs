namespace EntitlementPortal.Domain;

public sealed class ConnectedOrganization
{
    private ConnectedOrganization()
    {
    }

    public Guid Id { get; private set; }
    public string DisplayName { get; private set; } = "";
    public string? Description { get; private set; }
    public ConnectedOrganizationState State { get; private set; }
    public DateTime CreatedDateTime { get; private set; }
    public DateTime ModifiedDateTime { get; private set; }
    public List<IdentitySource> IdentitySources { get; private set; } = [];
    public List<ConnectedOrganizationSponsor> Sponsors { get; private set; } = [];

    public static ConnectedOrganization Create(string displayName, string? description, IEnumerable<string> domains, IEnumerable<string> tenantIds, DateTime now) =>
        New(displayName, description, ConnectedOrganizationState.Configured, domains, tenantIds, now);

    /// <summary>Created automatically for a new domain by an "All users" request; not yet approved by an administrator.</summary>
    public static ConnectedOrganization Propose(string domain, DateTime now) =>
        New(domain, $"Automatically created for requests from {domain}.", ConnectedOrganizationState.Proposed, [domain], [], now);

    private static ConnectedOrganization New(string name, string? description, ConnectedOrganizationState state, IEnumerable<string> domains, IEnumerable<string> tenantIds, DateTime now)
    {
        var org = new ConnectedOrganization
        {
            Id = Ids.New(),
            DisplayName = name.Trim(),
            Description = description,
            State = state,
            CreatedDateTime = now,
            ModifiedDateTime = now,
        };
        org.SetIdentitySources(domains, tenantIds);
        return org;
    }

    public void Update(string displayName, string? description, IEnumerable<string> domains, IEnumerable<string> tenantIds, DateTime now)
    {
        DisplayName = displayName.Trim();
        Description = description;
        SetIdentitySources(domains, tenantIds);
        ModifiedDateTime = now;
    }

    public void Configure(DateTime now)
    {
        if (State != ConnectedOrganizationState.Proposed)
        {
            throw new DomainRuleException("Only a proposed connected organization can be configured.");
        }
        State = ConnectedOrganizationState.Configured;
        ModifiedDateTime = now;
    }

    public void AddSponsor(Guid userId, SponsorKind kind)
    {
        if (Sponsors.Any(s => s.UserId == userId && s.Kind == kind))
        {
            throw new DomainRuleException("This user is already a sponsor.");
        }
        Sponsors.Add(new ConnectedOrganizationSponsor(Id, userId, kind));
    }

    public void RemoveSponsor(Guid userId, SponsorKind kind)
    {
        var sponsor = Sponsors.SingleOrDefault(s => s.UserId == userId && s.Kind == kind)
            ?? throw new DomainRuleException("This user is not a sponsor.");
        Sponsors.Remove(sponsor);
    }

    private void SetIdentitySources(IEnumerable<string> domains, IEnumerable<string> tenantIds)
    {
        var wanted = domains.Select(d => (IdentitySourceKind.Domain, d.Trim().ToLowerInvariant()))
            .Concat(tenantIds.Select(t => (IdentitySourceKind.Tenant, t.Trim().ToLowerInvariant())))
            .Distinct()
            .ToList();
        IdentitySources.RemoveAll(s => !wanted.Contains((s.Kind, s.Value)));
        foreach (var (kind, value) in wanted.Where(w => !IdentitySources.Any(s => s.Kind == w.Item1 && s.Value == w.Item2)))
        {
            IdentitySources.Add(new IdentitySource(Id, kind, value));
        }
    }
}

/// <summary>An e-mail domain or an Entra tenant id whose users belong to the organization.</summary>
public sealed class IdentitySource(Guid connectedOrganizationId, IdentitySourceKind kind, string value)
{
    public long Id { get; private set; }
    public Guid ConnectedOrganizationId { get; private set; } = connectedOrganizationId;
    public IdentitySourceKind Kind { get; private set; } = kind;
    public string Value { get; private set; } = value;
}

public sealed class ConnectedOrganizationSponsor(Guid connectedOrganizationId, Guid userId, SponsorKind kind)
{
    public long Id { get; private set; }
    public Guid ConnectedOrganizationId { get; private set; } = connectedOrganizationId;
    public Guid UserId { get; private set; } = userId;
    public SponsorKind Kind { get; private set; } = kind;
}

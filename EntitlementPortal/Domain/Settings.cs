namespace EntitlementPortal.Domain;

/// <summary>"Manage the lifecycle of external users": one row.</summary>
public sealed class EntitlementManagementSettings
{
    public const int SingletonId = 1;
    public const int MaxDaysBeforeRemoval = 3650;

    public int Id { get; private set; } = SingletonId;
    public bool BlockExternalUserFromSigningIn { get; private set; } = true;
    public bool RemoveExternalUser { get; private set; } = true;
    public int DaysBeforeRemovingExternalUser { get; private set; } = 30;
    public DateTime? ModifiedDateTime { get; private set; }

    public void Update(bool block, bool remove, int days, DateTime now)
    {
        BlockExternalUserFromSigningIn = block;
        RemoveExternalUser = remove;
        DaysBeforeRemovingExternalUser = days;
        ModifiedDateTime = now;
    }
}

/// <summary>B2B collaboration restrictions: an allow list or a deny list of domains, never both.</summary>
public sealed class ExternalCollaborationSettings
{
    public const int SingletonId = 1;
    public const int MaxPolicyLength = 25_000;

    public int Id { get; private set; } = SingletonId;
    public CollaborationRestriction CollaborationRestriction { get; private set; } = CollaborationRestriction.AllowAnyDomain;
    public List<string> TargetDomains { get; private set; } = [];
    public DateTime? ModifiedDateTime { get; private set; }

    public void Update(CollaborationRestriction restriction, IEnumerable<string> domains, DateTime now)
    {
        CollaborationRestriction = restriction;
        TargetDomains = restriction == CollaborationRestriction.AllowAnyDomain ? [] : [.. domains];
        ModifiedDateTime = now;
    }

    /// <summary>Exact-domain match: Entra documents no wildcard or subdomain rule.</summary>
    public bool AllowsInvitationTo(string domain) => CollaborationRestriction switch
    {
        CollaborationRestriction.DenySpecifiedDomains => !TargetDomains.Contains(domain),
        CollaborationRestriction.AllowOnlySpecifiedDomains => TargetDomains.Contains(domain),
        _ => true,
    };
}

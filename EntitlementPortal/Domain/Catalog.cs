namespace EntitlementPortal.Domain;

public sealed class Catalog
{
    private Catalog()
    {
    }

    public Guid Id { get; private set; }
    public string DisplayName { get; private set; } = "";
    public string? Description { get; private set; }
    public bool IsEnabled { get; private set; }
    /// <summary>"Enabled for external users": only self-service requests need it, not direct assignment.</summary>
    public bool IsExternallyVisible { get; private set; }
    public DateTime CreatedDateTime { get; private set; }
    public DateTime ModifiedDateTime { get; private set; }
    public List<CatalogResource> Resources { get; private set; } = [];
    public List<CatalogRoleAssignment> RoleAssignments { get; private set; } = [];

    public static Catalog Create(string displayName, string? description, bool isEnabled, bool isExternallyVisible, DateTime now) => new()
    {
        Id = Ids.New(),
        DisplayName = displayName.Trim(),
        Description = description,
        IsEnabled = isEnabled,
        IsExternallyVisible = isExternallyVisible,
        CreatedDateTime = now,
        ModifiedDateTime = now,
    };

    public void Update(string displayName, string? description, bool isEnabled, bool isExternallyVisible, DateTime now)
    {
        DisplayName = displayName.Trim();
        Description = description;
        IsEnabled = isEnabled;
        IsExternallyVisible = isExternallyVisible;
        ModifiedDateTime = now;
    }
}

public sealed class CatalogResource(Guid catalogId, Guid resourceId, DateTime addedDateTime)
{
    public Guid CatalogId { get; private set; } = catalogId;
    public Guid ResourceId { get; private set; } = resourceId;
    public DateTime AddedDateTime { get; private set; } = addedDateTime;
}

public sealed class CatalogRoleAssignment(Guid catalogId, Guid userId, CatalogRole role)
{
    public long Id { get; private set; }
    public Guid CatalogId { get; private set; } = catalogId;
    public Guid UserId { get; private set; } = userId;
    public CatalogRole Role { get; private set; } = role;
}

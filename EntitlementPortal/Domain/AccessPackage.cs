namespace EntitlementPortal.Domain;

public sealed class AccessPackage
{
    private AccessPackage()
    {
    }

    public Guid Id { get; private set; }
    public Guid CatalogId { get; private set; }
    public string DisplayName { get; private set; } = "";
    public string? Description { get; private set; }
    /// <summary>Hidden packages are not listed in My Access; the direct link still works.</summary>
    public bool IsHidden { get; private set; }
    public DateTime CreatedDateTime { get; private set; }
    public DateTime ModifiedDateTime { get; private set; }
    public List<AccessPackageResourceRole> ResourceRoles { get; private set; } = [];
    public List<IncompatibleAccessPackage> IncompatibleAccessPackages { get; private set; } = [];

    public static AccessPackage Create(Guid catalogId, string displayName, string? description, bool isHidden, DateTime now) => new()
    {
        Id = Ids.New(),
        CatalogId = catalogId,
        DisplayName = displayName.Trim(),
        Description = description,
        IsHidden = isHidden,
        CreatedDateTime = now,
        ModifiedDateTime = now,
    };

    public void Update(string displayName, string? description, bool isHidden, DateTime now)
    {
        DisplayName = displayName.Trim();
        Description = description;
        IsHidden = isHidden;
        ModifiedDateTime = now;
    }
}

public sealed class AccessPackageResourceRole(Guid accessPackageId, Guid resourceRoleId)
{
    public Guid AccessPackageId { get; private set; } = accessPackageId;
    public Guid ResourceRoleId { get; private set; } = resourceRoleId;
}

/// <summary>Unidirectional, as in Entra: holders of the incompatible package cannot request this one.</summary>
public sealed class IncompatibleAccessPackage(Guid accessPackageId, Guid incompatibleAccessPackageId)
{
    public Guid AccessPackageId { get; private set; } = accessPackageId;
    public Guid IncompatibleAccessPackageId { get; private set; } = incompatibleAccessPackageId;
}

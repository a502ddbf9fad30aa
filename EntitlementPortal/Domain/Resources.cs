namespace EntitlementPortal.Domain;

/// <summary>A group, application or SharePoint site of the directory.</summary>
public sealed class Resource
{
    private Resource()
    {
    }

    public Guid Id { get; private set; }
    public string DisplayName { get; private set; } = "";
    public string? Description { get; private set; }
    public ResourceType ResourceType { get; private set; }
    public List<ResourceRole> Roles { get; private set; } = [];

    public static Resource Create(string displayName, string? description, ResourceType type, IEnumerable<string> roleNames)
    {
        var resource = new Resource { Id = Ids.New(), DisplayName = displayName, Description = description, ResourceType = type };
        resource.Roles.AddRange(roleNames.Select(name => new ResourceRole(Ids.New(), resource.Id, name)));
        return resource;
    }

    /// <summary>The roles a resource of this type offers when none are named (Entra's defaults).</summary>
    public static IReadOnlyList<string> DefaultRoles(ResourceType type) => type switch
    {
        ResourceType.Group => ["Member", "Owner"],
        ResourceType.Application => ["Default Access"],
        _ => ["Visitors", "Members", "Owners"],
    };
}

public sealed class ResourceRole(Guid id, Guid resourceId, string displayName)
{
    public Guid Id { get; private set; } = id;
    public Guid ResourceId { get; private set; } = resourceId;
    public string DisplayName { get; private set; } = displayName;
}

/// <summary>Who holds a resource role; the directory's membership table.</summary>
public sealed class ResourceRoleMembership(Guid userId, Guid resourceRoleId, DateTime addedDateTime)
{
    public Guid UserId { get; private set; } = userId;
    public Guid ResourceRoleId { get; private set; } = resourceRoleId;
    public DateTime AddedDateTime { get; private set; } = addedDateTime;
}

public sealed class DirectoryRoleAssignment(Guid userId, DirectoryRole role, bool fromEntra = false)
{
    public long Id { get; private set; }
    public Guid UserId { get; private set; } = userId;
    public DirectoryRole Role { get; private set; } = role;

    /// <summary>Held because the person's Entra ID token carried it: it goes when a sign-in's token no longer does.</summary>
    public bool FromEntra { get; private set; } = fromEntra;

    /// <summary>A Global administrator assigned the role in the portal too: it stays whatever the token says.</summary>
    public void KeepInPortal() => FromEntra = false;
}

namespace EntitlementPortal.Tests.Infrastructure;

/// <summary>Who may do what, in DESIGN.md's terms, as groups of the authorization cast. Global and Identity Governance administrators manage every catalog.</summary>
public static class Allow
{
    public static readonly Who[] TenantAdministrators = [Who.GlobalAdministrator, Who.UserAdministrator, Who.IdentityGovernanceAdministrator];
    public static readonly Who[] GovernanceAdministrators = [Who.GlobalAdministrator, Who.IdentityGovernanceAdministrator];
    public static readonly Who[] DirectoryManagers = [Who.GlobalAdministrator, Who.UserAdministrator];
    public static readonly Who[] OrganizationManagers = [.. GovernanceAdministrators, Who.ConnectedOrganizationAdministrator];
    public static readonly Who[] CatalogManagers = [.. GovernanceAdministrators, Who.CatalogOwner];
    public static readonly Who[] PackageManagers = [.. CatalogManagers, Who.AccessPackageManager];
    public static readonly Who[] AssignmentManagers = [.. PackageManagers, Who.AssignmentManager];
    public static readonly Who[] CatalogReaders = [.. AssignmentManagers, Who.CatalogReader];
    /// <summary>Anyone who may create packages somewhere: each sees only their own catalogs.</summary>
    public static readonly Who[] PackageManagersAnywhere = [.. PackageManagers, Who.OwnerOfAnotherCatalog, Who.PackageManagerOfAnotherCatalog];
    public static readonly Who[] AnyCatalogRoleAnywhere =
    [
        Who.CatalogOwner, Who.CatalogReader, Who.AccessPackageManager, Who.AssignmentManager,
        Who.OwnerOfAnotherCatalog, Who.ReaderOfAnotherCatalog, Who.PackageManagerOfAnotherCatalog, Who.AssignmentManagerOfAnotherCatalog,
    ];
    // Pickers need the organizations: their administrators, User administrators and anyone with a role in some catalog.
    public static readonly Who[] OrganizationReaders = [.. OrganizationManagers, Who.UserAdministrator, .. AnyCatalogRoleAnywhere];
    public static readonly Who[] CatalogCreators = [.. GovernanceAdministrators, Who.CatalogCreator];
    // A User administrator sets "Enabled for external users", so reads every catalog's settings.
    public static readonly Who[] CatalogReadersOrUserAdministrator = [.. CatalogReaders, Who.UserAdministrator];
}

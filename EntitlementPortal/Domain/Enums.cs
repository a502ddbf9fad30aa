namespace EntitlementPortal.Domain;

public enum UserType { Member, Guest }

public enum ExternalUserState { PendingAcceptance, Accepted }

/// <summary>Governed guests were invited through entitlement management; only they are blocked and removed.</summary>
public enum SubjectLifecycle { Governed, NotGoverned }

public enum ResourceType { Group, Application, SharePointSite }

public enum ConnectedOrganizationState { Configured, Proposed }

public enum IdentitySourceKind { Domain, Tenant }

public enum SponsorKind { Internal, External }

public enum DirectoryRole
{
    GlobalAdministrator,
    UserAdministrator,
    IdentityGovernanceAdministrator,
    CatalogCreator,
    ConnectedOrganizationAdministrator,
}

public enum CatalogRole { CatalogOwner, CatalogReader, AccessPackageManager, AccessPackageAssignmentManager }

/// <summary>Graph's allowedTargetScope values that apply to users.</summary>
public enum AllowedTargetScope
{
    NotSpecified,
    SpecificDirectoryUsers,
    AllMemberUsers,
    AllDirectoryUsers,
    SpecificConnectedOrganizationUsers,
    AllConfiguredConnectedOrganizationUsers,
    AllExternalUsers,
}

public enum ExpirationType { NoExpiration, AfterDateTime, AfterDuration }

public enum ApproverType { SingleUser, InternalSponsors, ExternalSponsors }

public enum AnswerFormat { ShortText, LongText, MultipleChoice }

public enum RequestType { UserAdd, UserExtend, UserRemove, AdminAdd, AdminRemove, SystemRemove }

public enum RequestState { Submitted, PendingApproval, Delivering, Delivered, PartiallyDelivered, DeliveryFailed, Denied, Canceled }

public enum AssignmentState { Delivering, Delivered, PartiallyDelivered, DeliveryFailed, Expired }

public enum ApprovalDecisionKind { Approve, Deny }

public enum CollaborationRestriction { AllowAnyDomain, DenySpecifiedDomains, AllowOnlySpecifiedDomains }

public static class AllowedTargetScopeExtensions
{
    public static bool IsForExternalUsers(this AllowedTargetScope scope) => scope is
        AllowedTargetScope.SpecificConnectedOrganizationUsers or
        AllowedTargetScope.AllConfiguredConnectedOrganizationUsers or
        AllowedTargetScope.AllExternalUsers;

    public static bool IsForDirectoryUsers(this AllowedTargetScope scope) => scope is
        AllowedTargetScope.SpecificDirectoryUsers or
        AllowedTargetScope.AllMemberUsers or
        AllowedTargetScope.AllDirectoryUsers;

    /// <summary>Entra's priority when several policies apply: lower categories are ignored (1 is highest).</summary>
    public static int Priority(this AllowedTargetScope scope) => scope switch
    {
        AllowedTargetScope.SpecificDirectoryUsers or AllowedTargetScope.SpecificConnectedOrganizationUsers => 1,
        AllowedTargetScope.AllMemberUsers => 2,
        AllowedTargetScope.AllDirectoryUsers => 3,
        _ => 4,
    };
}

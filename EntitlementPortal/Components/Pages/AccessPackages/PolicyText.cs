using EntitlementPortal.Domain;

namespace EntitlementPortal.Components.Pages.AccessPackages;

/// <summary>Entra's words for a policy's settings.</summary>
public static class PolicyText
{
    public static string Scope(AllowedTargetScope scope) => scope switch
    {
        AllowedTargetScope.SpecificDirectoryUsers => "Specific users and groups",
        AllowedTargetScope.AllMemberUsers => "All members (excluding guests)",
        AllowedTargetScope.AllDirectoryUsers => "All users (including guests)",
        AllowedTargetScope.SpecificConnectedOrganizationUsers => "Specific connected organizations",
        AllowedTargetScope.AllConfiguredConnectedOrganizationUsers => "All configured connected organizations",
        AllowedTargetScope.AllExternalUsers => "All users (All connected organizations + any new external users)",
        _ => "None (administrator direct assignments only)",
    };
}

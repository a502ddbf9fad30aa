using System.Net;
using System.Net.Http.Headers;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.DirectoryAdmin;
using EntitlementPortal.Features.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace EntitlementPortal.Tests.Api;

/// <summary>The official Microsoft Graph .NET SDK, pointed at the portal, drives entitlement management as it would in Entra.</summary>
public sealed class GraphSdkTests : IAsyncLifetime
{
    private GraphApiFactory api = null!;
    private GraphServiceClient graph = null!;

    public Task InitializeAsync()
    {
        api = new GraphApiFactory();
        graph = api.Graph();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    private Microsoft.Graph.IdentityGovernance.EntitlementManagement.EntitlementManagementRequestBuilder Em => graph.IdentityGovernance.EntitlementManagement;

    private async Task<(ConnectedOrganization Organization, AccessPackageCatalog Catalog, AccessPackage Package, AccessPackageAssignmentPolicy Policy)> PartnerPackageAsync()
    {
        var organization = await Em.ConnectedOrganizations.PostAsync(new ConnectedOrganization
        {
            DisplayName = "Fabrikam",
            Description = "Partner",
            IdentitySources = [new DomainIdentitySource { DomainName = "fabrikam.com", DisplayName = "fabrikam.com" }],
            State = ConnectedOrganizationState.Configured,
        });
        var catalog = await Em.Catalogs.PostAsync(new AccessPackageCatalog { DisplayName = "Partner projects", Description = "Shared with partners", IsExternallyVisible = true });
        var package = await Em.AccessPackages.PostAsync(new AccessPackage { DisplayName = "Falcon partners", Description = "Project Falcon", Catalog = new AccessPackageCatalog { Id = catalog!.Id } });
        var policy = await Em.AssignmentPolicies.PostAsync(new AccessPackageAssignmentPolicy
        {
            DisplayName = "Partners from connected organizations",
            AllowedTargetScope = AllowedTargetScope.SpecificConnectedOrganizationUsers,
            SpecificAllowedTargets = [new ConnectedOrganizationMembers { ConnectedOrganizationId = organization!.Id }],
            Expiration = new ExpirationPattern { Type = ExpirationPatternType.AfterDuration, Duration = TimeSpan.FromDays(180) },
            RequestorSettings = new AccessPackageAssignmentRequestorSettings { EnableTargetsToSelfAddAccess = true, EnableTargetsToSelfUpdateAccess = true },
            RequestApprovalSettings = new AccessPackageAssignmentApprovalSettings { IsApprovalRequiredForAdd = false, IsApprovalRequiredForUpdate = false },
            AccessPackage = new AccessPackage { Id = package!.Id },
        });
        return (organization, catalog, package, policy!);
    }

    private Task<AccessPackageAssignmentRequest?> AdminAddAsync(AccessPackage package, AccessPackageAssignmentPolicy policy, string email) =>
        Em.AssignmentRequests.PostAsync(new AccessPackageAssignmentRequest
        {
            RequestType = AccessPackageRequestType.AdminAdd,
            Assignment = new AccessPackageAssignment
            {
                Target = new AccessPackageSubject { Email = email, DisplayName = email },
                AdditionalData = new Dictionary<string, object> { ["accessPackageId"] = package.Id!, ["assignmentPolicyId"] = policy.Id! },
            },
        });

    [Fact]
    public async Task The_Graph_SDK_creates_an_organization_a_catalog_a_package_and_a_policy_then_assigns_an_external_address_and_removes_it()
    {
        var (organization, catalog, package, policy) = await PartnerPackageAsync();
        Assert.Equal(ConnectedOrganizationState.Configured, organization.State);
        Assert.Equal("fabrikam.com", Assert.IsType<DomainIdentitySource>(Assert.Single(organization.IdentitySources!)).DomainName);
        Assert.Equal(AllowedTargetScope.SpecificConnectedOrganizationUsers, policy.AllowedTargetScope);
        Assert.Equal(TimeSpan.FromDays(180), policy.Expiration!.Duration);
        Assert.Equal(organization.Id, Assert.IsType<ConnectedOrganizationMembers>(Assert.Single(policy.SpecificAllowedTargets!)).ConnectedOrganizationId);

        var request = await AdminAddAsync(package, policy, "lee@fabrikam.com");
        Assert.Equal(AccessPackageRequestType.AdminAdd, request!.RequestType);
        // The engine delivers right after the request commits: the guest is invited and holds the assignment.
        var delivered = await Em.Assignments.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"state eq 'delivered' and accessPackage/id eq '{package.Id}'";
            r.QueryParameters.Expand = ["target", "accessPackage"];
        });
        var assignment = Assert.Single(delivered!.Value!);
        Assert.Equal("lee@fabrikam.com", assignment.Target!.Email);
        Assert.Equal("Falcon partners", assignment.AccessPackage!.DisplayName);
        Assert.Equal(AccessPackageRequestState.Delivered, (await Em.AssignmentRequests[request.Id].GetAsync())!.State);

        var expanded = await Em.AccessPackages[package.Id].GetAsync(r => r.QueryParameters.Expand = ["assignmentPolicies"]);
        Assert.Equal(policy.Id, Assert.Single(expanded!.AssignmentPolicies!).Id);
        Assert.Equal(catalog.Id, (await Em.Catalogs.GetAsync(r => r.QueryParameters.Filter = "displayName eq 'Partner projects'"))!.Value!.Single().Id);
        Assert.Equal(organization.Id, (await Em.ConnectedOrganizations.GetAsync(r => r.QueryParameters.Filter = "displayName eq 'Fabrikam'"))!.Value!.Single().Id);

        var removal = await Em.AssignmentRequests.PostAsync(new AccessPackageAssignmentRequest
        {
            RequestType = AccessPackageRequestType.AdminRemove,
            Assignment = new AccessPackageAssignment { Id = assignment.Id },
        });
        Assert.Equal(AccessPackageRequestType.AdminRemove, removal!.RequestType);
        Assert.Equal(AccessPackageAssignmentState.Expired, (await Em.Assignments[assignment.Id].GetAsync())!.State);
        var removals = await Em.AssignmentRequests.GetAsync(r => r.QueryParameters.Filter = "requestType eq 'adminRemove'");
        Assert.Equal(removal.Id, Assert.Single(removals!.Value!).Id);
    }

    [Fact]
    public async Task The_Graph_SDK_pages_through_250_assignments_with_top_and_next_links_each_once()
    {
        var (_, _, package, policy) = await PartnerPackageAsync();
        for (var i = 0; i < 250; i++)
        {
            await AdminAddAsync(package, policy, $"guest{i}@fabrikam.com");
        }
        var seen = new List<string>();
        var pages = 0;
        var page = await Em.Assignments.GetAsync(r => r.QueryParameters.Top = 100);
        while (page is not null)
        {
            pages++;
            seen.AddRange(page.Value!.Select(a => a.Id!));
            page = page.OdataNextLink is { } next ? await Em.Assignments.WithUrl(next).GetAsync() : null;
        }
        Assert.Equal(3, pages);
        Assert.Equal(250, seen.Distinct().Count());
        Assert.Equal(250, seen.Count);
        var iterated = new List<string>();
        var iterator = PageIterator<AccessPackageAssignment, AccessPackageAssignmentCollectionResponse>.CreatePageIterator(graph,
            (await Em.Assignments.GetAsync(r => r.QueryParameters.Top = 999))!, a => { iterated.Add(a.Id!); return true; });
        await iterator.IterateAsync();
        Assert.Equal(seen.Order(), iterated.Order());
        var requests = await Em.AssignmentRequests.GetAsync(r => { r.QueryParameters.Filter = "state eq 'delivered'"; r.QueryParameters.Top = 5; });
        Assert.Equal(5, requests!.Value!.Count);
        Assert.NotNull(requests.OdataNextLink);
    }

    [Fact]
    public async Task A_pending_request_is_canceled_and_a_failed_delivery_is_reprocessed_through_the_SDK()
    {
        var (_, _, package, policy) = await PartnerPackageAsync();
        var approver = await api.Factory.Services.GetRequiredService<DirectoryAdminService>().CreateMemberAsync(Actor.System, "Avery Approver", "approver@contoso.com");
        var staff = await Em.AssignmentPolicies.PostAsync(new AccessPackageAssignmentPolicy
        {
            DisplayName = "Staff with approval",
            AllowedTargetScope = AllowedTargetScope.AllMemberUsers,
            Expiration = new ExpirationPattern { Type = ExpirationPatternType.NoExpiration },
            RequestApprovalSettings = new AccessPackageAssignmentApprovalSettings
            {
                IsApprovalRequiredForAdd = true,
                Stages = [new AccessPackageApprovalStage { DurationBeforeAutomaticDenial = TimeSpan.FromDays(14), PrimaryApprovers = [new SingleUser { UserId = approver.ToString() }] }],
            },
            AccessPackage = new AccessPackage { Id = package.Id },
        });
        // The client's own account is a member: it asks for itself, and the request waits for the approver.
        var pending = await Em.AssignmentRequests.PostAsync(new AccessPackageAssignmentRequest
        {
            RequestType = AccessPackageRequestType.UserAdd,
            Justification = "Nightly build needs the share",
            Assignment = new AccessPackageAssignment { AdditionalData = new Dictionary<string, object> { ["accessPackageId"] = package.Id!, ["assignmentPolicyId"] = staff!.Id! } },
        });
        Assert.Equal(AccessPackageRequestState.PendingApproval, pending!.State);
        await Em.AssignmentRequests[pending.Id].Cancel.PostAsync();
        Assert.Equal(AccessPackageRequestState.Canceled, (await Em.AssignmentRequests[pending.Id].GetAsync())!.State);

        var collaboration = api.Factory.Services.GetRequiredService<CollaborationSettingsService>();
        await collaboration.UpdateAsync(Actor.System, new CollaborationSettings(EntitlementPortal.Domain.CollaborationRestriction.DenySpecifiedDomains, "litwareinc.com"));
        var failed = await AdminAddAsync(package, policy, "kai@litwareinc.com");
        Assert.Equal(AccessPackageRequestState.DeliveryFailed, (await Em.AssignmentRequests[failed!.Id].GetAsync())!.State);
        await collaboration.UpdateAsync(Actor.System, new CollaborationSettings(EntitlementPortal.Domain.CollaborationRestriction.AllowAnyDomain, ""));
        await Em.AssignmentRequests[failed.Id].Reprocess.PostAsync();
        Assert.Equal(AccessPackageRequestState.Delivered, (await Em.AssignmentRequests[failed.Id].GetAsync())!.State);
        var again = await Assert.ThrowsAsync<ODataError>(() => Em.AssignmentRequests[pending.Id].Reprocess.PostAsync());
        Assert.Equal(409, again.ResponseStatusCode);
    }

    [Fact]
    public async Task A_directory_user_is_assigned_by_targetId_and_sponsors_are_added_listed_and_removed_by_reference()
    {
        var (organization, _, package, policy) = await PartnerPackageAsync();
        var directory = api.Factory.Services.GetRequiredService<DirectoryAdminService>();
        var member = await directory.CreateMemberAsync(Actor.System, "Sam Staff", "sam@contoso.com");
        var request = await Em.AssignmentRequests.PostAsync(new AccessPackageAssignmentRequest
        {
            RequestType = AccessPackageRequestType.AdminAdd,
            Assignment = new AccessPackageAssignment
            {
                AdditionalData = new Dictionary<string, object> { ["targetId"] = member.ToString(), ["accessPackageId"] = package.Id!, ["assignmentPolicyId"] = policy.Id! },
            },
        });
        Assert.Equal(AccessPackageRequestState.Delivered, (await Em.AssignmentRequests[request!.Id].GetAsync())!.State);
        var assigned = await Em.Assignments.GetAsync(r => { r.QueryParameters.Filter = $"target/objectId eq '{member}'"; r.QueryParameters.Expand = ["target"]; });
        Assert.Equal("sam@contoso.com", Assert.Single(assigned!.Value!).Target!.Email);

        var sponsors = Em.ConnectedOrganizations[organization.Id];
        await sponsors.InternalSponsors.Ref.PostAsync(new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/users/{member}" });
        Assert.Equal("Sam Staff", Assert.IsType<User>(Assert.Single((await sponsors.InternalSponsors.GetAsync())!.Value!)).DisplayName);
        Assert.Empty((await sponsors.ExternalSponsors.GetAsync())!.Value!);
        await sponsors.InternalSponsors[member.ToString()].Ref.DeleteAsync();
        Assert.Empty((await sponsors.InternalSponsors.GetAsync())!.Value!);
        Assert.Single((await Em.Catalogs.GetAsync(r => r.QueryParameters.Filter = "state eq 'published'"))!.Value!);
        Assert.Empty((await Em.Catalogs.GetAsync(r => r.QueryParameters.Filter = "state eq 'unpublished'"))!.Value!);
    }

    [Fact]
    public async Task Settings_are_patched_and_read_back_with_an_ISO_8601_duration()
    {
        await Em.Settings.PatchAsync(new EntitlementManagementSettings
        {
            ExternalUserLifecycleAction = AccessPackageExternalUserLifecycleAction.BlockSignInAndDelete,
            DurationUntilExternalUserDeletedAfterBlocked = TimeSpan.FromDays(4),
        });
        var settings = await Em.Settings.GetAsync();
        Assert.Equal(AccessPackageExternalUserLifecycleAction.BlockSignInAndDelete, settings!.ExternalUserLifecycleAction);
        Assert.Equal(TimeSpan.FromDays(4), settings.DurationUntilExternalUserDeletedAfterBlocked);

        await Em.Settings.PatchAsync(new EntitlementManagementSettings { ExternalUserLifecycleAction = AccessPackageExternalUserLifecycleAction.BlockSignIn });
        var lifecycle = api.Factory.Services.GetRequiredService<LifecycleSettingsService>();
        Assert.Equal(new LifecycleSettings(BlockExternalUserFromSigningIn: true, RemoveExternalUser: false, DaysBeforeRemovingExternalUser: 4), await lifecycle.GetAsync(Actor.System));
    }

    [Fact]
    public async Task Removal_without_a_block_which_Graph_cannot_name_reads_as_unknownFutureValue_and_none_turns_both_off()
    {
        var lifecycle = api.Factory.Services.GetRequiredService<LifecycleSettingsService>();
        await lifecycle.UpdateAsync(Actor.System, new LifecycleSettings(BlockExternalUserFromSigningIn: false, RemoveExternalUser: true, DaysBeforeRemovingExternalUser: 30));
        Assert.Equal(AccessPackageExternalUserLifecycleAction.UnknownFutureValue, (await Em.Settings.GetAsync())!.ExternalUserLifecycleAction);
        await Em.Settings.PatchAsync(new EntitlementManagementSettings { ExternalUserLifecycleAction = AccessPackageExternalUserLifecycleAction.None });
        Assert.Equal(new LifecycleSettings(false, false, 30), await lifecycle.GetAsync(Actor.System));
    }

    [Fact]
    public async Task A_client_can_do_exactly_what_its_role_may_and_is_audited_as_itself()
    {
        var creator = api.Graph("catalog-bot");
        var catalog = await creator.IdentityGovernance.EntitlementManagement.Catalogs.PostAsync(new AccessPackageCatalog { DisplayName = "Bot catalog" });
        Assert.NotNull(catalog!.Id);
        var refused = await Assert.ThrowsAsync<ODataError>(() => creator.IdentityGovernance.EntitlementManagement.ConnectedOrganizations.PostAsync(
            new ConnectedOrganization { DisplayName = "Nope", IdentitySources = [new DomainIdentitySource { DomainName = "nope.com" }] }));
        Assert.Equal(403, refused.ResponseStatusCode);
        Assert.Equal("Authorization_RequestDenied", refused.Error!.Code);
        var settingsRefused = await Assert.ThrowsAsync<ODataError>(() => creator.IdentityGovernance.EntitlementManagement.Settings.GetAsync());
        Assert.Equal(403, settingsRefused.ResponseStatusCode);
        // A catalog creator sees the catalogs it owns, not the others.
        await Em.Catalogs.PostAsync(new AccessPackageCatalog { DisplayName = "Administrators' catalog" });
        Assert.Equal(["Bot catalog"], (await creator.IdentityGovernance.EntitlementManagement.Catalogs.GetAsync())!.Value!.Select(c => c.DisplayName));

        var audit = await api.Factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<EntitlementPortal.Data.PortalDbContext>>().CreateDbContext()
            .AuditEvents.Where(e => e.Activity == "Create catalog").Select(e => e.ActorName).ToListAsync();
        Assert.Contains("catalog-bot@api-clients.invalid", audit);
    }

    [Fact]
    public async Task Bad_requests_get_Graph_errors_with_the_status_and_a_message()
    {
        var unknownProperty = await Assert.ThrowsAsync<ODataError>(() => Em.Assignments.GetAsync(r => r.QueryParameters.Filter = "colour eq 'blue'"));
        Assert.Equal(400, unknownProperty.ResponseStatusCode);
        Assert.Contains("colour", unknownProperty.Error!.Message);
        var notFound = await Assert.ThrowsAsync<ODataError>(() => Em.AccessPackages[Guid.NewGuid().ToString()].GetAsync());
        Assert.Equal(404, notFound.ResponseStatusCode);
        var invalid = await Assert.ThrowsAsync<ODataError>(() => Em.Catalogs.PostAsync(new AccessPackageCatalog { DisplayName = "" }));
        Assert.Equal(400, invalid.ResponseStatusCode);
        var badDuration = await Assert.ThrowsAsync<ODataError>(() => Em.Settings.PatchAsync(new EntitlementManagementSettings { DurationUntilExternalUserDeletedAfterBlocked = TimeSpan.FromHours(5) }));
        Assert.Equal(400, badDuration.ResponseStatusCode);
        Assert.Contains("whole days", badDuration.Error!.Message);

        var token = await api.TokenAsync();
        foreach (var (path, body) in new[]
        {
            ("catalogs", "{not json"),
            ("catalogs", "[1, 2]"),
            ("catalogs", """{"displayName": 5}"""),
            ("accessPackages", """{"displayName": "No catalog"}"""),
            ("assignmentPolicies", """{"displayName": "x", "accessPackage": {"id": "not-a-guid"}}"""),
            ("assignmentRequests", """{"requestType": "adminAdd"}"""),
            ("assignmentRequests", """{"requestType": "onBehalfAdd", "assignment": {}}"""),
            ("connectedOrganizations", """{"displayName": "x", "identitySources": [{"@odata.type": "#microsoft.graph.socialIdentitySource"}]}"""),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1.0/identityGovernance/entitlementManagement/{path}")
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await api.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {body}: {response.StatusCode}");
            using var error = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("BadRequest", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        }
    }
}

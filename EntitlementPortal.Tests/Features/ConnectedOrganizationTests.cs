using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.Requests;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Features;

public class ConnectedOrganizationTests : ServiceTests
{
    [Fact]
    public async Task All_users_policy_creates_a_proposed_connected_organization_for_a_new_domain_and_requires_approval()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { AllowedTargetScope = AllowedTargetScope.AllExternalUsers, SpecificAllowedTargets = [] });
        var requestId = await s.RequestAsync(Actor.ForEmail("sam@tailspintoys.com"));
        var org = await portal.QueryAsync(db => db.ConnectedOrganizations.Include(o => o.IdentitySources).SingleAsync(o => o.DisplayName == "tailspintoys.com"));
        Assert.Equal(ConnectedOrganizationState.Proposed, org.State);
        Assert.Equal("tailspintoys.com", Assert.Single(org.IdentitySources).Value);
        var request = await portal.RequestAsync(requestId);
        Assert.Equal(RequestState.PendingApproval, request.State);
        Assert.Equal(org.Id, request.TargetConnectedOrganizationId);
    }

    [Fact]
    public async Task All_users_policy_without_approval_is_refused()
    {
        await using var portal = await CreatePortalAsync();
        var error = await Assert.ThrowsAsync<PortalValidationException>(() => Scenario.CreateAsync(portal,
            (_, d) => d with { AllowedTargetScope = AllowedTargetScope.AllExternalUsers, SpecificAllowedTargets = [], IsApprovalRequired = false, Stages = [] }));
        Assert.Contains(error.Failures, f => f.Field == nameof(PolicyDefinition.IsApprovalRequired));
    }

    [Fact]
    public async Task All_configured_connected_organizations_refuses_users_from_a_proposed_one()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { AllowedTargetScope = AllowedTargetScope.AllExternalUsers, SpecificAllowedTargets = [] });
        await s.RequestAsync(Actor.ForEmail("sam@tailspintoys.com"));
        var configuredOnly = await portal.Packages.CreateAsync(portal.Admin, new AccessPackageInput(s.CatalogId, "Configured partners only", null));
        await portal.Policies.CreateAsync(portal.Admin, configuredOnly, Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with
        {
            AllowedTargetScope = AllowedTargetScope.AllConfiguredConnectedOrganizationUsers, SpecificAllowedTargets = [],
        });
        var refused = await Assert.ThrowsAsync<NotEligibleException>(() => s.RequestAsync(Actor.ForEmail("alex@tailspintoys.com"), configuredOnly));
        Assert.Equal(IneligibilityReason.NotInScopeOfAnyPolicy, refused.Reason);
        // Fabrikam is configured, so its users may request.
        await s.RequestAsync(Actor.ForEmail("lee@fabrikam.com"), configuredOnly);
        // Once an administrator configures the proposed organization, its users may request too.
        var proposed = await portal.QueryAsync(db => db.ConnectedOrganizations.SingleAsync(o => o.State == ConnectedOrganizationState.Proposed));
        await portal.Organizations.ConfigureAsync(portal.Admin, proposed.Id);
        await s.RequestAsync(Actor.ForEmail("alex@tailspintoys.com"), configuredOnly);
    }

    [Fact]
    public async Task User_from_a_domain_of_no_connected_organization_is_not_in_scope_of_specific_organizations()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var refused = await Assert.ThrowsAsync<NotEligibleException>(() => s.RequestAsync(Actor.ForEmail("sam@tailspintoys.com")));
        Assert.Equal("Your organization is not allowed to request this access package.", refused.Message);
        Assert.Empty(await portal.QueryAsync(db => db.AssignmentRequests.ToListAsync()));
    }

    [Fact]
    public async Task Organization_matches_by_entra_tenant_before_domain()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var tenant = Guid.NewGuid().ToString();
        var tenantOrg = await portal.Organizations.CreateAsync(portal.Admin, new ConnectedOrganizationInput("Wingtip Toys", null, [], [tenant]));
        await using var db = portal.NewDb();
        var found = await ConnectedOrganizationService.FindForAsync(db, "lee@fabrikam.com", tenant.ToUpperInvariant(), CancellationToken.None);
        Assert.Equal(tenantOrg, found!.Id);
        Assert.Equal(s.OrganizationId, (await ConnectedOrganizationService.FindForAsync(db, "lee@fabrikam.com", null, CancellationToken.None))!.Id);
    }

    [Theory]
    [InlineData("", "fabrikam2.com", "DisplayName")]
    [InlineData("Tailspin", "not_a_domain", "Domains")]
    [InlineData("Tailspin", "contoso.com", "Domains")]
    [InlineData("Tailspin", "fabrikam.com", "Domains")]
    public async Task Invalid_connected_organizations_are_refused_with_the_field(string name, string domain, string field)
    {
        await using var portal = await CreatePortalAsync();
        await portal.Organizations.CreateAsync(portal.Admin, new ConnectedOrganizationInput("Fabrikam", null, ["fabrikam.com"]));
        var error = await Assert.ThrowsAsync<PortalValidationException>(() => portal.Organizations.CreateAsync(portal.Admin, new ConnectedOrganizationInput(name, null, [domain])));
        Assert.Contains(error.Failures, f => f.Field == field);
        Assert.Equal(1, await portal.QueryAsync(db => db.ConnectedOrganizations.CountAsync()));
    }

    [Fact]
    public async Task Organization_used_by_a_policy_cannot_be_deleted_but_an_unused_one_can()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await Assert.ThrowsAsync<DomainRuleException>(() => portal.Organizations.DeleteAsync(portal.Admin, s.OrganizationId));
        var unused = await portal.Organizations.CreateAsync(portal.Admin, new ConnectedOrganizationInput("Wingtip Toys", null, ["wingtiptoys.com"]));
        await portal.Organizations.DeleteAsync(portal.Admin, unused);
        Assert.Null(await portal.QueryAsync(db => db.ConnectedOrganizations.SingleOrDefaultAsync(o => o.Id == unused)));
    }

    [Fact]
    public async Task External_sponsors_approve_requests_of_their_organization()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with
        {
            Stages = [new ApprovalStage { DurationBeforeAutomaticDenialInDays = 7, PrimaryApprovers = [new Approver { Type = ApproverType.ExternalSponsors }] }],
        });
        var sponsorId = await portal.DirectoryAdmin.AddExistingGuestAsync(portal.Admin, "Sponsor", "sponsor@fabrikam.com", s.OrganizationId);
        await portal.Organizations.AddSponsorAsync(portal.Admin, s.OrganizationId, sponsorId, SponsorKind.External);
        var requestId = await s.RequestAsync(Actor.ForEmail("lee@fabrikam.com"));
        Assert.Single(await portal.EmailsToAsync("sponsor@fabrikam.com"));
        await Assert.ThrowsAsync<ForbiddenException>(() => portal.Approvals.ApproveAsync(s.Approver, requestId));
        await portal.Approvals.ApproveAsync(new Actor(sponsorId, "sponsor@fabrikam.com"), requestId);
        Assert.Equal(RequestState.Delivered, (await portal.RequestAsync(requestId)).State);
    }

    [Fact]
    public async Task An_internal_sponsor_must_be_a_member_and_an_external_sponsor_a_guest_of_the_organization()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var guestId = await portal.DirectoryAdmin.AddExistingGuestAsync(portal.Admin, "Other", "other@wingtiptoys.com", null);
        await Assert.ThrowsAsync<PortalValidationException>(() => portal.Organizations.AddSponsorAsync(portal.Admin, s.OrganizationId, guestId, SponsorKind.Internal));
        await Assert.ThrowsAsync<PortalValidationException>(() => portal.Organizations.AddSponsorAsync(portal.Admin, s.OrganizationId, guestId, SponsorKind.External));
        await portal.Organizations.AddSponsorAsync(portal.Admin, s.OrganizationId, s.Approver.UserId!.Value, SponsorKind.Internal);
    }
}

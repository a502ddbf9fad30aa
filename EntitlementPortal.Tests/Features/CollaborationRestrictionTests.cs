using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Requests;
using EntitlementPortal.Features.Settings;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Features;

/// <summary>The B2B allow/deny list decides who is invited at delivery.</summary>
public class CollaborationRestrictionTests : ServiceTests
{
    [Fact]
    public async Task A_domain_denied_while_the_request_waits_for_approval_is_not_invited_and_the_request_ends_DeliveryFailed_with_the_reason_and_nothing_else_written()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail("lee@fabrikam.com"));
        await portal.Collaboration.UpdateAsync(portal.Admin, new CollaborationSettings(CollaborationRestriction.DenySpecifiedDomains, "fabrikam.com"));
        var before = await CountsAsync(portal);

        // The approval delivers at once, and the delivery meets the invitation policy.
        await portal.Approvals.ApproveAsync(s.Approver, requestId);

        var request = await portal.RequestAsync(requestId);
        Assert.Equal(RequestState.DeliveryFailed, request.State);
        Assert.Contains("fabrikam.com", request.DeliveryError);
        Assert.Contains("blocked by your invitation policy", request.DeliveryError);
        Assert.Equal(before, await CountsAsync(portal));
        Assert.Equal("failure", Assert.Single(await portal.AuditAsync("Fulfill access package assignment")).Result);
    }

    [Fact]
    public async Task Domain_missing_from_an_allow_list_is_not_invited_on_direct_assignment_by_email()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await portal.Collaboration.UpdateAsync(portal.Admin, new CollaborationSettings(CollaborationRestriction.AllowOnlySpecifiedDomains, "wingtiptoys.com"));
        var requestId = await portal.Requests.AssignDirectlyAsync(portal.Admin, new DirectAssignmentInput(s.PackageId, s.PolicyId, Email: "lee@fabrikam.com"));
        await portal.Delivery.DeliverPendingAsync();
        Assert.Equal(RequestState.DeliveryFailed, (await portal.RequestAsync(requestId)).State);
        Assert.Null(await portal.QueryAsync(db => db.Users.SingleOrDefaultAsync(u => u.MailNormalized == "lee@fabrikam.com")));
    }

    [Fact]
    public async Task Allowed_domain_is_invited()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await portal.Collaboration.UpdateAsync(portal.Admin, new CollaborationSettings(CollaborationRestriction.AllowOnlySpecifiedDomains, "Fabrikam.com\n"));
        await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        Assert.Equal(UserType.Guest, (await portal.UserAsync("lee@fabrikam.com")).UserType);
    }

    [Fact]
    public async Task A_new_external_user_from_a_denied_domain_is_told_before_requesting()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await portal.Collaboration.UpdateAsync(portal.Admin, new CollaborationSettings(CollaborationRestriction.DenySpecifiedDomains, "fabrikam.com"));
        var refused = await Assert.ThrowsAsync<NotEligibleException>(() => s.RequestAsync(Actor.ForEmail("lee@fabrikam.com")));
        Assert.Equal(IneligibilityReason.DomainBlockedByInvitationPolicy, refused.Reason);
    }

    [Fact]
    public async Task Reprocessing_after_the_list_is_fixed_delivers_within_14_days_only()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await portal.Collaboration.UpdateAsync(portal.Admin, new CollaborationSettings(CollaborationRestriction.AllowOnlySpecifiedDomains, "wingtiptoys.com"));
        var failed = await portal.Requests.AssignDirectlyAsync(portal.Admin, new DirectAssignmentInput(s.PackageId, s.PolicyId, Email: "lee@fabrikam.com"));
        var late = await portal.Requests.AssignDirectlyAsync(portal.Admin, new DirectAssignmentInput(s.PackageId, s.PolicyId, Email: "kim@fabrikam.com"));
        await portal.Delivery.DeliverPendingAsync();
        await portal.Collaboration.UpdateAsync(portal.Admin, new CollaborationSettings(CollaborationRestriction.AllowAnyDomain, ""));
        portal.Clock.Advance(TimeSpan.FromDays(14));
        await portal.Requests.ReprocessAsync(portal.Admin, failed);
        portal.Clock.Advance(TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<DomainRuleException>(() => portal.Requests.ReprocessAsync(portal.Admin, late));
        await portal.Delivery.DeliverPendingAsync();
        Assert.Equal(RequestState.Delivered, (await portal.RequestAsync(failed)).State);
    }

    [Theory]
    [InlineData("fabrikam.com\nnot a domain", "Line 2: 'not a domain' is not a valid domain name.")]
    [InlineData("fabrikam.com\nFABRIKAM.com", "Line 2: 'fabrikam.com' is listed more than once.")]
    [InlineData("-bad.com", "Line 1: '-bad.com' is not a valid domain name.")]
    [InlineData("", "Add at least one domain, one per line.")]
    [InlineData("fabrikam.com\u0000", "Line 1: 'fabrikam.com\u0000' is not a valid domain name.")]
    public async Task Target_domains_are_validated_per_line_and_nothing_is_saved(string domains, string message)
    {
        await using var portal = await CreatePortalAsync();
        var error = await Assert.ThrowsAsync<PortalValidationException>(() =>
            portal.Collaboration.UpdateAsync(portal.Admin, new CollaborationSettings(CollaborationRestriction.DenySpecifiedDomains, domains)));
        Assert.Contains(error.Failures, f => f.Field == "TargetDomains" && f.Message == message);
        Assert.Equal(CollaborationRestriction.AllowAnyDomain, (await portal.Collaboration.GetAsync(portal.Admin)).CollaborationRestriction);
    }

    [Fact]
    public async Task Target_domains_longer_than_25000_characters_in_all_are_refused()
    {
        await using var portal = await CreatePortalAsync();
        var domains = string.Join('\n', Enumerable.Range(0, 1700).Select(i => $"partner{i:D5}.example.com"));
        var error = await Assert.ThrowsAsync<PortalValidationException>(() =>
            portal.Collaboration.UpdateAsync(portal.Admin, new CollaborationSettings(CollaborationRestriction.AllowOnlySpecifiedDomains, domains)));
        Assert.Contains("25,000", Assert.Single(error.Failures).Message);
    }

    [Fact]
    public async Task Domains_are_stored_lower_cased_and_switching_to_any_domain_discards_the_list()
    {
        await using var portal = await CreatePortalAsync();
        await portal.Collaboration.UpdateAsync(portal.Admin, new CollaborationSettings(CollaborationRestriction.DenySpecifiedDomains, " Contoso-Partner.COM \r\nwingtiptoys.com"));
        Assert.Equal("contoso-partner.com\nwingtiptoys.com", (await portal.Collaboration.GetAsync(portal.Admin)).TargetDomains);
        await portal.Collaboration.UpdateAsync(portal.Admin, new CollaborationSettings(CollaborationRestriction.AllowAnyDomain, "ignored.com"));
        Assert.Equal("", (await portal.Collaboration.GetAsync(portal.Admin)).TargetDomains);
    }

    private static Task<(int Users, int Assignments, int Memberships, int Emails)> CountsAsync(TestPortal portal) =>
        portal.QueryAsync(async db => (await db.Users.CountAsync(), await db.Assignments.CountAsync(), await db.ResourceRoleMemberships.CountAsync(), await db.OutboxEmails.CountAsync()));
}

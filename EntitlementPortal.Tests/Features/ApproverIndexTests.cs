using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.MyAccess;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EntitlementPortal.Tests.Features;

/// <summary>
/// What the approvals tab reads by index: the file of waiting requests (<see cref="PendingApprovalRoute"/>) and the
/// decisions fellow approvers took (<see cref="ApprovalHistoryEntry"/>).
/// </summary>
public class ApproverIndexTests : ServiceTests
{
    private const string Partner = "lee@fabrikam.com";

    [Fact]
    public async Task A_waiting_request_is_filed_under_every_named_approver_and_the_sponsored_organization_of_any_stage_until_its_last_stage_is_approved()
    {
        await using var portal = await CreatePortalAsync();
        var (s, alternate) = await TwoStagesAsync(portal);
        var sponsor = await portal.MemberAsync("Sasha Sponsor", "sponsor@contoso.com");
        await portal.Organizations.AddSponsorAsync(portal.Admin, s.OrganizationId, sponsor.UserId!.Value, SponsorKind.Internal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        var routes = new[] { s.Approver.UserId!.Value, alternate.UserId!.Value, s.OrganizationId }.Order();
        Assert.Equal(routes, await RoutesAsync(portal, requestId));

        await portal.Approvals.ApproveAsync(s.Approver, requestId, "Known partner");
        Assert.Equal(routes, await RoutesAsync(portal, requestId));
        var myAccess = portal.Get<MyAccessService>();
        Assert.Empty(await myAccess.PendingApprovalsAsync(s.Approver));
        Assert.Equal([requestId], (await myAccess.PendingApprovalsAsync(sponsor)).Select(a => a.RequestId));

        await portal.Approvals.ApproveAsync(sponsor, requestId, "Our partner");
        Assert.Empty(await RoutesAsync(portal, requestId));
        Assert.Empty(await myAccess.PendingApprovalsAsync(sponsor));
    }

    [Theory]
    [InlineData("denied")]
    [InlineData("canceled by the requestor")]
    [InlineData("timed out")]
    public async Task A_request_that_stops_waiting_is_taken_out_of_the_file_and_off_the_approvals_list(string how)
    {
        await using var portal = await CreatePortalAsync();
        var (s, _) = await TwoStagesAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail(Partner));
        // A day later, so it still waits when the first times out: only what stopped leaves the file.
        await portal.AdvanceAsync(TimeSpan.FromDays(1));
        var other = await s.RequestAsync(Actor.ForEmail("kim@fabrikam.com"));
        await (how switch
        {
            "denied" => portal.Approvals.DenyAsync(s.Approver, requestId, "Not on the project"),
            "canceled by the requestor" => portal.Requests.CancelAsync(Actor.ForEmail(Partner), requestId),
            _ => portal.AdvanceAsync(TimeSpan.FromDays(13)),
        });
        Assert.NotEqual(RequestState.PendingApproval, (await portal.RequestAsync(requestId)).State);
        Assert.Empty(await RoutesAsync(portal, requestId));
        Assert.Equal(3, (await RoutesAsync(portal, other)).Count);
        Assert.DoesNotContain(requestId, (await portal.Get<MyAccessService>().PendingApprovalsAsync(s.Approver)).Select(a => a.RequestId));
    }

    [Fact]
    public async Task Upgrading_files_the_requests_already_waiting_under_their_approvers_and_past_decisions_under_their_fellow_approvers()
    {
        await using var portal = await CreatePortalAsync();
        var (s, alternate) = await TwoStagesAsync(portal);
        var waiting = await s.RequestAsync(Actor.ForEmail(Partner));
        var denied = await s.RequestAsync(Actor.ForEmail("kim@fabrikam.com"));
        await portal.Approvals.DenyAsync(s.Approver, denied, "Not on the project");
        await using (var db = portal.NewDb())
        {
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_PendingApprovalRoutes", StringComparison.Ordinal)) - 1]);
            await db.Database.MigrateAsync();
        }
        Assert.Equal(new[] { s.Approver.UserId!.Value, alternate.UserId!.Value, s.OrganizationId }.Order(), await RoutesAsync(portal, waiting));
        Assert.Empty(await RoutesAsync(portal, denied));
        var myAccess = portal.Get<MyAccessService>();
        Assert.Equal([waiting], (await myAccess.PendingApprovalsAsync(s.Approver)).Select(a => a.RequestId));
        Assert.Equal([(denied, false)], (await myAccess.ApprovalHistoryAsync(alternate)).Select(a => (a.RequestId, a.DecidedByMe)));
    }

    /// <summary>Stage one: the scenario's approver, escalating to an alternate; stage two: Fabrikam's internal sponsors.</summary>
    private static async Task<(Scenario Scenario, Actor Alternate)> TwoStagesAsync(TestPortal portal)
    {
        var alternate = await portal.MemberAsync("Alt", "alternate@contoso.com");
        var s = await Scenario.CreateAsync(portal, (_, d) => d with
        {
            Stages =
            [
                new ApprovalStage
                {
                    IsEscalationEnabled = true, DurationBeforeEscalationInDays = 3, PrimaryApprovers = d.Stages[0].PrimaryApprovers,
                    EscalationApprovers = [new Approver { Type = ApproverType.SingleUser, UserId = alternate.UserId }],
                },
                new ApprovalStage { PrimaryApprovers = [new Approver { Type = ApproverType.InternalSponsors }] },
            ],
        });
        return (s, alternate);
    }

    private static async Task<List<Guid>> RoutesAsync(TestPortal portal, Guid requestId) =>
        (await portal.QueryAsync(db => db.PendingApprovalRoutes.Where(r => r.RequestId == requestId).Select(r => r.RouteId).ToListAsync())).Order().ToList();
}

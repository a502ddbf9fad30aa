using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Data;

/// <summary>A request's stages, answers and expiration, stored as whole JSON documents (<see cref="EntitlementPortal.Data.JsonColumn"/>).</summary>
public class JsonColumnTests : ServiceTests
{
    [Fact]
    public async Task A_request_whose_parts_EF_wrote_as_owned_entities_reads_the_same_and_is_decided_and_delivered_by_them()
    {
        await using var portal = await CreatePortalAsync();
        var alternate = await portal.MemberAsync("Alt", "alternate@contoso.com");
        var s = await Scenario.CreateAsync(portal);
        var requestId = await s.RequestAsync(Actor.ForEmail("lee@fabrikam.com"));
        var (approver, escalation) = (s.Approver.UserId!.Value, alternate.UserId!.Value);
        // The documents the build before wrote, each provider its own way: SQLite's times without a zone, upper-case ids.
        var (stages, expiration, json) = OnPostgreSql
            ? ($$"""[{"PrimaryApprovers": [{"Type": "SingleUser", "UserId": "{{approver}}"}], "EscalationApprovers": [{"Type": "SingleUser", "UserId": "{{escalation}}"}], "IsEscalationEnabled": true, "FallbackPrimaryApprovers": [{"Type": "ExternalSponsors", "UserId": null}], "DurationBeforeEscalationInDays": 3, "IsApproverJustificationRequired": false, "DurationBeforeAutomaticDenialInDays": 14}]""",
                """{"Type": "AfterDateTime", "EndDateTime": "2027-03-04T05:06:07Z", "DurationInDays": null, "DurationInHours": null}""", "CAST({0} AS jsonb)")
            : ($$"""[{"DurationBeforeAutomaticDenialInDays":14,"DurationBeforeEscalationInDays":3,"IsApproverJustificationRequired":false,"IsEscalationEnabled":true,"EscalationApprovers":[{"Type":"SingleUser","UserId":"{{Upper(escalation)}}"}],"FallbackPrimaryApprovers":[{"Type":"ExternalSponsors","UserId":null}],"PrimaryApprovers":[{"Type":"SingleUser","UserId":"{{Upper(approver)}}"}]}]""",
                """{"DurationInDays":null,"DurationInHours":null,"EndDateTime":"2027-03-04 05:06:07","Type":"AfterDateTime"}""", "{0}");
        var update = $"UPDATE \"AssignmentRequests\" SET \"ApprovalStages\" = {json}, \"Expiration\" = {json.Replace("{0}", "{1}", StringComparison.Ordinal)} WHERE \"Id\" = {{2}}";
        await portal.QueryAsync(db => db.Database.ExecuteSqlRawAsync(update, stages, expiration, requestId));

        var request = await portal.RequestAsync(requestId);
        var stage = Assert.Single(request.ApprovalStages);
        Assert.Equal([approver], stage.PrimaryApprovers.Select(a => a.UserId));
        Assert.Equal([escalation], stage.EscalationApprovers.Select(a => a.UserId));
        Assert.Equal(ApproverType.ExternalSponsors, Assert.Single(stage.FallbackPrimaryApprovers).Type);
        Assert.True(stage.IsEscalationEnabled);
        var end = new DateTime(2027, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        Assert.Equal((ExpirationType.AfterDateTime, end, DateTimeKind.Utc), (request.Expiration.Type, request.Expiration.EndDateTime!.Value, request.Expiration.EndDateTime.Value.Kind));

        await portal.Approvals.ApproveAsync(s.Approver, requestId, "Known partner");
        var delivered = await portal.RequestAsync(requestId);
        Assert.Equal(RequestState.Delivered, delivered.State);
        Assert.Equal(end, (await portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == delivered.AssignmentId))).ExpiredDateTime);
    }

    private static string Upper(Guid id) => id.ToString().ToUpperInvariant();
}

using EntitlementPortal.Domain;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Features;

/// <summary>Entra's policy rules, each refused with the field named and nothing saved.</summary>
public class PolicyValidationTests : ServiceTests
{
    public static TheoryData<string, Func<PolicyDefinition, PolicyDefinition>, string> InvalidPolicies => new()
    {
        { "name required", d => d with { DisplayName = " " }, "DisplayName" },
        { "All users forces approval", d => d with { AllowedTargetScope = AllowedTargetScope.AllExternalUsers, SpecificAllowedTargets = [], IsApprovalRequired = false }, "IsApprovalRequired" },
        { "expiry above 3660 days", d => d with { Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = 3661 } }, "Expiration.DurationInDays" },
        { "expiry below 0 days", d => d with { Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = -1 } }, "Expiration.DurationInDays" },
        { "days and hours together", d => d with { Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = 3, DurationInHours = 4 } }, "Expiration" },
        { "end date in the past", d => d with { Expiration = new ExpirationSettings { Type = ExpirationType.AfterDateTime, EndDateTime = TestPortal.Start.UtcDateTime.AddDays(-1) } }, "Expiration.EndDateTime" },
        { "no stage", d => d with { Stages = [] }, "Stages" },
        { "four stages", d => d with { Stages = [d.Stages[0], d.Stages[0], d.Stages[0], d.Stages[0]] }, "Stages" },
        { "stage without approver", d => d with { Stages = [new ApprovalStage { DurationBeforeAutomaticDenialInDays = 14 }] }, "Stages[0].PrimaryApprovers" },
        { "decision days out of range", d => d with { Stages = [new ApprovalStage { DurationBeforeAutomaticDenialInDays = 0, PrimaryApprovers = d.Stages[0].PrimaryApprovers }] }, "Stages[0].DurationBeforeAutomaticDenialInDays" },
        { "escalation needs 4 days", d => d with { Stages = [new ApprovalStage { DurationBeforeAutomaticDenialInDays = 3, IsEscalationEnabled = true, DurationBeforeEscalationInDays = 1, PrimaryApprovers = d.Stages[0].PrimaryApprovers, EscalationApprovers = d.Stages[0].PrimaryApprovers }] }, "Stages[0].IsEscalationEnabled" },
        { "external sponsors only for external policies", d => d with { AllowedTargetScope = AllowedTargetScope.AllMemberUsers, SpecificAllowedTargets = [], Stages = [new ApprovalStage { PrimaryApprovers = [new Approver { Type = ApproverType.ExternalSponsors }] }] }, "Stages[0].PrimaryApprovers" },
        { "specific organizations need one", d => d with { SpecificAllowedTargets = [] }, "SpecificAllowedTargets" },
        { "unknown organization", d => d with { SpecificAllowedTargets = [Guid.NewGuid()] }, "SpecificAllowedTargets" },
        { "admin-only policy has no approval", d => d with { AllowedTargetScope = AllowedTargetScope.NotSpecified, SpecificAllowedTargets = [] }, "IsApprovalRequired" },
        { "never-expiring access cannot be extended", d => d with { Expiration = new ExpirationSettings { Type = ExpirationType.NoExpiration } }, "CanExtend" },
        { "multiple choice needs two answers", d => d with { Questions = [new PolicyQuestion { Text = "Team?", AnswerFormat = AnswerFormat.MultipleChoice, Choices = ["A"] }] }, "Questions[0].Choices" },
        { "invalid pattern", d => d with { Questions = [new PolicyQuestion { Text = "Code?", AnswerFormat = AnswerFormat.ShortText, RegexPattern = "([a-z" }] }, "Questions[0].RegexPattern" },
    };

    [Theory]
    [MemberData(nameof(InvalidPolicies))]
    public async Task Invalid_policy_is_refused_naming_the_field(string rule, Func<PolicyDefinition, PolicyDefinition> change, string field)
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var before = await portal.QueryAsync(db => db.AssignmentPolicies.CountAsync());
        var error = await Assert.ThrowsAsync<PortalValidationException>(() =>
            portal.Policies.CreateAsync(portal.Admin, s.PackageId, change(Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value))));
        Assert.True(error.Failures.Any(f => f.Field == field), $"{rule}: expected {field}, got {string.Join("; ", error.Failures)}");
        Assert.Equal(before, await portal.QueryAsync(db => db.AssignmentPolicies.CountAsync()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3660)]
    public async Task Expiry_from_0_to_3660_days_is_accepted(int days)
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = days } });
        Assert.NotEqual(Guid.Empty, s.PolicyId);
    }

    [Fact]
    public async Task Questions_are_answered_as_the_policy_requires()
    {
        await using var portal = await CreatePortalAsync();
        var team = new PolicyQuestion { Text = "Team?", AnswerFormat = AnswerFormat.MultipleChoice, Choices = ["Design", "Build"], IsRequired = true };
        var code = new PolicyQuestion { Text = "Project code", AnswerFormat = AnswerFormat.ShortText, RegexPattern = "^F-[0-9]{3}$" };
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { Questions = [team, code] });
        var lee = EntitlementPortal.Features.Common.Actor.ForEmail("lee@fabrikam.com");
        var missing = await Assert.ThrowsAsync<PortalValidationException>(() => portal.Requests.SubmitAsync(lee, new(s.PackageId, Justification: "x")));
        Assert.Contains(missing.Failures, f => f.Message == "Answer the question 'Team?'.");
        var wrong = await Assert.ThrowsAsync<PortalValidationException>(() => portal.Requests.SubmitAsync(lee,
            new(s.PackageId, Justification: "x", Answers: new Dictionary<string, string> { [team.Id] = "Sales", [code.Id] = "F-12" })));
        Assert.Equal(2, wrong.Failures.Count);
        var noJustification = await Assert.ThrowsAsync<PortalValidationException>(() => portal.Requests.SubmitAsync(lee,
            new(s.PackageId, Answers: new Dictionary<string, string> { [team.Id] = "Build" })));
        Assert.Equal("Justification", Assert.Single(noJustification.Failures).Field);
        var requestId = await portal.Requests.SubmitAsync(lee, new(s.PackageId, Justification: "x", Answers: new Dictionary<string, string> { [team.Id] = "Build", [code.Id] = "F-123" }));
        Assert.Equal(["Build", "F-123"], (await portal.RequestAsync(requestId)).Answers.Select(a => a.Value));
    }

    [Fact]
    public async Task When_several_policies_apply_the_requestor_chooses_among_the_highest_priority_ones()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var quick = await portal.Policies.CreateAsync(portal.Admin, s.PackageId, Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with
        {
            DisplayName = "Two days, no approval", IsApprovalRequired = false, Stages = [], CanExtend = false,
            Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = 2 },
        });
        // All configured organizations is a lower category than specific organizations: it is ignored.
        await portal.Policies.CreateAsync(portal.Admin, s.PackageId, Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with
        {
            DisplayName = "Everyone configured", AllowedTargetScope = AllowedTargetScope.AllConfiguredConnectedOrganizationUsers, SpecificAllowedTargets = [],
        });
        var lee = EntitlementPortal.Features.Common.Actor.ForEmail("lee@fabrikam.com");
        var choose = await Assert.ThrowsAsync<PortalValidationException>(() => s.RequestAsync(lee));
        Assert.Equal("PolicyId", Assert.Single(choose.Failures).Field);
        var requestId = await portal.Requests.SubmitAsync(lee, new(s.PackageId, quick.PolicyId, "x"));
        Assert.Equal(RequestState.Delivered, (await portal.RequestAsync(requestId)).State);
    }
}

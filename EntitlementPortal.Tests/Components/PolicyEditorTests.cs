using Bunit;
using EntitlementPortal.Components.Pages.AccessPackages;
using EntitlementPortal.Domain;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Components;

public sealed class PolicyEditorTests : PortalPageTest
{
    [Fact]
    public async Task A_saved_policy_survives_the_round_trip_through_the_editor_model()
    {
        var s = await Scenario.CreateAsync(Portal);
        var original = Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with
        {
            Questions = [new PolicyQuestion { Id = "q1", Text = "Team?", AnswerFormat = AnswerFormat.MultipleChoice, Choices = ["Design", "Build"], IsRequired = true }],
        };
        var again = PolicyDraft.From(original).ToDefinition();
        Assert.Equal(original.AllowedTargetScope, again.AllowedTargetScope);
        Assert.Equal(original.SpecificAllowedTargets, again.SpecificAllowedTargets);
        Assert.Equal(original.Stages[0].PrimaryApprovers.Single().UserId, again.Stages.Single().PrimaryApprovers.Single().UserId);
        Assert.Equal(180, again.Expiration.DurationInDays);
        Assert.Equal(["Design", "Build"], again.Questions.Single().Choices);
        Assert.True(again.CanExtend && again.IsRequestorJustificationRequired && again.IsApprovalRequired);
    }

    [Fact]
    public async Task Editing_a_policy_loads_it_and_saves_the_change()
    {
        var s = await Scenario.CreateAsync(Portal);
        await SignInAsAsync(Role.CatalogOwner, s.CatalogId);
        var page = Render<PolicyEditorPage>(p => p.Add(x => x.PackageId, s.PackageId).Add(x => x.PolicyId, s.PolicyId));
        page.WaitForAssertion(() => Assert.Contains("Edit policy: Partners from connected organizations", page.Markup));
        page.Find("[role=radiogroup][aria-label='Enable new requests and assignments']").QuerySelectorAll("label").Single(l => l.TextContent.Trim() == "No").QuerySelector("input")!.Click();
        page.FindAll("button").First(b => b.TextContent.Trim() == "Save").Click();
        for (var i = 0; i < 50 && (await Portal.QueryAsync(db => db.AssignmentPolicies.SingleAsync(p => p.Id == s.PolicyId))).IsEnabled; i++)
        {
            await Task.Delay(100);
        }
        Assert.False((await Portal.QueryAsync(db => db.AssignmentPolicies.SingleAsync(p => p.Id == s.PolicyId))).IsEnabled);
    }

    [Fact]
    public async Task A_reader_of_the_catalog_cannot_edit_its_policies()
    {
        var s = await Scenario.CreateAsync(Portal);
        var reader = await Portal.MemberAsync("Reader", "reader@contoso.com");
        await Portal.Catalogs.AddRoleHolderAsync(Portal.Admin, s.CatalogId, reader.UserId!.Value, CatalogRole.CatalogReader);
        SignInAs(reader.Email);
        var page = Render<PolicyEditorPage>(p => p.Add(x => x.PackageId, s.PackageId).Add(x => x.PolicyId, s.PolicyId));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=no-access]")));
    }
}

using Bogus;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.Requests;
using EntitlementPortal.Features.Settings;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Features;

/// <summary>Generated and hostile input never escapes as anything but a typed validation error, and a refusal writes nothing.</summary>
public class HostileInputTests : ServiceTests
{
    public static readonly string[] Hostile =
    [
        "", " ", new string('x', 5000), "a\u0000b", "line\u0007bell", "'; DROP TABLE Catalogs; --", "<script>alert(1)</script>",
        "fаbrikam.com", "\u202Egnp.exe", "@@", "lee@", "@fabrikam.com", "lee@fabrikam..com", "x@-y.com", "ünïcödé@例え.jp", "\r\n\r\n",
    ];

    public static IEnumerable<object[]> Inputs()
    {
        var faker = new Faker { Random = new Randomizer(20261127) };
        return Hostile.Concat(Enumerable.Range(0, 12).Select(_ => faker.PickRandom(
                faker.Lorem.Sentence(), faker.Internet.Email(), faker.Internet.DomainName(), faker.Random.Utf16String(1, 40), faker.Company.CompanyName())))
            .Select(s => new object[] { s });
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Every_service_input_answers_with_success_or_a_validation_error_naming_the_field(string value)
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var admin = portal.Admin;
        var attempts = new List<Func<Task>>
        {
            () => portal.Catalogs.CreateAsync(admin, new CatalogInput(value, value)),
            () => portal.Organizations.CreateAsync(admin, new ConnectedOrganizationInput(value, value, [value], [value])),
            () => portal.Packages.CreateAsync(admin, new AccessPackageInput(s.CatalogId, value, value)),
            () => portal.Policies.CreateAsync(admin, s.PackageId, Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with
            {
                DisplayName = value,
                Questions = [new PolicyQuestion { Text = value, AnswerFormat = AnswerFormat.ShortText, RegexPattern = value.Length > 0 ? value : null }],
            }),
            () => portal.Requests.AssignDirectlyAsync(admin, new DirectAssignmentInput(s.PackageId, s.PolicyId, Email: value, DisplayName: value, Justification: value)),
            () => portal.Requests.SubmitAsync(Actor.ForEmail($"req{Guid.NewGuid():N}@fabrikam.com"), new AccessRequestInput(s.PackageId, Justification: value)),
            () => portal.Collaboration.UpdateAsync(admin, new CollaborationSettings(CollaborationRestriction.DenySpecifiedDomains, value)),
            () => portal.DirectoryAdmin.CreateMemberAsync(admin, value, value),
        };
        foreach (var attempt in attempts)
        {
            var auditBefore = await portal.QueryAsync(db => db.AuditEvents.CountAsync());
            try
            {
                await attempt();
            }
            catch (PortalValidationException error)
            {
                Assert.All(error.Failures, f => Assert.False(string.IsNullOrWhiteSpace(f.Field)));
                Assert.Equal(auditBefore, await portal.QueryAsync(db => db.AuditEvents.CountAsync()));
            }
        }
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public async Task Out_of_range_numbers_are_refused(int number)
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await Assert.ThrowsAsync<PortalValidationException>(() => portal.LifecycleSettings.UpdateAsync(portal.Admin, new LifecycleSettings(true, true, number)));
        await Assert.ThrowsAsync<PortalValidationException>(() => portal.Policies.CreateAsync(portal.Admin, s.PackageId,
            Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with { Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = number == -1 ? -1 : number } }));
        await Assert.ThrowsAsync<PortalValidationException>(() => portal.Policies.CreateAsync(portal.Admin, s.PackageId,
            Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with { Stages = [new ApprovalStage { DurationBeforeAutomaticDenialInDays = number, PrimaryApprovers = [new Approver { UserId = s.Approver.UserId }] }] }));
    }

    [Fact]
    public async Task Far_future_and_past_dates_are_refused()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { AllowCustomAssignmentSchedule = true });
        foreach (var date in new[] { DateTime.MinValue, portal.Now.AddDays(-1) })
        {
            await Assert.ThrowsAsync<PortalValidationException>(() => portal.Requests.SubmitAsync(Actor.ForEmail("lee@fabrikam.com"), new(s.PackageId, Justification: "x", RequestedEndDateTime: date)));
        }
        await Assert.ThrowsAsync<PortalValidationException>(() => portal.Policies.CreateAsync(portal.Admin, s.PackageId, Scenario.ExternalPolicy(s.OrganizationId, s.Approver.UserId!.Value) with
        {
            Expiration = new ExpirationSettings { Type = ExpirationType.AfterDateTime, EndDateTime = DateTime.MaxValue, DurationInDays = null },
        }));
    }
}

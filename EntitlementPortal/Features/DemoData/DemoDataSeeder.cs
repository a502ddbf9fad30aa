using Bogus;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Approvals;
using EntitlementPortal.Features.Assignments;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.DirectoryAdmin;
using EntitlementPortal.Features.Policies;
using EntitlementPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.DemoData;

/// <summary>
/// The demo tenant, made through the services so that it carries its own audit trail. Deterministic (a fixed Bogus
/// seed) and idempotent: nothing happens once admin@contoso.com exists.
/// </summary>
public sealed class DemoDataSeeder(
    PortalStore store,
    DirectoryAdminService directory,
    ConnectedOrganizationService organizations,
    CatalogService catalogs,
    AccessPackageService packages,
    PolicyService policies,
    RequestService requests,
    ApprovalService approvals,
    DeliveryService delivery)
{
    public const string AdminEmail = "admin@contoso.com";
    private static readonly Actor System = Actor.System;

    private static readonly string[] Justifications =
    [
        "I design the Falcon wing assembly with the Contoso team.",
        "Fabrikam reviews the Falcon test results each sprint.",
        "I join the Falcon project as integration engineer next week.",
        "Our team maintains the Falcon telemetry firmware.",
    ];

    public async Task<bool> SeedAsync(CancellationToken ct = default)
    {
        if (await store.ReadAsync(System, (db, _) => db.Users.AnyAsync(u => u.MailNormalized == AdminEmail, ct), ct))
        {
            return false;
        }
        var faker = new Faker("en") { Random = new Randomizer(2026) };

        var admin = await MemberAsync("Adele Vance", AdminEmail, DirectoryRole.GlobalAdministrator);
        await MemberAsync("Uma Admin", "useradmin@contoso.com", DirectoryRole.UserAdministrator);
        var owner = await MemberAsync("Omar Owner", "owner@contoso.com");
        var approver = await MemberAsync("Alex Approver", "approver@contoso.com");
        await MemberAsync("Megan Member", "member@contoso.com");
        for (var i = 0; i < 12; i++)
        {
            var (first, last) = (faker.Name.FirstName(), faker.Name.LastName());
            await directory.CreateMemberAsync(System, $"{first} {last}", $"{first}.{last}{i}@contoso.com".ToLowerInvariant(), ct);
        }

        var fabrikam = await organizations.CreateAsync(System, new ConnectedOrganizationInput("Fabrikam", "Engineering partner for Project Falcon", ["fabrikam.com"]));
        var wingtip = await organizations.CreateAsync(System, new ConnectedOrganizationInput("Wingtip Toys", "Retail supplier", ["wingtiptoys.com"]));
        var sponsor = await directory.AddExistingGuestAsync(System, "Sofia Sponsor", "sponsor@fabrikam.com", fabrikam);
        await organizations.AddSponsorAsync(System, fabrikam, sponsor, SponsorKind.External);
        await organizations.AddSponsorAsync(System, fabrikam, approver.UserId!.Value, SponsorKind.Internal);
        await organizations.AddSponsorAsync(System, wingtip, approver.UserId!.Value, SponsorKind.Internal);

        var partners = await CatalogAsync("Partner projects", "Resources we share with engineering partners", true, owner);
        var suppliers = await CatalogAsync("Supplier onboarding", "What a new supplier needs in their first months", true, owner);
        var internalTools = await CatalogAsync("Internal tools", "Tools for employees only", false, owner);

        var falconGroup = await ResourceAsync(partners, "Project Falcon", ResourceType.Group);
        var falconSite = await ResourceAsync(partners, "Falcon design site", ResourceType.SharePointSite);
        var tracker = await ResourceAsync(suppliers, "Supplier tracker", ResourceType.Application, ["Supplier", "Reviewer"]);
        var supplierGroup = await ResourceAsync(suppliers, "Supplier news", ResourceType.Group);
        var hrApp = await ResourceAsync(internalTools, "Expense reports", ResourceType.Application);

        var stage = (Guid approverId) => new ApprovalStage { DurationBeforeAutomaticDenialInDays = 14, PrimaryApprovers = [new Approver { Type = ApproverType.SingleUser, UserId = approverId }] };
        var falcon = await PackageAsync(partners, "Falcon engineering", "Design documents and the project team for Fabrikam engineers", false, [falconGroup[0], falconSite[1]], new PolicyDefinition
        {
            DisplayName = "Fabrikam engineers", AllowedTargetScope = AllowedTargetScope.SpecificConnectedOrganizationUsers, SpecificAllowedTargets = [fabrikam],
            IsApprovalRequired = true, IsRequestorJustificationRequired = true, Stages = [stage(approver.UserId!.Value)],
            Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = 180 }, CanExtend = true,
        });
        var reviewers = await PackageAsync(partners, "Falcon reviewers", "Read access to the design site for two weeks", false, [falconSite[0]], new PolicyDefinition
        {
            DisplayName = "Configured partners, short term", AllowedTargetScope = AllowedTargetScope.AllConfiguredConnectedOrganizationUsers,
            Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = 10 }, CanExtend = true,
        });
        var supplier = await PackageAsync(suppliers, "New supplier", "Supplier tracker and news for any new supplier", false, [tracker[0], supplierGroup[0]], new PolicyDefinition
        {
            DisplayName = "Any external user", AllowedTargetScope = AllowedTargetScope.AllExternalUsers,
            IsApprovalRequired = true, Stages = [new ApprovalStage { DurationBeforeAutomaticDenialInDays = 7, PrimaryApprovers = [new Approver { Type = ApproverType.InternalSponsors }], FallbackPrimaryApprovers = [new Approver { Type = ApproverType.SingleUser, UserId = approver.UserId }] }],
            Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = 90 },
        });
        await PackageAsync(suppliers, "Supplier reviewers", "Reviewer role in the supplier tracker, by invitation only", true, [tracker[1]], new PolicyDefinition
        {
            DisplayName = "Wingtip Toys reviewers", AllowedTargetScope = AllowedTargetScope.SpecificConnectedOrganizationUsers, SpecificAllowedTargets = [wingtip],
            IsApprovalRequired = true, Stages = [stage(approver.UserId!.Value)],
            Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = 30 },
        });
        await PackageAsync(internalTools, "Expense reporting", "Submit and approve expenses", false, [hrApp[0]], new PolicyDefinition
        {
            DisplayName = "All employees", AllowedTargetScope = AllowedTargetScope.AllMemberUsers,
            Expiration = new ExpirationSettings { Type = ExpirationType.NoExpiration, DurationInDays = null },
        });
        var adminOnly = await PackageAsync(partners, "Falcon leads", "Owners of the Project Falcon group, assigned by administrators", false, [falconGroup[1]], new PolicyDefinition
        {
            DisplayName = "Administrator direct assignments only", AllowedTargetScope = AllowedTargetScope.NotSpecified,
            Expiration = new ExpirationSettings { Type = ExpirationType.AfterDuration, DurationInDays = 365 },
        });

        // Delivered access, some of it close to its end; pending requests for the approver; a guest awaiting removal.
        for (var i = 0; i < 6; i++)
        {
            var email = $"{faker.Name.FirstName().ToLowerInvariant()}.{i}@fabrikam.com";
            var id = await requests.SubmitAsync(Actor.ForEmail(email), new AccessRequestInput(falcon.Package, Justification: faker.PickRandom(Justifications)));
            if (i < 4)
            {
                await approvals.ApproveAsync(approver, id, "Known Falcon engineer");
            }
        }
        for (var i = 0; i < 3; i++)
        {
            await requests.SubmitAsync(Actor.ForEmail($"{faker.Name.FirstName().ToLowerInvariant()}.{i}@wingtiptoys.com"), new AccessRequestInput(reviewers.Package));
        }
        await requests.SubmitAsync(Actor.ForEmail("new.supplier@tailspintoys.com"), new AccessRequestInput(supplier.Package, Justification: "Starting our first order"));
        await requests.AssignDirectlyAsync(admin, new DirectAssignmentInput(adminOnly.Package, adminOnly.Policy, Email: "lead@fabrikam.com", DisplayName: "Lee Lead"));
        await requests.AssignDirectlyAsync(admin, new DirectAssignmentInput(reviewers.Package, reviewers.Policy, Email: "leaving@wingtiptoys.com", DisplayName: "Lou Leaving"));
        await delivery.DeliverPendingAsync(ct);
        var leaving = await store.ReadAsync(System, (db, _) => db.Users.SingleAsync(u => u.MailNormalized == "leaving@wingtiptoys.com", ct), ct);
        var leavingAssignment = await store.ReadAsync(System, (db, _) => db.Assignments.SingleAsync(a => a.TargetUserId == leaving.Id, ct), ct);
        await requests.RelinquishAsync(Actor.For(leaving), leavingAssignment.Id, ct);
        return true;

        async Task<Actor> MemberAsync(string name, string email, params DirectoryRole[] roles)
        {
            var id = await directory.CreateMemberAsync(System, name, email, ct);
            foreach (var role in roles)
            {
                await directory.AssignDirectoryRoleAsync(System, id, role, ct);
            }
            return new Actor(id, email);
        }

        async Task<Guid> CatalogAsync(string name, string description, bool external, Actor catalogOwner)
        {
            var id = await catalogs.CreateAsync(System, new CatalogInput(name, description, true, external), ct);
            await catalogs.AddRoleHolderAsync(System, id, catalogOwner.UserId!.Value, CatalogRole.CatalogOwner, ct);
            return id;
        }

        async Task<List<Guid>> ResourceAsync(Guid catalogId, string name, ResourceType type, IReadOnlyList<string>? roles = null)
        {
            var id = await directory.CreateResourceAsync(System, name, type, roles, ct);
            await catalogs.AddResourceAsync(System, catalogId, id, ct);
            return await store.ReadAsync(System, (db, _) => db.ResourceRoles.Where(r => r.ResourceId == id).OrderBy(r => r.DisplayName == "Member" ? 0 : 1).ThenBy(r => r.DisplayName).Select(r => r.Id).ToListAsync(ct), ct);
        }

        async Task<(Guid Package, Guid Policy)> PackageAsync(Guid catalogId, string name, string description, bool hidden, Guid[] roles, PolicyDefinition policy)
        {
            var id = await packages.CreateAsync(System, new AccessPackageInput(catalogId, name, description, hidden), ct);
            foreach (var role in roles)
            {
                await packages.AddResourceRoleAsync(System, id, role, ct);
            }
            var saved = await policies.CreateAsync(System, id, policy, ct);
            return (id, saved.PolicyId);
        }
    }
}

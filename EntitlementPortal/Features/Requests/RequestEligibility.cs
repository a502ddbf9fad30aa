using System.Linq.Expressions;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace EntitlementPortal.Features.Requests;

/// <summary>The person asking, as the policies see them.</summary>
public sealed record Requestor(DirectoryUser? User, string Email, bool IsExternal, ConnectedOrganization? Organization)
{
    public string Domain => Names.DomainOf(Email);
}

/// <summary>DESIGN.md rule 1, in Entra's order: catalog enabled, enabled for external users, incompatible access, policies.</summary>
public sealed class RequestEligibility(PortalOptions portal)
{
    public static readonly RequestState[] OpenStates = [RequestState.Submitted, RequestState.PendingApproval, RequestState.Delivering];

    /// <summary>Everything that decides whether the actor may request the package now; throws with the reason when not.</summary>
    public async Task<(Requestor Requestor, List<AssignmentPolicy> Policies)> CheckAsync(PortalDbContext db, ActorContext actor, AccessPackage package, CancellationToken ct)
    {
        var requestor = await IdentifyAsync(db, actor, ct);
        var policies = await ApplicablePoliciesAsync(db, requestor, package, ct);
        await EnsureNoOpenAccessAsync(db, requestor.User?.Id, requestor.Email, package.Id, ct);
        if (requestor.User is null && requestor.IsExternal && !(await db.CollaborationSettingsAsync(ct)).AllowsInvitationTo(requestor.Domain))
        {
            throw new NotEligibleException(IneligibilityReason.DomainBlockedByInvitationPolicy, "Your e-mail domain is blocked by this organization's invitation policy.");
        }
        return (requestor, policies);
    }

    private static readonly CompiledQuery<Func<PortalDbContext, string, Guid, CancellationToken, Task<bool>>> OpenRequestExists =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, string email, Guid packageId, CancellationToken ct) =>
            db.AssignmentRequests.Any(r => r.TargetEmail == email && r.AccessPackageId == packageId && OpenStates.Contains(r.State)
                && (r.RequestType == RequestType.UserAdd || r.RequestType == RequestType.AdminAdd))));

    private static readonly CompiledQuery<Func<PortalDbContext, Guid, CancellationToken, Task<Catalog>>> CatalogById =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, Guid id, CancellationToken ct) => db.Catalogs.AsNoTracking().Single(c => c.Id == id)));

    public static async Task EnsureNoOpenAccessAsync(PortalDbContext db, Guid? userId, string email, Guid packageId, CancellationToken ct)
    {
        if (userId is { } id && await db.Assignments.AnyAsync(a => a.TargetUserId == id && a.AccessPackageId == packageId && a.State != AssignmentState.Expired, ct))
        {
            throw new NotEligibleException(IneligibilityReason.AlreadyAssigned, "You already have this access.");
        }
        if (await OpenRequestExists.For(db)(db, Names.NormalizeEmail(email), packageId, ct))
        {
            throw new NotEligibleException(IneligibilityReason.RequestAlreadyPending, "A request for this access package is already pending.");
        }
    }

    public async Task<Requestor> IdentifyAsync(PortalDbContext db, ActorContext actor, CancellationToken ct)
    {
        var user = actor.User;
        var email = user?.Mail ?? actor.Actor.Email;
        var isExternal = user?.UserType == UserType.Guest || (user is null && !portal.IsHomeDomain(Names.DomainOf(email)));
        var org = user?.ConnectedOrganizationId is { } orgId
            ? await db.ConnectedOrganizations.FindAsync([orgId], ct)
            : isExternal ? await ConnectedOrganizationService.FindForAsync(db, email, actor.Actor.TenantId, ct) : null;
        return new Requestor(user, email, isExternal, org);
    }

    /// <summary>The policies the requestor may use, highest priority only, read only and shared; throws with the reason when there are none.</summary>
    public async Task<List<AssignmentPolicy>> ApplicablePoliciesAsync(PortalDbContext db, Requestor requestor, AccessPackage package, CancellationToken ct)
    {
        if (requestor.User is { AccountEnabled: false })
        {
            throw new NotEligibleException(IneligibilityReason.AccountBlocked, "Your account is blocked from signing in to this directory.");
        }
        var catalog = await ConfigurationCache.GetAsync(db, (nameof(CatalogById), package.CatalogId), () => CatalogById.For(db)(db, package.CatalogId, ct), ct);
        if (!catalog.IsEnabled)
        {
            throw new NotEligibleException(IneligibilityReason.CatalogDisabled, "This access package's catalog is not enabled for requests.");
        }
        if (requestor.IsExternal && !catalog.IsExternallyVisible)
        {
            throw new NotEligibleException(IneligibilityReason.CatalogNotEnabledForExternalUsers, "This access package's catalog is not enabled for external users.");
        }
        if (requestor.User is { } user)
        {
            var incompatible = package.IncompatibleAccessPackages.Select(i => i.IncompatibleAccessPackageId).ToList();
            if (incompatible.Count > 0 && await db.Assignments.AnyAsync(a => a.TargetUserId == user.Id && a.State != AssignmentState.Expired && incompatible.Contains(a.AccessPackageId), ct))
            {
                throw new NotEligibleException(IneligibilityReason.IncompatibleAccess, "You have access that is incompatible with this access package.");
            }
        }
        var audience = AudienceOf(requestor);
        var applicable = await ConfigurationCache.GetAsync(db, (nameof(PoliciesAdmitting), package.Id, audience), async () =>
            await PoliciesAdmitting.For(db)(db, package.Id, audience.UserId, audience.OrganizationId, audience.Member, audience.InDirectory,
                audience.External, audience.ConfiguredOrganization).ToListAsync(ct), ct);
        if (applicable.Count == 0)
        {
            throw new NotEligibleException(IneligibilityReason.NotInScopeOfAnyPolicy, requestor.IsExternal
                ? "Your organization is not allowed to request this access package."
                : "You are not allowed to request this access package.");
        }
        var best = applicable.Min(p => p.AllowedTargetScope.Priority());
        return applicable.Where(p => p.AllowedTargetScope.Priority() == best).ToList();
    }

    /// <summary>Scopes that admit a whole kind of requestor, with no list of targets.</summary>
    public static readonly AllowedTargetScope[] BroadScopes =
    [
        AllowedTargetScope.AllMemberUsers, AllowedTargetScope.AllDirectoryUsers,
        AllowedTargetScope.AllConfiguredConnectedOrganizationUsers, AllowedTargetScope.AllExternalUsers,
    ];

    /// <summary>The ids a specific scope could name for this requestor: their account and their organization.</summary>
    public static List<Guid> TargetsOf(Requestor r) => new[] { r.User?.Id, r.Organization?.Id }.OfType<Guid>().ToList();

    /// <summary>The facts about a requestor that the scopes of policies look at.</summary>
    private sealed record Audience(Guid? UserId, Guid? OrganizationId, bool Member, bool InDirectory, bool External, bool ConfiguredOrganization);

    // Kept in step with TargetsOf and BroadScopes, which let the database find these policies by index.
    private static Audience AudienceOf(Requestor r) => new(r.User?.Id, r.Organization?.Id, r.User?.UserType == UserType.Member, r.User is not null,
        r.IsExternal, r.Organization?.State == ConnectedOrganizationState.Configured); // A proposed organization is as if there were none.

    /// <summary>
    /// The one statement of whom a policy's "Users who can request access" include, with the requestor's facts as scalar
    /// parameters: the database runs it for a request, an extension and My Access's list among hundreds of thousands.
    /// </summary>
    private static readonly Expression<Func<AssignmentPolicy, Guid?, Guid?, bool, bool, bool, bool, bool>> Admits =
        (p, userId, organizationId, member, inDirectory, external, configuredOrganization) => p.IsEnabled && (
            (p.AllowedTargetScope == AllowedTargetScope.SpecificDirectoryUsers && userId != null && p.Targets.Any(t => t.TargetId == userId))
            || (p.AllowedTargetScope == AllowedTargetScope.AllMemberUsers && member)
            || (p.AllowedTargetScope == AllowedTargetScope.AllDirectoryUsers && inDirectory)
            || (p.AllowedTargetScope == AllowedTargetScope.SpecificConnectedOrganizationUsers && external && organizationId != null
                && p.Targets.Any(t => t.TargetId == organizationId))
            || (p.AllowedTargetScope == AllowedTargetScope.AllConfiguredConnectedOrganizationUsers && external && configuredOrganization)
            || (p.AllowedTargetScope == AllowedTargetScope.AllExternalUsers && external));

    /// <summary>The rule for one requestor, as a filter to compose into other queries; their facts become the query's parameters.</summary>
    public static Expression<Func<AssignmentPolicy, bool>> AppliesTo(Requestor r)
    {
        var audience = Expression.Constant(AudienceOf(r));
        // In the order of Admits' parameters after the policy.
        Expression[] facts = [.. new[]
        {
            nameof(Audience.UserId), nameof(Audience.OrganizationId), nameof(Audience.Member), nameof(Audience.InDirectory),
            nameof(Audience.External), nameof(Audience.ConfiguredOrganization),
        }.Select(fact => Expression.Property(audience, fact))];
        var body = new ReplacingExpressionVisitor([.. Admits.Parameters.Skip(1)], facts).Visit(Admits.Body);
        return Expression.Lambda<Func<AssignmentPolicy, bool>>(body, Admits.Parameters[0]);
    }

    /// <summary>
    /// A package's policies that admit the requestor, compiled once: EF would otherwise rebuild the rule and look its
    /// translation up at every request. Read, not changed: a request copies what it needs from its policy, and the list is
    /// shared (<see cref="ConfigurationCache"/>).
    /// </summary>
    private static readonly CompiledQuery<Func<PortalDbContext, Guid, Guid?, Guid?, bool, bool, bool, bool, IAsyncEnumerable<AssignmentPolicy>>> PoliciesAdmitting =
        new(() =>
        {
            Expression<Func<PortalDbContext, Guid, IQueryable<AssignmentPolicy>>> ofPackage =
                (db, packageId) => db.AssignmentPolicies.AsNoTracking().Where(p => p.AccessPackageId == packageId);
            var admitted = Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(AssignmentPolicy)], ofPackage.Body,
                Expression.Quote(Expression.Lambda<Func<AssignmentPolicy, bool>>(Admits.Body, Admits.Parameters[0])));
            return EF.CompileAsyncQuery(Expression.Lambda<Func<PortalDbContext, Guid, Guid?, Guid?, bool, bool, bool, bool, IQueryable<AssignmentPolicy>>>(
                admitted, [.. ofPackage.Parameters, .. Admits.Parameters.Skip(1)]));
        });
}

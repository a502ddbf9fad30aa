using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Approvals;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.MyAccess;

public sealed record RequestablePolicy(Guid Id, string DisplayName, bool RequiresJustification, bool RequiresApproval, IReadOnlyList<PolicyQuestion> Questions, bool AllowsCustomSchedule, string Expiration);

public sealed record PackageForRequest(Guid Id, string DisplayName, string? Description, IReadOnlyList<string> Resources, IReadOnlyList<RequestablePolicy> Policies, IneligibilityReason? Reason, string? ReasonText);

public sealed record RequestablePackage(Guid Id, string DisplayName, string? Description, string Catalog);

public sealed record TimelineEntry(DateTime When, string What);

public sealed record MyRequest(Guid Id, Guid PackageId, string Package, RequestType Type, RequestState State, string Status, DateTime Created, IReadOnlyList<TimelineEntry> Timeline, bool CanCancel, bool CanResubmit);

public sealed record ApprovalItem(
    Guid RequestId, string Package, string Requestor, string RequestorEmail, string? Organization, string? Justification, IReadOnlyList<RequestAnswer> Answers,
    DateTime Submitted, DateTime? Deadline, DateTime? RequestedEnd, int Stage, bool JustificationRequired,
    string? DecidedBy, bool DecidedByMe, ApprovalDecisionKind? Decision, string? DecisionJustification, DateTime? DecidedAt);

public sealed record MyAssignment(Guid Id, Guid PackageId, string Package, AssignmentState State, DateTime Start, DateTime? End, bool CanExtend, string RemovalConsequence);

/// <summary>My Access: what the signed-in person can request, has asked for, must approve, and holds.</summary>
public sealed class MyAccessService(PortalStore store, IOptions<PortalOptions> options)
{
    public const int MaxItems = 200;

    public Task<PackageForRequest> GetPackageForRequestAsync(Actor actor, Guid packageId, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            var package = await db.AccessPackageAsync(packageId, ct);
            var resources = await (from pr in db.AccessPackageResourceRoles
                                   join role in db.ResourceRoles on pr.ResourceRoleId equals role.Id
                                   join r in db.Resources on role.ResourceId equals r.Id
                                   where pr.AccessPackageId == packageId
                                   orderby r.DisplayName
                                   select r.DisplayName + " (" + role.DisplayName + ")").ToListAsync(ct);
            try
            {
                var (_, policies) = await new RequestEligibility(options.Value).CheckAsync(db, a, package, ct);
                return new PackageForRequest(package.Id, package.DisplayName, package.Description, resources,
                    policies.Select(p => new RequestablePolicy(p.Id, p.DisplayName, p.IsRequestorJustificationRequired, p.IsApprovalRequired, p.Questions,
                        p.AllowCustomAssignmentSchedule, p.Expiration.Describe() + ".")).ToList(), null, null);
            }
            catch (NotEligibleException refused)
            {
                return new PackageForRequest(package.Id, package.DisplayName, package.Description, resources, [], refused.Reason, refused.Message);
            }
        }, ct);

    /// <summary>Packages the person could request now; hidden ones are only reached through their link.</summary>
    public Task<List<RequestablePackage>> RequestableAsync(Actor actor, string? search, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            if (actor == Actor.Anonymous)
            {
                return [];
            }
            var requestor = await new RequestEligibility(options.Value).IdentifyAsync(db, a, ct);
            if (requestor.User is { AccountEnabled: false })
            {
                return [];
            }
            // Only packages with a policy in the requestor's scope, decided by the database: a tenant has hundreds of thousands.
            // The candidates come by index (their targets, or a scope open to a whole kind), then the full rule decides.
            var applies = RequestEligibility.AppliesTo(requestor);
            var targets = RequestEligibility.TargetsOf(requestor);
            var viaTargets = (from p in db.AssignmentPolicies from t in p.Targets where targets.Contains(t.TargetId) select p).Where(applies);
            var broad = db.AssignmentPolicies.Where(p => EF.Constant(RequestEligibility.BroadScopes).Contains(p.AllowedTargetScope)).Where(applies);
            var inScope = viaTargets.Select(p => p.AccessPackageId).Union(broad.Select(p => p.AccessPackageId));
            var query = from p in db.AccessPackages
                        join c in db.Catalogs on p.CatalogId equals c.Id
                        where !p.IsHidden && c.IsEnabled && (!requestor.IsExternal || c.IsExternallyVisible) && inScope.Contains(p.Id)
                        select new { Package = p, Catalog = c.DisplayName };
            if (!string.IsNullOrWhiteSpace(search))
            {
                // Whatever the case typed, as Entra's search (SQLite's lower() folds ASCII letters only).
                var words = search.Trim().ToLowerInvariant();
                query = query.Where(x => x.Package.DisplayName.ToLower().Contains(words) || (x.Package.Description != null && x.Package.Description.ToLower().Contains(words)));
            }
            return await query.OrderBy(x => x.Package.DisplayName).Take(MaxItems)
                .Select(x => new RequestablePackage(x.Package.Id, x.Package.DisplayName, x.Package.Description, x.Catalog)).ToListAsync(ct);
        }, ct);

    public Task<List<MyRequest>> MyRequestsAsync(Actor actor, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            var email = Names.NormalizeEmail(actor.Email);
            var userId = a.UserId;
            var requests = await (from r in db.AssignmentRequests
                                  join p in db.AccessPackages on r.AccessPackageId equals p.Id
                                  where (r.TargetEmail == email || (userId != null && r.TargetUserId == userId))
                                        && r.RequestType != RequestType.SystemRemove
                                  orderby r.CreatedDateTime descending
                                  select new { Request = r, Package = p.DisplayName }).Take(MaxItems).ToListAsync(ct);
            // A request's story is told by its own audit events and, once delivered, by those of its assignment.
            var ids = requests.Select(r => r.Request.Id.ToString())
                .Concat(requests.Where(r => r.Request.AssignmentId != null).Select(r => r.Request.AssignmentId!.Value.ToString())).ToList();
            var timeline = (await db.AuditEvents.Where(e => ids.Contains(e.TargetId)).OrderBy(e => e.Id).ToListAsync(ct)).ToLookup(e => e.TargetId);
            return requests.Select(x => new MyRequest(x.Request.Id, x.Request.AccessPackageId, x.Package, x.Request.RequestType, x.Request.State, x.Request.Status, x.Request.CreatedDateTime,
                    timeline[x.Request.Id.ToString()].Concat(x.Request.RequestType is RequestType.UserAdd or RequestType.AdminAdd && x.Request.AssignmentId is { } assignmentId
                            ? timeline[assignmentId.ToString()].Where(e => e.Activity == "Fulfill access package assignment")
                            : [])
                        .OrderBy(e => e.Id).Select(e => new TimelineEntry(e.ActivityDateTime, e.Activity)).ToList(),
                    CanCancel: x.Request.State is RequestState.Submitted or RequestState.PendingApproval,
                    CanResubmit: x.Request.State == RequestState.Denied && x.Request.RequestType == RequestType.UserAdd))
                .ToList();
        }, ct);

    /// <summary>
    /// Requests waiting for this approver's decision, soonest due first; their own requests never appear. The database
    /// reads, by index, the waiting requests filed under the person or an organization they sponsor
    /// (<see cref="PendingApprovalRoute"/>), page by page, and the exact routing decides for the current stage: however
    /// many wait for others, theirs are found at once.
    /// </summary>
    public Task<List<ApprovalItem>> PendingApprovalsAsync(Actor actor, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            if (a.UserId is not { } me)
            {
                return [];
            }
            var sponsorships = (await db.ConnectedOrganizationSponsors.Where(s => s.UserId == me).Select(s => new { s.ConnectedOrganizationId, s.Kind }).ToListAsync(ct))
                .Select(s => (s.ConnectedOrganizationId, s.Kind)).ToHashSet();
            var routes = sponsorships.Select(s => s.ConnectedOrganizationId).Append(me).Distinct().ToList();
            var filed = db.PendingApprovalRoutes.Where(r => routes.Contains(r.RouteId)).Select(r => r.RequestId);
            var candidates = db.AssignmentRequests.Where(r => filed.Contains(r.Id)).OrderBy(r => r.StageDeadline).ThenBy(r => r.Id);
            var mine = new List<AccessPackageAssignmentRequest>();
            for (var skip = 0; mine.Count < MaxItems; skip += CandidatesPerPage)
            {
                var page = await candidates.Skip(skip).Take(CandidatesPerPage).ToListAsync(ct);
                foreach (var request in page.Where(r => ApproverRouting.MayInclude(r, me, sponsorships)))
                {
                    if (ApproverRouting.IsNamedPrimaryApprover(request, a.User!) || (await ApproverRouting.ApproversAsync(db, request, ct)).Any(u => u.Id == me))
                    {
                        mine.Add(request);
                    }
                }
                if (page.Count < CandidatesPerPage)
                {
                    break;
                }
            }
            return await ToItemsAsync(db, mine.Take(MaxItems).ToList(), [], me, ct);
        }, ct);

    // As many as a page shows: the routes name every stage's approvers, nearly exact, so one page is usually all it takes.
    private const int CandidatesPerPage = MaxItems;

    /// <summary>
    /// Decisions on requests this person could decide: their own, and those another approver took on a stage that named
    /// them (<see cref="ApprovalHistoryEntry"/>), each found by index however many others decide.
    /// </summary>
    public Task<List<ApprovalItem>> ApprovalHistoryAsync(Actor actor, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            if (a.UserId is not { } me)
            {
                return [];
            }
            var own = await db.ApprovalDecisions.Where(d => d.ApproverUserId == me).OrderByDescending(d => d.DecidedDateTime).Take(MaxItems).ToListAsync(ct);
            var others = await (from h in db.ApprovalHistoryEntries
                                where h.UserId == me
                                join d in db.ApprovalDecisions on new { h.RequestId, h.Stage } equals new { d.RequestId, d.Stage }
                                orderby h.DecidedDateTime descending
                                select d).Take(MaxItems).ToListAsync(ct);
            var latest = own.Concat(others).OrderByDescending(d => d.DecidedDateTime).Take(MaxItems).ToList();
            var requestIds = latest.Select(d => d.RequestId).Distinct().ToList();
            var requests = requestIds.Count == 0 ? [] : await db.AssignmentRequests.Where(r => requestIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
            // A request deleted (with its package) between the two reads takes its decisions with it.
            var decisions = latest.Where(d => requests.ContainsKey(d.RequestId)).ToList();
            return await ToItemsAsync(db, decisions.Select(d => requests[d.RequestId]).ToList(), decisions, me, ct);
        }, ct);

    public Task<List<MyAssignment>> MyAssignmentsAsync(Actor actor, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            if (a.User is not { } user)
            {
                return [];
            }
            var rows = await (from x in db.Assignments
                              join p in db.AccessPackages on x.AccessPackageId equals p.Id
                              join policy in db.AssignmentPolicies on x.AssignmentPolicyId equals policy.Id
                              where x.TargetUserId == user.Id
                              orderby x.State == AssignmentState.Expired, x.ExpiredDateTime
                              select new { Assignment = x, Package = p.DisplayName, policy.CanExtend, policy.AllowedTargetScope }).Take(MaxItems).ToListAsync(ct);
            var active = rows.Count(r => r.Assignment.IsActive);
            var settings = await db.EntitlementManagementSettings.SingleAsync(ct);
            var lastOne = user.IsGovernedGuest && active == 1 ? WhatHappensToTheAccount(settings) : "";
            return rows.Select(r => new MyAssignment(r.Assignment.Id, r.Assignment.AccessPackageId, r.Package, r.Assignment.State, r.Assignment.StartDateTime, r.Assignment.ExpiredDateTime,
                    CanExtend: r.Assignment.IsActive && r.CanExtend && r.AllowedTargetScope != AllowedTargetScope.NotSpecified && r.Assignment.ExpiredDateTime is not null,
                    RemovalConsequence: r.Assignment.IsActive ? $"You will lose access to {r.Package}." + (lastOne.Length > 0 ? " " + lastOne : "") : ""))
                .ToList();
        }, ct);

    /// <summary>The lifecycle settings in words, for a guest about to give up their last access package.</summary>
    public static string WhatHappensToTheAccount(EntitlementManagementSettings s) => (s.BlockExternalUserFromSigningIn, s.RemoveExternalUser) switch
    {
        (true, true) when s.DaysBeforeRemovingExternalUser == 0 => "It is your last access package: your account will be removed from this directory at once.",
        (true, true) => $"It is your last access package: you will be blocked from signing in, and your account will be removed from this directory after {s.DaysBeforeRemovingExternalUser} days.",
        (true, false) => "It is your last access package: you will be blocked from signing in to this directory.",
        (false, true) when s.DaysBeforeRemovingExternalUser == 0 => "It is your last access package: your account will be removed from this directory at once.",
        (false, true) => $"It is your last access package: your account will be removed from this directory after {s.DaysBeforeRemovingExternalUser} days.",
        _ => "",
    };

    private static async Task<List<ApprovalItem>> ToItemsAsync(PortalDbContext db, List<AccessPackageAssignmentRequest> requests, List<ApprovalDecision> decisions, Guid me, CancellationToken ct)
    {
        var packageIds = requests.Select(r => r.AccessPackageId).Distinct().ToList();
        // An empty list would still read each table: SQLite plans "WHERE 0" as a scan.
        var packages = packageIds.Count == 0 ? [] : await db.AccessPackages.Where(p => packageIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        var orgIds = requests.Where(r => r.TargetConnectedOrganizationId != null).Select(r => r.TargetConnectedOrganizationId!.Value).Distinct().ToList();
        var orgs = orgIds.Count == 0 ? [] : await db.ConnectedOrganizations.Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.DisplayName, ct);
        var approverIds = decisions.Select(d => d.ApproverUserId).Distinct().ToList();
        // Pending items carry no decisions yet: no need to ask.
        var approvers = approverIds.Count == 0 ? [] : await db.Users.Where(u => approverIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return requests.Select((r, i) =>
        {
            var decision = decisions.Count > i ? decisions[i] : null;
            return new ApprovalItem(r.Id, packages.GetValueOrDefault(r.AccessPackageId, ""), r.TargetDisplayName, r.TargetEmail,
                r.TargetConnectedOrganizationId is { } org ? orgs.GetValueOrDefault(org) : null, r.Justification, r.Answers, r.CreatedDateTime, r.StageDeadline,
                r.RequestedEndDateTime, decision?.Stage ?? r.CurrentStage, r.CurrentApprovalStage?.IsApproverJustificationRequired ?? false,
                decision is null ? null : approvers.GetValueOrDefault(decision.ApproverUserId), decision?.ApproverUserId == me,
                decision?.Decision, decision?.Justification, decision?.DecidedDateTime);
        }).ToList();
    }
}

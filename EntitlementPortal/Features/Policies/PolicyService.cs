using System.Text.RegularExpressions;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Policies;

/// <summary>Saved, with what the owner should know but that does not stop the save.</summary>
public sealed record PolicySaveResult(Guid PolicyId, IReadOnlyList<string> Warnings);

public sealed class PolicyService(PortalStore store)
{
    public const int MaxDurationInDays = 3660;
    public const int MaxDecisionDays = 14;
    public const int MinDaysForEscalation = 4;

    public Task<PolicySaveResult> CreateAsync(Actor actor, Guid packageId, PolicyDefinition definition, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var package = await c.FindAsync<AccessPackage>(packageId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(package.CatalogId, Permissions.ManageAccessPackages), "create policies for this access package");
            var warnings = await ValidateAsync(c.Db, package, definition, c.Now, ct);
            var policy = AssignmentPolicy.Create(packageId, definition, c.Now);
            c.Db.AssignmentPolicies.Add(policy);
            c.Audit(AuditCategory.EntitlementManagement, "Create access package assignment policy", "AssignmentPolicy", policy.Id, policy.DisplayName,
                $"{package.DisplayName}: {definition.AllowedTargetScope}, approval {(definition.IsApprovalRequired ? "required" : "not required")}");
            return new PolicySaveResult(policy.Id, warnings);
        }, ct);

    /// <summary>Requests already pending or approved keep the settings they were made under.</summary>
    public Task<PolicySaveResult> UpdateAsync(Actor actor, Guid policyId, PolicyDefinition definition, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var policy = await c.FindAsync<AssignmentPolicy>(policyId, ct);
            var package = await c.FindAsync<AccessPackage>(policy.AccessPackageId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(package.CatalogId, Permissions.ManageAccessPackages), "edit policies of this access package");
            var warnings = await ValidateAsync(c.Db, package, definition, c.Now, ct);
            policy.Apply(definition, c.Now);
            c.Audit(AuditCategory.EntitlementManagement, "Update access package assignment policy", "AssignmentPolicy", policy.Id, policy.DisplayName);
            return new PolicySaveResult(policy.Id, warnings);
        }, ct);

    public Task DeleteAsync(Actor actor, Guid policyId, CancellationToken ct = default) =>
        store.WriteAsync(actor, async c =>
        {
            var policy = await c.FindAsync<AssignmentPolicy>(policyId, ct);
            var package = await c.FindAsync<AccessPackage>(policy.AccessPackageId, ct);
            c.Actor.Require(c.Actor.HasCatalogRole(package.CatalogId, Permissions.ManageAccessPackages), "delete policies of this access package");
            if (await c.Db.Assignments.AnyAsync(a => a.AssignmentPolicyId == policyId && a.State != AssignmentState.Expired, ct))
            {
                throw new DomainRuleException("Users hold assignments under this policy; remove them before deleting it.");
            }
            await c.Db.Assignments.Where(a => a.AssignmentPolicyId == policyId).ExecuteDeleteAsync(ct);
            c.Db.AssignmentPolicies.Remove(policy);
            c.Audit(AuditCategory.EntitlementManagement, "Delete access package assignment policy", "AssignmentPolicy", policy.Id, policy.DisplayName);
        }, ct);

    /// <summary>Every rule of a policy; returns the warnings that do not stop the save. Also used when a package is created with its first policy.</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(PortalDbContext db, AccessPackage package, PolicyDefinition d, DateTime now, CancellationToken ct)
    {
        var v = new Validator()
            .Text(nameof(d.DisplayName), d.DisplayName, 256, label: "Name")
            .Text(nameof(d.Description), d.Description, 4000, required: false, label: "Description");
        var scope = d.AllowedTargetScope;
        v.When(!Enum.IsDefined(scope), nameof(d.AllowedTargetScope), "Choose who can request access.");
        await ValidateTargetsAsync(db, d, v, ct);

        var adminOnly = scope == AllowedTargetScope.NotSpecified;
        v.When(adminOnly && d.IsApprovalRequired, nameof(d.IsApprovalRequired), "Approval is not available for administrator direct assignments only.");
        v.When(adminOnly && d.CanExtend, nameof(d.CanExtend), "Users cannot extend access that administrators assigned directly.");
        v.When(scope == AllowedTargetScope.AllExternalUsers && !d.IsApprovalRequired, nameof(d.IsApprovalRequired),
            "Require approval must be Yes when all users, including new external users, can request.");
        if (d.IsApprovalRequired || d.IsApprovalRequiredForExtension)
        {
            ValidateStages(d, v);
        }
        ValidateQuestions(d, v);
        ValidateExpiration(d, now, v);
        v.ThrowIfInvalid();

        var catalog = await db.Catalogs.SingleAsync(c => c.Id == package.CatalogId, ct);
        return scope.IsForExternalUsers() && !catalog.IsExternallyVisible
            ? [$"The catalog {catalog.DisplayName} is not enabled for external users: external users cannot request this access package until it is."]
            : [];
    }

    private static async Task ValidateTargetsAsync(PortalDbContext db, PolicyDefinition d, Validator v, CancellationToken ct)
    {
        const string field = nameof(d.SpecificAllowedTargets);
        var targets = d.SpecificAllowedTargets.Distinct().ToList();
        switch (d.AllowedTargetScope)
        {
            case AllowedTargetScope.SpecificDirectoryUsers:
                v.When(targets.Count == 0, field, "Choose at least one user.");
                v.When(targets.Count > 500, field, "A policy can name at most 500 users.");
                var users = await db.Users.CountAsync(u => targets.Contains(u.Id) && u.DeletedDateTime == null, ct);
                v.When(users != targets.Count, field, "Every chosen user must be in the directory.");
                break;
            case AllowedTargetScope.SpecificConnectedOrganizationUsers:
                v.When(targets.Count == 0, field, "Choose at least one connected organization.");
                v.When(targets.Count > 1000, field, "A policy can name at most 1,000 connected organizations.");
                var orgs = await db.ConnectedOrganizations.CountAsync(o => targets.Contains(o.Id), ct);
                v.When(orgs != targets.Count, field, "Every chosen connected organization must exist.");
                break;
            default:
                v.When(targets.Count > 0, field, "Specific users or organizations apply only to the 'Specific …' options.");
                break;
        }
    }

    private static void ValidateStages(PolicyDefinition d, Validator v)
    {
        v.When(d.Stages.Count is < 1 or > 3, nameof(d.Stages), "How many stages must be 1, 2 or 3.");
        var usedSponsorTypes = new HashSet<ApproverType>();
        for (var i = 0; i < d.Stages.Count; i++)
        {
            var stage = d.Stages[i];
            var field = $"Stages[{i}]";
            v.Range($"{field}.DurationBeforeAutomaticDenialInDays", stage.DurationBeforeAutomaticDenialInDays, 1, MaxDecisionDays, "Decision must be made in how many days?");
            v.When(stage.PrimaryApprovers.Count == 0, $"{field}.PrimaryApprovers", $"Stage {i + 1} needs at least one approver.");
            foreach (var approver in stage.PrimaryApprovers.Concat(stage.FallbackPrimaryApprovers).Concat(stage.EscalationApprovers))
            {
                v.When(approver.Type == ApproverType.SingleUser && approver.UserId is null, $"{field}.PrimaryApprovers", "Choose the approver user.");
                v.When(approver.Type != ApproverType.SingleUser && !d.AllowedTargetScope.IsForExternalUsers(), $"{field}.PrimaryApprovers",
                    "Sponsors can approve only where the policy is for users not in your directory (connected organizations).");
            }
            foreach (var type in stage.PrimaryApprovers.Select(a => a.Type).Where(t => t != ApproverType.SingleUser).Distinct())
            {
                v.When(!usedSponsorTypes.Add(type), $"{field}.PrimaryApprovers", $"{type} already approve an earlier stage.");
            }
            if (stage.IsEscalationEnabled)
            {
                v.When(stage.DurationBeforeAutomaticDenialInDays < MinDaysForEscalation, $"{field}.IsEscalationEnabled",
                    $"Forwarding to alternate approvers needs a decision time of at least {MinDaysForEscalation} days.");
                v.Range($"{field}.DurationBeforeEscalationInDays", stage.DurationBeforeEscalationInDays, 1, Math.Max(1, stage.DurationBeforeAutomaticDenialInDays - 1),
                    "Forward to alternate approver(s) after how many days");
                v.When(stage.EscalationApprovers.Count == 0, $"{field}.EscalationApprovers", "Choose at least one alternate approver.");
            }
        }
    }

    private static void ValidateQuestions(PolicyDefinition d, Validator v)
    {
        for (var i = 0; i < d.Questions.Count; i++)
        {
            var q = d.Questions[i];
            var field = $"Questions[{i}]";
            v.Text($"{field}.Text", q.Text, 1000, label: "Question");
            if (q.AnswerFormat == AnswerFormat.MultipleChoice)
            {
                v.When(q.Choices.Count(c => !string.IsNullOrWhiteSpace(c)) < 2, $"{field}.Choices", "A multiple choice question needs at least two answers.");
                v.When(q.RegexPattern is not null, $"{field}.RegexPattern", "A pattern applies only to text answers.");
            }
            else if (!string.IsNullOrEmpty(q.RegexPattern))
            {
                v.When(!IsValidPattern(q.RegexPattern), $"{field}.RegexPattern", "The pattern is not a valid regular expression.");
            }
        }
    }

    private static void ValidateExpiration(PolicyDefinition d, DateTime now, Validator v)
    {
        var e = d.Expiration;
        const string field = nameof(d.Expiration);
        switch (e.Type)
        {
            case ExpirationType.AfterDuration:
                v.When(e.DurationInDays is null == e.DurationInHours is null, field, "Give the number of days or the number of hours.");
                if (e.DurationInDays is not null)
                {
                    v.Range($"{field}.DurationInDays", e.DurationInDays, 0, MaxDurationInDays, "Number of days");
                }
                if (e.DurationInHours is not null)
                {
                    v.Range($"{field}.DurationInHours", e.DurationInHours, 1, MaxDurationInDays * 24, "Number of hours");
                }
                break;
            case ExpirationType.AfterDateTime:
                v.When(e.EndDateTime is null || e.EndDateTime <= now, $"{field}.EndDateTime", "Choose a date in the future.");
                v.When(e.EndDateTime > now.AddDays(MaxDurationInDays), $"{field}.EndDateTime", $"The date must be within {MaxDurationInDays} days.");
                break;
            case ExpirationType.NoExpiration:
                v.When(d.CanExtend, nameof(d.CanExtend), "Access that never expires cannot be extended.");
                break;
            default:
                v.Add(field, "Choose when access package assignments expire.");
                break;
        }
        v.When(!d.CanExtend && d.IsApprovalRequiredForExtension, nameof(d.IsApprovalRequiredForExtension), "Approval for extension needs 'Allow users to extend access'.");
    }

    private static bool IsValidPattern(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return pattern.Length <= 1000;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

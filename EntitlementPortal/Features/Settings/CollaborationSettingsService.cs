using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Settings;

/// <summary>Collaboration restrictions; <see cref="TargetDomains"/> holds one domain per line, as typed in the form.</summary>
public sealed record CollaborationSettings(CollaborationRestriction CollaborationRestriction, string TargetDomains);

public sealed class CollaborationSettingsService(PortalStore store)
{
    public Task<CollaborationSettings> GetAsync(Actor actor, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            a.Require(a.CanManageCollaborationSettings(), "view the external collaboration settings");
            var s = await db.ExternalCollaborationSettings.SingleAsync(ct);
            return new CollaborationSettings(s.CollaborationRestriction, string.Join('\n', s.TargetDomains));
        }, ct);

    public Task UpdateAsync(Actor actor, CollaborationSettings input, CancellationToken ct = default)
    {
        var (domains, validator) = ParseTargetDomains(input);
        validator.ThrowIfInvalid();
        return store.WriteAsync(actor, async c =>
        {
            c.Actor.Require(c.Actor.CanManageCollaborationSettings(), "change the external collaboration settings");
            var settings = await c.Db.ExternalCollaborationSettings.SingleAsync(ct);
            settings.Update(input.CollaborationRestriction, domains, c.Now);
            c.Audit(AuditCategory.Policy, "Update external collaboration settings", "Settings", settings.Id, "Collaboration restrictions",
                $"{input.CollaborationRestriction}: {domains.Count} domain(s)");
        }, ct);
    }

    /// <summary>One domain per line, lower-cased, valid DNS names, no duplicates, at most 25,000 characters in all; a message per bad line.</summary>
    public static (List<string> Domains, Validator Validator) ParseTargetDomains(CollaborationSettings input)
    {
        const string field = nameof(CollaborationSettings.TargetDomains);
        var v = new Validator();
        var text = input.TargetDomains ?? "";
        if (input.CollaborationRestriction == CollaborationRestriction.AllowAnyDomain)
        {
            return ([], v);
        }
        if (text.Length > ExternalCollaborationSettings.MaxPolicyLength)
        {
            return ([], v.Add(field, $"Target domains must be at most {ExternalCollaborationSettings.MaxPolicyLength:N0} characters in all."));
        }
        var domains = new List<string>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var domain = lines[i].Trim().ToLowerInvariant();
            if (domain.Length == 0)
            {
                continue;
            }
            if (!Names.IsValidDomain(domain))
            {
                v.Add(field, $"Line {i + 1}: '{Shorten(lines[i].Trim())}' is not a valid domain name.");
            }
            else if (domains.Contains(domain))
            {
                v.Add(field, $"Line {i + 1}: '{domain}' is listed more than once.");
            }
            else
            {
                domains.Add(domain);
            }
        }
        v.When(v.IsValid && domains.Count == 0, field, "Add at least one domain, one per line.");
        return (domains, v);
    }

    private static string Shorten(string value) => value.Length > 64 ? value[..64] + "…" : value;
}

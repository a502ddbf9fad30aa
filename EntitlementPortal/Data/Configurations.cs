using System.Text.Json;
using EntitlementPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Data;

internal sealed class DirectoryUserConfiguration : IEntityTypeConfiguration<DirectoryUser>
{
    public void Configure(EntityTypeBuilder<DirectoryUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(256);
        b.Property(u => u.Mail).HasMaxLength(254);
        b.Property(u => u.MailNormalized).HasMaxLength(254);
        // One live account per address; a removed guest may be invited again.
        b.HasIndex(u => u.MailNormalized).IsUnique().HasFilter("\"DeletedDateTime\" IS NULL");
        // Partial: the removal sweep and the dashboard read only the guests waiting for removal.
        b.HasIndex(u => u.ScheduledDeletionDateTime).HasFilter("\"ScheduledDeletionDateTime\" IS NOT NULL AND \"DeletedDateTime\" IS NULL");
        b.HasIndex(u => new { u.UserType, u.DisplayName });
        b.HasOne<ConnectedOrganization>().WithMany().HasForeignKey(u => u.ConnectedOrganizationId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class DirectoryRoleAssignmentConfiguration : IEntityTypeConfiguration<DirectoryRoleAssignment>
{
    public void Configure(EntityTypeBuilder<DirectoryRoleAssignment> b)
    {
        b.HasIndex(r => new { r.UserId, r.Role }).IsUnique();
        b.HasOne<DirectoryUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ResourceConfiguration : IEntityTypeConfiguration<Resource>
{
    public void Configure(EntityTypeBuilder<Resource> b)
    {
        b.Property(r => r.DisplayName).HasMaxLength(256);
        b.HasIndex(r => r.DisplayName);
        b.HasMany(r => r.Roles).WithOne().HasForeignKey(r => r.ResourceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ResourceRoleConfiguration : IEntityTypeConfiguration<ResourceRole>
{
    public void Configure(EntityTypeBuilder<ResourceRole> b) => b.Property(r => r.DisplayName).HasMaxLength(256);
}

internal sealed class ResourceRoleMembershipConfiguration : IEntityTypeConfiguration<ResourceRoleMembership>
{
    public void Configure(EntityTypeBuilder<ResourceRoleMembership> b)
    {
        b.HasKey(m => new { m.UserId, m.ResourceRoleId });
        b.HasIndex(m => m.ResourceRoleId);
        b.HasOne<DirectoryUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ResourceRole>().WithMany().HasForeignKey(m => m.ResourceRoleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CatalogConfiguration : IEntityTypeConfiguration<Catalog>
{
    public void Configure(EntityTypeBuilder<Catalog> b)
    {
        b.Property(c => c.DisplayName).HasMaxLength(256);
        b.Property(c => c.Description).HasMaxLength(4000);
        b.HasIndex(c => c.DisplayName).IsUnique();
        b.HasIndex(c => new { c.IsExternallyVisible, c.DisplayName });
        b.HasMany(c => c.Resources).WithOne().HasForeignKey(r => r.CatalogId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.RoleAssignments).WithOne().HasForeignKey(r => r.CatalogId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CatalogResourceConfiguration : IEntityTypeConfiguration<CatalogResource>
{
    public void Configure(EntityTypeBuilder<CatalogResource> b)
    {
        b.HasKey(r => new { r.CatalogId, r.ResourceId });
        b.HasOne<Resource>().WithMany().HasForeignKey(r => r.ResourceId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CatalogRoleAssignmentConfiguration : IEntityTypeConfiguration<CatalogRoleAssignment>
{
    public void Configure(EntityTypeBuilder<CatalogRoleAssignment> b)
    {
        b.HasIndex(r => new { r.CatalogId, r.UserId, r.Role }).IsUnique();
        b.HasIndex(r => r.UserId);
        b.HasOne<DirectoryUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccessPackageConfiguration : IEntityTypeConfiguration<AccessPackage>
{
    public void Configure(EntityTypeBuilder<AccessPackage> b)
    {
        b.Property(p => p.DisplayName).HasMaxLength(256);
        b.Property(p => p.Description).HasMaxLength(4000);
        b.HasIndex(p => new { p.CatalogId, p.DisplayName }).IsUnique();
        b.HasIndex(p => new { p.IsHidden, p.DisplayName });
        b.HasOne<Catalog>().WithMany().HasForeignKey(p => p.CatalogId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(p => p.ResourceRoles).WithOne().HasForeignKey(r => r.AccessPackageId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(p => p.IncompatibleAccessPackages).WithOne().HasForeignKey(r => r.AccessPackageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccessPackageResourceRoleConfiguration : IEntityTypeConfiguration<AccessPackageResourceRole>
{
    public void Configure(EntityTypeBuilder<AccessPackageResourceRole> b)
    {
        b.HasKey(r => new { r.AccessPackageId, r.ResourceRoleId });
        b.HasIndex(r => r.ResourceRoleId);
        b.HasOne<ResourceRole>().WithMany().HasForeignKey(r => r.ResourceRoleId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IncompatibleAccessPackageConfiguration : IEntityTypeConfiguration<IncompatibleAccessPackage>
{
    public void Configure(EntityTypeBuilder<IncompatibleAccessPackage> b)
    {
        b.HasKey(r => new { r.AccessPackageId, r.IncompatibleAccessPackageId });
        b.HasOne<AccessPackage>().WithMany().HasForeignKey(r => r.IncompatibleAccessPackageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AssignmentPolicyConfiguration : IEntityTypeConfiguration<AssignmentPolicy>
{
    public void Configure(EntityTypeBuilder<AssignmentPolicy> b)
    {
        b.Property(p => p.DisplayName).HasMaxLength(256);
        b.Property(p => p.Description).HasMaxLength(4000);
        b.HasIndex(p => p.AccessPackageId);
        // My Access finds the policies open to everyone of a kind by this small partial index (its filter is the query's term,
        // RequestEligibility.BroadScopes), and the specific ones through their targets.
        b.HasIndex(p => p.AllowedTargetScope, "IX_AssignmentPolicies_BroadScope")
            .HasFilter("\"AllowedTargetScope\" IN ('AllMemberUsers', 'AllDirectoryUsers', 'AllConfiguredConnectedOrganizationUsers', 'AllExternalUsers')");
        b.HasOne<AccessPackage>().WithMany().HasForeignKey(p => p.AccessPackageId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(p => p.SpecificAllowedTargets);
        b.OwnsMany(p => p.Targets, t =>
        {
            t.ToTable("AssignmentPolicyTargets");
            t.WithOwner().HasForeignKey("AssignmentPolicyId");
            t.Property<int>("Id");
            t.HasKey("Id");
            t.HasIndex(x => x.TargetId);
        });
        b.Property(p => p.Stages).HasJsonConversion();
        b.Property(p => p.Questions).HasJsonConversion();
        b.Property(p => p.Expiration).HasJsonConversion().IsRequired();
    }
}

internal sealed class AssignmentRequestConfiguration : IEntityTypeConfiguration<AccessPackageAssignmentRequest>
{
    public void Configure(EntityTypeBuilder<AccessPackageAssignmentRequest> b)
    {
        b.Property(r => r.Version).IsConcurrencyToken();
        b.Property(r => r.Status).HasMaxLength(64);
        b.Property(r => r.TargetEmail).HasMaxLength(254);
        b.Property(r => r.RequestorEmail).HasMaxLength(254);
        b.Property(r => r.Justification).HasMaxLength(4000);
        // Sweeps: approval deadlines and deliveries; lists: per target, per package.
        b.HasIndex(r => new { r.State, r.StageDeadline });
        b.HasIndex(r => new { r.TargetEmail, r.AccessPackageId, r.State });
        b.HasIndex(r => new { r.AccessPackageId, r.CreatedDateTime });
        b.HasIndex(r => new { r.TargetUserId, r.CreatedDateTime });
        b.HasOne<AccessPackage>().WithMany().HasForeignKey(r => r.AccessPackageId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AssignmentPolicy>().WithMany().HasForeignKey(r => r.AssignmentPolicyId).OnDelete(DeleteBehavior.SetNull);
        // Fixed when the request is made.
        b.Property(r => r.Answers).HasJsonConversion();
        b.Property(r => r.ApprovalStages).HasJsonConversion();
        b.Property(r => r.Expiration).HasJsonConversion().IsRequired();
    }
}

internal sealed class ApprovalDecisionConfiguration : IEntityTypeConfiguration<ApprovalDecision>
{
    public void Configure(EntityTypeBuilder<ApprovalDecision> b)
    {
        // Exactly one decision per stage, even if two approvers act at the same moment.
        b.HasIndex(d => new { d.RequestId, d.Stage }).IsUnique();
        b.HasIndex(d => new { d.ApproverUserId, d.DecidedDateTime });
        b.Property(d => d.Justification).HasMaxLength(4000);
        b.HasOne<AccessPackageAssignmentRequest>().WithMany().HasForeignKey(d => d.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PendingApprovalRouteConfiguration : IEntityTypeConfiguration<PendingApprovalRoute>
{
    public void Configure(EntityTypeBuilder<PendingApprovalRoute> b)
    {
        // The approvals list reads by route; taking a request out of the file, by request.
        b.HasKey(r => new { r.RouteId, r.RequestId });
        b.HasIndex(r => r.RequestId);
        b.HasOne<AccessPackageAssignmentRequest>().WithMany().HasForeignKey(r => r.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ConfigurationVersionConfiguration : IEntityTypeConfiguration<ConfigurationVersion>
{
    // Its row and the triggers that change it are made by the migration, in each provider's SQL.
    public void Configure(EntityTypeBuilder<ConfigurationVersion> b) => b.Property(v => v.Id).ValueGeneratedNever();
}

internal sealed class ApprovalHistoryEntryConfiguration : IEntityTypeConfiguration<ApprovalHistoryEntry>
{
    public void Configure(EntityTypeBuilder<ApprovalHistoryEntry> b)
    {
        b.HasKey(h => new { h.UserId, h.RequestId, h.Stage });
        // An approver's history, newest first.
        b.HasIndex(h => new { h.UserId, h.DecidedDateTime });
        b.HasOne<AccessPackageAssignmentRequest>().WithMany().HasForeignKey(h => h.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AssignmentConfiguration : IEntityTypeConfiguration<AccessPackageAssignment>
{
    public void Configure(EntityTypeBuilder<AccessPackageAssignment> b)
    {
        b.Property(a => a.Version).IsConcurrencyToken();
        b.Property(a => a.Status).HasMaxLength(64);
        // The expiry and reminder sweeps read active assignments in end order.
        b.HasIndex(a => a.ExpiredDateTime, "IX_Assignments_Active_ExpiredDateTime").HasFilter("\"State\" <> 'Expired'");
        // The package's Assignments tab: newest first, with or without a state filter.
        b.HasIndex(a => new { a.AccessPackageId, a.StartDateTime });
        b.HasIndex(a => new { a.AccessPackageId, a.State, a.StartDateTime });
        // One active assignment per user and package.
        b.HasIndex(a => new { a.TargetUserId, a.AccessPackageId }).IsUnique().HasFilter("\"State\" <> 'Expired'");
        b.HasIndex(a => new { a.TargetUserId, a.State });
        b.HasOne<AccessPackage>().WithMany().HasForeignKey(a => a.AccessPackageId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AssignmentPolicy>().WithMany().HasForeignKey(a => a.AssignmentPolicyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<DirectoryUser>().WithMany().HasForeignKey(a => a.TargetUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ConnectedOrganizationConfiguration : IEntityTypeConfiguration<ConnectedOrganization>
{
    public void Configure(EntityTypeBuilder<ConnectedOrganization> b)
    {
        b.Property(o => o.DisplayName).HasMaxLength(256);
        b.Property(o => o.Description).HasMaxLength(4000);
        b.HasIndex(o => o.DisplayName);
        b.HasIndex(o => new { o.State, o.DisplayName });
        b.HasMany(o => o.IdentitySources).WithOne().HasForeignKey(s => s.ConnectedOrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(o => o.Sponsors).WithOne().HasForeignKey(s => s.ConnectedOrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IdentitySourceConfiguration : IEntityTypeConfiguration<IdentitySource>
{
    public void Configure(EntityTypeBuilder<IdentitySource> b)
    {
        b.Property(s => s.Value).HasMaxLength(253);
        // A domain or tenant belongs to one connected organization.
        b.HasIndex(s => new { s.Kind, s.Value }).IsUnique();
    }
}

internal sealed class ConnectedOrganizationSponsorConfiguration : IEntityTypeConfiguration<ConnectedOrganizationSponsor>
{
    public void Configure(EntityTypeBuilder<ConnectedOrganizationSponsor> b)
    {
        b.HasIndex(s => new { s.ConnectedOrganizationId, s.UserId, s.Kind }).IsUnique();
        b.HasOne<DirectoryUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SettingsConfiguration : IEntityTypeConfiguration<EntitlementManagementSettings>
{
    public void Configure(EntityTypeBuilder<EntitlementManagementSettings> b)
    {
        b.Property(s => s.Id).ValueGeneratedNever();
        b.HasData(new EntitlementManagementSettings());
    }
}

internal sealed class CollaborationSettingsConfiguration : IEntityTypeConfiguration<ExternalCollaborationSettings>
{
    public void Configure(EntityTypeBuilder<ExternalCollaborationSettings> b)
    {
        b.Property(s => s.Id).ValueGeneratedNever();
        // A JSON list on every provider (SQLite's own format), so the seeded row compares equal on PostgreSQL too.
        b.Property(s => s.TargetDomains).HasConversion(
            v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
            v => JsonSerializer.Deserialize<List<string>>(v, (JsonSerializerOptions?)null) ?? new List<string>(),
            new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, d) => HashCode.Combine(h, d.GetHashCode(StringComparison.Ordinal))), v => v.ToList()));
        b.HasData(new ExternalCollaborationSettings());
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.Property(e => e.Category).HasMaxLength(64);
        b.Property(e => e.Activity).HasMaxLength(128);
        b.Property(e => e.ActorName).HasMaxLength(254);
        b.Property(e => e.TargetType).HasMaxLength(64);
        b.Property(e => e.TargetId).HasMaxLength(64);
        b.Property(e => e.TargetName).HasMaxLength(512);
        b.HasIndex(e => e.ActivityDateTime);
        b.HasIndex(e => new { e.Activity, e.ActivityDateTime });
        b.HasIndex(e => new { e.TargetId, e.ActivityDateTime });
    }
}

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> b)
    {
        b.Property(e => e.IdempotencyKey).HasMaxLength(200);
        b.Property(e => e.To).HasMaxLength(254);
        b.Property(e => e.Subject).HasMaxLength(512);
        b.HasIndex(e => e.IdempotencyKey).IsUnique();
        b.HasIndex(e => new { e.SentDateTime, e.NextAttemptDateTime });
        b.HasIndex(e => e.CreatedDateTime);
    }
}

internal sealed class SignInCodeConfiguration : IEntityTypeConfiguration<SignInCode>
{
    public void Configure(EntityTypeBuilder<SignInCode> b)
    {
        b.Property(c => c.EmailNormalized).HasMaxLength(254);
        b.Property(c => c.ClientKey).HasMaxLength(64);
        // Throttling counts recent codes per address and per client.
        b.HasIndex(c => new { c.EmailNormalized, c.CreatedDateTime });
        b.HasIndex(c => new { c.ClientKey, c.CreatedDateTime });
    }
}

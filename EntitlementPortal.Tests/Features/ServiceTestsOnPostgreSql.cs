using EntitlementPortal.Tests.Infrastructure;

namespace EntitlementPortal.Tests.Features;

// Every service test again, on PostgreSQL: .ci/run starts a server for them.
[OnPostgreSql] public sealed class ApprovalTestsOnPostgreSql : ApprovalTests;
[OnPostgreSql] public sealed class AssignmentTestsOnPostgreSql : AssignmentTests;
[OnPostgreSql] public sealed class AuditCompletenessTestsOnPostgreSql : AuditCompletenessTests;
[OnPostgreSql] public sealed class AuthorizationTestsOnPostgreSql : AuthorizationTests;
[OnPostgreSql] public sealed class CatalogTestsOnPostgreSql : CatalogTests;
[OnPostgreSql] public sealed class CollaborationRestrictionTestsOnPostgreSql : CollaborationRestrictionTests;
[OnPostgreSql] public sealed class ConnectedOrganizationTestsOnPostgreSql : ConnectedOrganizationTests;
[OnPostgreSql] public sealed class DemoDataAndBootstrapTestsOnPostgreSql : DemoDataAndBootstrapTests;
[OnPostgreSql] public sealed class ExportTestsOnPostgreSql : ExportTests;
[OnPostgreSql] public sealed class ExternalUserJourneyTestsOnPostgreSql : ExternalUserJourneyTests;
[OnPostgreSql] public sealed class HostileInputTestsOnPostgreSql : HostileInputTests;
[OnPostgreSql] public sealed class LifecycleOfExternalUsersTestsOnPostgreSql : LifecycleOfExternalUsersTests;
[OnPostgreSql] public sealed class MyAccessTestsOnPostgreSql : MyAccessTests;
[OnPostgreSql] public sealed class OneTimePasscodeTestsOnPostgreSql : OneTimePasscodeTests;
[OnPostgreSql] public sealed class OutboxTestsOnPostgreSql : OutboxTests;
[OnPostgreSql] public sealed class PolicyValidationTestsOnPostgreSql : PolicyValidationTests;
[OnPostgreSql] public sealed class PortalAccessTestsOnPostgreSql : PortalAccessTests;
[OnPostgreSql] public sealed class SmtpTestsOnPostgreSql : SmtpTests;
[OnPostgreSql] public sealed class SetBasedWritesTestsOnPostgreSql : EntitlementPortal.Tests.Data.SetBasedWritesTests;
[OnPostgreSql] public sealed class ConcurrentWriteTestsOnPostgreSql : EntitlementPortal.Tests.Data.ConcurrentWriteTests;
[OnPostgreSql] public sealed class FollowUpTestsOnPostgreSql : EntitlementPortal.Tests.Data.FollowUpTests;
[OnPostgreSql] public sealed class CompiledQueryTestsOnPostgreSql : EntitlementPortal.Tests.Data.CompiledQueryTests;
[OnPostgreSql] public sealed class SearchTestsOnPostgreSql : SearchTests;
[OnPostgreSql] public sealed class ApproverIndexTestsOnPostgreSql : ApproverIndexTests;
[OnPostgreSql] public sealed class JsonColumnTestsOnPostgreSql : EntitlementPortal.Tests.Data.JsonColumnTests;
[OnPostgreSql] public sealed class ConfigurationCacheTestsOnPostgreSql : EntitlementPortal.Tests.Data.ConfigurationCacheTests;

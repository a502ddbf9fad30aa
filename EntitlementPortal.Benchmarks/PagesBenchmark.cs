using System.Diagnostics;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Approvals;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Dashboard;
using EntitlementPortal.Features.MyAccess;
using EntitlementPortal.Features.Requests;
using EntitlementPortal.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Benchmarks;

/// <summary>
/// A tenant at ten times Entra's limits (by default 3,000,000 assignments, 200,000 packages, 2,000,000 requests, 25,000
/// connected organizations, plus 300,000 guests and 2,000,000 audit events): the time of the service calls behind the
/// main pages, p50 and p95 over repeated runs, and whether each query plan is index-backed.
/// </summary>
public static class PagesBenchmark
{
    private const int Runs = 20;

    public static async Task RunAsync(int assignments)
    {
        var recorder = new CommandRecorder();
        var (portal, package, approver) = await BuildTenantAsync(assignments, services => services.AddSingleton<IInterceptor>(recorder));
        await using var _ = portal;
        var admin = portal.Admin;
        var packages = portal.Get<AccessPackageQueryService>();
        var partner = Actor.ForEmail("someone@fabrikam.com");
        var generatedPartner = Actor.ForEmail("someone@partner7.example");
        var queries = new (string Name, Func<Task> Call)[]
        {
            ("my_access_search", () => portal.Get<MyAccessService>().RequestableAsync(partner, "Falcon")),
            ("my_access_all", () => portal.Get<MyAccessService>().RequestableAsync(generatedPartner, null)),
            ("assignments_first_page", () => packages.AssignmentsAsync(admin, package.PackageId, null, new PageRequest(0, 25))),
            ("assignments_deep_page", () => packages.AssignmentsAsync(admin, package.PackageId, null, new PageRequest(4_000, 25))),
            ("assignments_filtered", () => packages.AssignmentsAsync(admin, package.PackageId, AssignmentState.Delivered, new PageRequest(0, 25))),
            ("package_requests", () => packages.RequestsAsync(admin, package.PackageId, new PageRequest(0, 25))),
            ("approvals_pending", () => portal.Get<MyAccessService>().PendingApprovalsAsync(approver)),
            ("approvals_pending_none", () => portal.Get<MyAccessService>().PendingApprovalsAsync(admin)),
            ("audit_first_page", () => portal.Get<AuditQueryService>().SearchAsync(admin, new AuditFilter(), new PageRequest(0, 25))),
            ("audit_by_activity", () => portal.Get<AuditQueryService>().SearchAsync(admin, new AuditFilter(Activity: "Fulfill access package assignment"), new PageRequest(0, 25))),
            ("dashboard_counts", () => portal.Get<DashboardService>().GetAsync(admin)),
        };
        foreach (var (name, call) in queries)
        {
            await call();
            recorder.Recording = true;
            await call();
            recorder.Recording = false;
            var (plan, indexBacked) = await recorder.PlansAsync(portal.DatabasePath);
            var times = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                var watch = Stopwatch.StartNew();
                await call();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Report.Line($"{name}: plan {string.Join(" | ", plan.Distinct())}");
            Report.Result("pages", ("query", name), ("p50_ms", times[Runs / 2]), ("p95_ms", times[(int)(Runs * 0.95) - 1]),
                ("index_backed", indexBacked ? "yes" : "no"));
        }
    }

    /// <summary>The seed's setup through the services, then the tenant generated around it; dispose the portal.</summary>
    public static async Task<(BenchmarkPortal Portal, PartnerPackage Package, Actor Approver)> BuildTenantAsync(int assignments, Action<IServiceCollection>? configure = null)
    {
        var portal = await BenchmarkPortal.CreateAsync(configure);
        var package = await PartnerPackage.CreateAsync(portal, approval: true);
        var approver = new Actor(package.ApproverId, "approver@contoso.com");
        var pendingTemplate = await portal.Get<RequestService>().SubmitAsync(Actor.ForEmail("pending@fabrikam.com"), new AccessRequestInput(package.PackageId));
        var deliveredTemplate = await portal.Get<RequestService>().SubmitAsync(Actor.ForEmail("delivered@fabrikam.com"), new AccessRequestInput(package.PackageId));
        await portal.Get<ApprovalService>().ApproveAsync(approver, deliveredTemplate);

        var generation = await Report.TimeAsync(() => GenerateAsync(portal, package, pendingTemplate, deliveredTemplate, assignments));
        Report.Line($"generated in {generation.TotalSeconds:0} s: {await portal.CountAsync("SELECT COUNT(*) FROM Assignments"):N0} assignments, "
            + $"{await portal.CountAsync("SELECT COUNT(*) FROM AccessPackages"):N0} packages, {await portal.CountAsync("SELECT COUNT(*) FROM AssignmentRequests"):N0} requests, "
            + $"{await portal.CountAsync("SELECT COUNT(*) FROM ConnectedOrganizations"):N0} connected organizations, {await portal.CountAsync("SELECT COUNT(*) FROM Users"):N0} users, "
            + $"{await portal.CountAsync("SELECT COUNT(*) FROM AuditEvents"):N0} audit events");
        return (portal, package, approver);
    }

    private static async Task GenerateAsync(BenchmarkPortal portal, PartnerPackage package, Guid pendingTemplate, Guid deliveredTemplate, int assignments)
    {
        long packages = Math.Max(assignments / 15, 1), catalogs = Math.Max(packages / 100, 1), organizations = Math.Max(assignments / 120, 1);
        long users = Math.Max(assignments / 10, 1), requests = assignments * 2L / 3, pending = Math.Min(600, requests);
        // A tenant's pending requests are mostly other approvers': 20,000 in all at full size.
        long othersPending = Math.Min(19_400, requests - pending);
        await using var db = portal.NewDb();
        var catalogId = await db.AccessPackages.Where(p => p.Id == package.PackageId).Select(p => p.CatalogId).SingleAsync();
        var assignment = await db.Assignments.SingleAsync();
        var auditId = await db.AuditEvents.OrderBy(e => e.Id).Select(e => e.Id).FirstAsync();
        var sourceId = await db.IdentitySources.Where(s => s.ConnectedOrganizationId == package.OrganizationId).Select(s => s.Id).FirstAsync();

        await using var connection = new SqliteConnection($"Data Source={portal.DatabasePath}");
        await connection.OpenAsync();
        await using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;";
            await begin.ExecuteNonQueryAsync();
        }
        var generator = new TenantGenerator(connection);
        var id = TenantGenerator.Id;
        var spread = "datetime('2026-01-05 09:00:00', '-' || (i % 700) || ' days')";
        // Pending requests fall due over the next fortnight, a minute or so apart.
        var waitingUntil = "datetime(t.\"StageDeadline\", '-' || (i * 7 % 20160) || ' minutes')";
        var packageOf = $"CASE WHEN i % 20 = 0 THEN '{package.PackageId.ToString().ToUpperInvariant()}' ELSE {id(4, $"i % {packages}")} END";
        var policyOf = $"CASE WHEN i % 20 = 0 THEN '{package.PolicyId.ToString().ToUpperInvariant()}' ELSE {id(5, $"i % {packages}")} END";
        var mailOf = $"'guest' || (i % {users}) || '@partner' || ((i % {users}) % {organizations}) || '.example'";
        await generator.CloneAsync("ConnectedOrganizations", Upper(package.OrganizationId), organizations, new() { ["Id"] = id(1, "i"), ["DisplayName"] = "'Partner ' || i" });
        await generator.CloneAsync("IdentitySources", sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture), organizations,
            new() { ["Id"] = "NULL", ["ConnectedOrganizationId"] = id(1, "i"), ["Value"] = "'partner' || i || '.example'" });
        await generator.CloneAsync("Catalogs", Upper(catalogId), catalogs, new() { ["Id"] = id(3, "i"), ["DisplayName"] = "'Catalog ' || i" });
        await generator.CloneAsync("AccessPackages", Upper(package.PackageId), packages,
            new() { ["Id"] = id(4, "i"), ["CatalogId"] = id(3, $"i % {catalogs}"), ["DisplayName"] = "'Package ' || i", ["CreatedDateTime"] = spread });
        await generator.CloneAsync("AssignmentPolicies", Upper(package.PolicyId), packages, new() { ["Id"] = id(5, "i"), ["AccessPackageId"] = id(4, "i") });
        // Each generated package's policy admits one organization: a partner sees a handful of packages among them all.
        await generator.CloneAsync("AssignmentPolicyTargets", (await portal.CountAsync("SELECT MIN(Id) FROM AssignmentPolicyTargets")).ToString(System.Globalization.CultureInfo.InvariantCulture),
            packages, new() { ["Id"] = "NULL", ["AssignmentPolicyId"] = id(5, "i"), ["TargetId"] = id(1, $"i % {organizations}") });
        await generator.CloneAsync("Users", Upper(assignment.TargetUserId), users, new()
        {
            ["Id"] = id(6, "i"), ["DisplayName"] = "'Guest ' || i", ["Mail"] = mailOf, ["MailNormalized"] = mailOf,
            ["ConnectedOrganizationId"] = id(1, $"i % {organizations}"), ["CreatedDateTime"] = spread,
        });
        // One active assignment per guest; the rest is history. Every twentieth row is the measured package's.
        await generator.CloneAsync("Assignments", Upper(assignment.Id), assignments, new()
        {
            ["Id"] = id(7, "i"), ["AccessPackageId"] = packageOf, ["AssignmentPolicyId"] = policyOf, ["TargetUserId"] = id(6, $"i % {users}"),
            ["State"] = $"CASE WHEN i < {users} THEN 'Delivered' ELSE 'Expired' END", ["Status"] = $"CASE WHEN i < {users} THEN 'Delivered' ELSE 'Expired' END",
            ["StartDateTime"] = spread, ["ExpiredDateTime"] = $"datetime({spread}, '+180 days')",
        });
        await generator.CloneAsync("AssignmentRequests", Upper(deliveredTemplate), requests - pending - othersPending, new()
        {
            ["Id"] = id(8, "i"), ["AccessPackageId"] = packageOf, ["AssignmentPolicyId"] = policyOf, ["AssignmentId"] = id(7, "i"),
            ["TargetUserId"] = id(6, $"i % {users}"), ["RequestorEmail"] = mailOf, ["TargetEmail"] = mailOf, ["CreatedDateTime"] = spread, ["CompletedDateTime"] = spread,
        });
        await generator.CloneAsync("AssignmentRequests", Upper(pendingTemplate), pending, new()
        {
            ["Id"] = id(9, "i"), ["AccessPackageId"] = id(4, "i"), ["AssignmentPolicyId"] = id(5, "i"),
            ["RequestorEmail"] = "'waiting' || i || '@fabrikam.com'", ["TargetEmail"] = "'waiting' || i || '@fabrikam.com'",
            ["StageDeadline"] = waitingUntil,
        });
        await generator.CloneAsync("AssignmentRequests", Upper(pendingTemplate), othersPending, new()
        {
            ["Id"] = id(10, "i"), ["AccessPackageId"] = id(4, "i"), ["AssignmentPolicyId"] = id(5, "i"),
            ["RequestorEmail"] = "'other' || i || '@fabrikam.com'", ["TargetEmail"] = "'other' || i || '@fabrikam.com'",
            // The stages' document names approvers as System.Text.Json writes a GUID: lower-case.
            ["ApprovalStages"] = $"replace(t.\"ApprovalStages\", '{package.ApproverId}', lower({id(6, "i % 50")}))",
            ["StageDeadline"] = waitingUntil,
        });
        // Filed for the approvals list as the save files them: the template waits for the measured approver alone.
        await generator.CloneAsync("PendingApprovalRoutes", Upper(pendingTemplate), pending, new() { ["RequestId"] = id(9, "i") }, templateKey: "RequestId");
        await generator.CloneAsync("PendingApprovalRoutes", Upper(pendingTemplate), othersPending,
            new() { ["RouteId"] = id(6, "i % 50"), ["RequestId"] = id(10, "i") }, templateKey: "RequestId");
        await generator.CloneAsync("AuditEvents", auditId.ToString(System.Globalization.CultureInfo.InvariantCulture), requests, new()
        {
            ["Id"] = "NULL", ["ActivityDateTime"] = spread, ["TargetId"] = id(8, "i"),
            ["Activity"] = "CASE i % 3 WHEN 0 THEN 'Fulfill access package assignment' WHEN 1 THEN 'User requests access package assignment' ELSE 'Remove access package assignment' END",
        });
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);";
        analyze.CommandTimeout = 0;
        await analyze.ExecuteNonQueryAsync();
    }

    private static string Upper(Guid id) => id.ToString().ToUpperInvariant();
}

using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

/// <summary>Settings changed in the browser change what the engine does.</summary>
[Collection(PortalBrowser.Collection)]
public sealed class RulesBrowserTests
{
    [BrowserFact]
    public async Task With_block_and_remove_set_to_No_in_the_browser_a_guest_whose_access_expires_can_still_sign_in()
    {
        await using var portal = await PortalBrowser.StartAsync("Testing");
        var admin = await portal.NewPageAsync();
        await portal.SignInWithCodeAsync(admin, "admin@contoso.com");
        await PortalBrowser.GoAsync(admin, "/identity-governance/entitlement-management/settings");
        await PortalBrowser.WaitForInteractiveAsync(admin);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await admin.GetByRole(AriaRole.Radiogroup, new() { Name = "Block external user from signing in to this directory" }).GetByText("No", new() { Exact = true }).ClickAsync();
        await admin.GetByRole(AriaRole.Radiogroup, new() { Name = "Remove external user" }).GetByText("No", new() { Exact = true }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await admin.GetByText("Your settings were saved.").WaitForAsync();

        // The demo's "Falcon reviewers" assignments last ten days.
        var guest = await portal.QueryAsync(db => (from a in db.Assignments
                                                     join p in db.AccessPackages on a.AccessPackageId equals p.Id
                                                     join u in db.Users on a.TargetUserId equals u.Id
                                                     where p.DisplayName == "Falcon reviewers" && a.State != AssignmentState.Expired && u.Lifecycle == SubjectLifecycle.Governed
                                                     select u.MailNormalized).FirstAsync());
        await portal.AdvanceAndRunJobsAsync(TimeSpan.FromDays(11));
        var page = await portal.NewPageAsync();
        await portal.SignInWithCodeAsync(page, guest);
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(guest);
    }

    [BrowserFact]
    public async Task A_catalog_set_to_not_enabled_for_external_users_stops_external_requests()
    {
        await using var portal = await PortalBrowser.StartAsync("Testing");
        var admin = await portal.NewPageAsync();
        await portal.SignInWithCodeAsync(admin, "admin@contoso.com");
        var catalogId = await portal.QueryAsync(db => db.Catalogs.Where(c => c.DisplayName == "Partner projects").Select(c => c.Id).SingleAsync());
        await PortalBrowser.GoAsync(admin, $"/catalogs/{catalogId}");
        await PortalBrowser.WaitForInteractiveAsync(admin);
        await admin.GetByRole(AriaRole.Radiogroup, new() { Name = "Enabled for external users" }).GetByText("No", new() { Exact = true }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await admin.GetByText("Enabled for external users: No").WaitForAsync();

        var packageId = await portal.QueryAsync(db => db.AccessPackages.Where(p => p.DisplayName == "Falcon engineering").Select(p => p.Id).SingleAsync());
        var external = await portal.NewPageAsync();
        await portal.SignInWithCodeAsync(external, "partner@fabrikam.com");
        await PortalBrowser.GoAsync(external, $"/myaccess/access-packages/{packageId}");
        await Assertions.Expect(external.GetByTestId("not-eligible")).ToContainTextAsync("not open to people outside the organization");
        await Assertions.Expect(external.GetByRole(AriaRole.Button, new() { Name = "Submit request" })).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task A_domain_denied_while_the_request_waits_for_approval_ends_in_a_clear_delivery_failure_when_it_is_approved()
    {
        await using var portal = await PortalBrowser.StartAsync("Testing");
        var packageId = await portal.QueryAsync(db => db.AccessPackages.Where(p => p.DisplayName == "Falcon engineering").Select(p => p.Id).SingleAsync());
        var external = await portal.NewPageAsync();
        await portal.SignInWithCodeAsync(external, "partner@fabrikam.com");
        await PortalBrowser.GoAsync(external, $"/myaccess/access-packages/{packageId}");
        await PortalBrowser.WaitForInteractiveAsync(external);
        await PortalBrowser.TypeAsync(external.GetByLabel("Business justification (required)"), "Falcon work");
        await external.GetByRole(AriaRole.Button, new() { Name = "Submit request" }).ClickAsync();
        await external.GetByTestId("submitted").WaitForAsync();

        var admin = await portal.NewPageAsync();
        await portal.SignInWithCodeAsync(admin, "admin@contoso.com");
        await PortalBrowser.GoAsync(admin, "/external-identities/collaboration-settings");
        await PortalBrowser.WaitForInteractiveAsync(admin);
        await admin.GetByText("Deny invitations to the specified domains").ClickAsync();
        await PortalBrowser.TypeAsync(admin.GetByLabel("Target domains"), "fabrikam.com");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await admin.GetByText("Your settings were saved.").WaitForAsync();

        // The approval delivers at once, and the delivery meets the invitation policy.
        var approver = await portal.NewPageAsync();
        await portal.SignInWithCodeAsync(approver, "approver@contoso.com");
        await PortalBrowser.GoAsync(approver, "/myaccess/approvals");
        await PortalBrowser.WaitForInteractiveAsync(approver);
        await PortalBrowser.ApproveAsync(approver, "partner@fabrikam.com", "Known partner engineer");
        await approver.GetByTestId("approval-history").First.WaitForAsync();

        await PortalBrowser.GoAsync(admin, $"/access-packages/{packageId}");
        await PortalBrowser.WaitForInteractiveAsync(admin);
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Requests" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "partner@fabrikam.com" }))
            .ToContainTextAsync("The domain of the user (fabrikam.com) is currently blocked by your invitation policy.");
    }
}

using EntitlementPortal.Data;
using EntitlementPortal.Features.Assignments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

[Collection(PortalBrowser.Collection)]
public sealed class MyAccessBrowserTests
{
    private const string Partner = "newcomer@fabrikam.com";

    [BrowserFact]
    public async Task An_external_user_opens_the_link_signs_in_by_passcode_requests_an_approver_approves_and_the_user_sees_the_access()
    {
        await using var portal = await PortalBrowser.StartAsync();
        var packageId = await portal.QueryAsync(db => db.AccessPackages.Where(p => p.DisplayName == "Falcon engineering").Select(p => p.Id).SingleAsync());

        var external = await portal.NewPageAsync();
        await PortalBrowser.GoAsync(external, $"/myaccess/access-packages/{packageId}");
        await PortalBrowser.WaitForUrlAsync(external, url => url.Contains("/account/signin", StringComparison.Ordinal));
        await external.GetByLabel("Email", new() { Exact = true }).FillAsync(Partner);
        await external.GetByRole(AriaRole.Button, new() { Name = "Send code" }).ClickAsync();
        await external.GetByLabel("Code", new() { Exact = true }).FillAsync(await portal.LatestCodeAsync(Partner));
        await external.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await PortalBrowser.WaitForUrlAsync(external, url => url.EndsWith($"/myaccess/access-packages/{packageId}", StringComparison.Ordinal));
        await PortalBrowser.WaitForInteractiveAsync(external);
        await external.GetByText("Project Falcon (Member)").WaitForAsync();
        await PortalBrowser.TypeAsync(external.GetByLabel("Business justification (required)"), "I build the Falcon prototypes");
        await external.GetByRole(AriaRole.Button, new() { Name = "Submit request" }).ClickAsync();
        await external.GetByTestId("submitted").WaitForAsync();

        var approver = await portal.NewPageAsync();
        await PortalBrowser.SignInAsync(approver, "approver@contoso.com");
        await PortalBrowser.GoAsync(approver, "/myaccess/approvals");
        await PortalBrowser.WaitForInteractiveAsync(approver);
        await PortalBrowser.ApproveAsync(approver, Partner, "Works on Falcon with us");
        await Assertions.Expect(approver.GetByTestId("approval-history").Filter(new() { HasText = "newcomer" })).ToContainTextAsync("Works on Falcon with us");

        await portal.Services.GetRequiredService<DeliveryService>().DeliverPendingAsync();

        await PortalBrowser.GoAsync(external, "/myaccess/my-access");
        await PortalBrowser.WaitForInteractiveAsync(external);
        await Assertions.Expect(external.GetByTestId("my-assignment")).ToContainTextAsync("Falcon engineering");

        // The tabs are links: the address follows the tab, and the page changes in its circuit without loading again.
        await external.EvaluateAsync("window.stayedOnPage = true");
        await external.GetByRole(AriaRole.Link, new() { Name = "Request history", Exact = true }).ClickAsync();
        await PortalBrowser.WaitForUrlAsync(external, url => url.EndsWith("/myaccess/request-history", StringComparison.Ordinal));
        await Assertions.Expect(external.GetByTestId("my-access-tab")).ToContainTextAsync("Fulfill access package assignment");
        Assert.True(await external.EvaluateAsync<bool>("window.stayedOnPage === true"));

        // The "You now have access" e-mail's link completes the invitation and signs the guest in.
        var delivered = await portal.QueryAsync(db => db.OutboxEmails.Where(e => e.To == Partner && e.Subject == "You now have access to Falcon engineering").Select(e => e.Body).SingleAsync());
        var link = new Uri(delivered[delivered.IndexOf("http", StringComparison.Ordinal)..].Trim());
        var fromEmail = await portal.NewPageAsync();
        await PortalBrowser.GoAsync(fromEmail, link.PathAndQuery);
        await fromEmail.GetByRole(AriaRole.Button, new() { Name = "Accept invitation" }).ClickAsync();
        await PortalBrowser.WaitForUrlAsync(fromEmail, url => url.EndsWith("/myaccess/my-access", StringComparison.Ordinal));
        await Assertions.Expect(fromEmail.GetByTestId("signed-in-as")).ToHaveTextAsync(Partner);
        Assert.Equal(EntitlementPortal.Domain.ExternalUserState.Accepted,
            await portal.QueryAsync(db => db.Users.Where(u => u.MailNormalized == Partner).Select(u => u.ExternalUserState).SingleAsync()));
    }

    /// <summary>My Access keeps no popover provider in its circuit (WithoutMudOverlays); the request page it links to has one.</summary>
    [BrowserFact]
    public async Task From_My_Access_a_Request_link_opens_the_request_page_in_the_same_circuit_and_its_date_picker_opens()
    {
        await using var portal = await PortalBrowser.StartAsync();
        await portal.QueryAsync(db => db.AssignmentPolicies
            .Where(p => db.AccessPackages.Any(a => a.Id == p.AccessPackageId && a.DisplayName == "Falcon engineering"))
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.AllowCustomAssignmentSchedule, true)));

        var page = await portal.NewPageAsync();
        await PortalBrowser.SignInAsync(page, "partner@fabrikam.com");
        await PortalBrowser.GoAsync(page, "/myaccess");
        await PortalBrowser.WaitForInteractiveAsync(page);
        await page.EvaluateAsync("window.stayedOnPage = true");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Falcon engineering" }).GetByRole(AriaRole.Link, new() { Name = "Request" }).ClickAsync();
        await page.GetByLabel("Request for specific period? Until").ClickAsync();
        await page.Locator(".mud-popover-open").First.WaitForAsync();
        Assert.True(await page.EvaluateAsync<bool>("window.stayedOnPage === true"));
    }
}

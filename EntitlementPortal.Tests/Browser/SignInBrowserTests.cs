using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

[Collection(PortalBrowser.Collection)]
public sealed class SignInBrowserTests
{
    [BrowserFact]
    public async Task An_external_user_signs_in_with_the_code_from_the_email()
    {
        await using var portal = await PortalBrowser.StartAsync();
        var page = await portal.NewPageAsync();
        await PortalBrowser.GoAsync(page, "/account/signin");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("partner@fabrikam.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code" }).ClickAsync();
        await page.GetByText("We sent a six-digit code to partner@fabrikam.com").WaitForAsync();

        await page.GetByLabel("Code", new() { Exact = true }).FillAsync("000000x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByTestId("signin-error").WaitForAsync();

        await page.GetByLabel("Code", new() { Exact = true }).FillAsync(await portal.LatestCodeAsync("partner@fabrikam.com"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByTestId("signed-in-as").WaitForAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("partner@fabrikam.com");
    }

    [BrowserFact]
    public async Task Signing_out_ends_the_session()
    {
        await using var portal = await PortalBrowser.StartAsync();
        var page = await portal.NewPageAsync();
        await PortalBrowser.SignInAsync(page, "admin@contoso.com");
        await PortalBrowser.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).First.WaitForAsync();
        await PortalBrowser.GoAsync(page, "/users");
        await PortalBrowser.WaitForUrlAsync(page, url => url.Contains("/account/signin", StringComparison.Ordinal));
    }

    [BrowserFact]
    public async Task A_guest_blocked_while_signed_in_is_sent_to_sign_in_at_the_next_request()
    {
        await using var portal = await PortalBrowser.StartAsync();
        var page = await portal.NewPageAsync();
        await PortalBrowser.SignInAsync(page, "lead@fabrikam.com");
        await PortalBrowser.GoAsync(page, "/myaccess/my-access");
        await page.GetByTestId("my-assignment").WaitForAsync();

        var requests = portal.Services.GetRequiredService<EntitlementPortal.Features.Requests.RequestService>();
        await using (var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var lead = await db.Users.SingleAsync(u => u.MailNormalized == "lead@fabrikam.com");
            var assignment = await db.Assignments.SingleAsync(a => a.TargetUserId == lead.Id && a.State != EntitlementPortal.Domain.AssignmentState.Expired);
            await requests.RelinquishAsync(EntitlementPortal.Features.Common.Actor.For(lead), assignment.Id);
        }

        // A fresh tab of the same browser session: the old tab's live circuit cannot race the navigation.
        var next = await page.Context.NewPageAsync();
        await PortalBrowser.GoAsync(next, "/myaccess/my-access");
        await PortalBrowser.WaitForUrlAsync(next, url => url.Contains("/account/signin", StringComparison.Ordinal));
    }
}

using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

/// <summary>The seed's "How access works for external users", all eleven steps, driven through the pages.</summary>
[Collection(PortalBrowser.Collection)]
public sealed class ExternalUserStoryBrowserTests
{
    private const string Partner = "sam@northwindtraders.com";

    [BrowserFact]
    public async Task The_eleven_steps_of_the_seed_run_through_the_pages()
    {
        await using var portal = await PortalBrowser.StartAsync("Testing");

        // 1. An administrator creates a catalog enabled for external users, a connected organization and an access package
        //    whose policy is "For users not in your directory" with approval and 180-day expiry.
        var admin = await portal.NewPageAsync();
        await portal.SignInWithCodeAsync(admin, "admin@contoso.com");
        await PortalBrowser.GoAsync(admin, "/connected-organizations/new");
        await PortalBrowser.WaitForInteractiveAsync(admin);
        await PortalBrowser.TypeAsync(admin.GetByLabel("Name"), "Northwind Traders");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await PortalBrowser.TypeAsync(admin.GetByLabel("Domains"), "northwindtraders.com");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await PortalBrowser.WaitForUrlAsync(admin, url => !url.EndsWith("/new", StringComparison.Ordinal));

        await PortalBrowser.GoAsync(admin, "/catalogs/new");
        await PortalBrowser.WaitForInteractiveAsync(admin);
        await PortalBrowser.TypeAsync(admin.GetByLabel("Name"), "Story catalog");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await PortalBrowser.WaitForUrlAsync(admin, url => !url.EndsWith("/new", StringComparison.Ordinal));
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Resources" }).ClickAsync();
        await admin.GetByLabel("Add resources").ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = "Project Falcon (Group)" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await admin.GetByRole(AriaRole.Cell, new() { Name = "Member, Owner" }).WaitForAsync();
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Access packages" }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "New access package" }).ClickAsync();

        await PortalBrowser.WaitForInteractiveAsync(admin);
        await PortalBrowser.TypeAsync(admin.GetByLabel("Name"), "Story package");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await admin.GetByLabel("Project Falcon (Group): Member").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await admin.GetByLabel("Northwind Traders").CheckAsync();
        await admin.GetByLabel("Specific approvers").ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = "Alex Approver (approver@contoso.com)" }).ClickAsync();
        await admin.Keyboard.PressAsync("Escape");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await PortalBrowser.TypeAsync(admin.GetByLabel("Days until expiration"), "180");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        // 2. The My Access portal link, for the contact at the external organization.
        var link = new Uri(await admin.GetByTestId("myaccess-link").InnerTextAsync());

        // 3. The external user opens the link, signs in with a passcode and requests.
        var external = await portal.NewPageAsync();
        await PortalBrowser.GoAsync(external, link.PathAndQuery);
        await PortalBrowser.WaitForUrlAsync(external, url => url.Contains("/account/signin", StringComparison.Ordinal));
        await portal.SignInWithCodeAsync(external, Partner);
        await PortalBrowser.WaitForInteractiveAsync(external);
        await PortalBrowser.TypeAsync(external.GetByLabel("Business justification"), "Tailspin builds the Falcon toys");
        await external.GetByRole(AriaRole.Button, new() { Name = "Submit request" }).ClickAsync();
        await external.GetByTestId("submitted").WaitForAsync();

        // 4. The approver approves.
        var approver = await portal.NewPageAsync();
        await portal.SignInWithCodeAsync(approver, "approver@contoso.com");
        await PortalBrowser.GoAsync(approver, "/myaccess/approvals");
        await PortalBrowser.WaitForInteractiveAsync(approver);
        await PortalBrowser.ApproveAsync(approver, Partner, "Known partner engineer");
        await approver.GetByTestId("approval-history").Filter(new() { HasText = "Story package" }).WaitForAsync();

        // 5–8. Delivering: the guest is invited, given every resource role, and e-mailed.
        await portal.AdvanceAndRunJobsAsync(TimeSpan.Zero);
        var delivered = await portal.QueryAsync(db => db.OutboxEmails.Where(e => e.To == Partner && e.Subject == "You now have access to Story package").Select(e => e.Body).SingleAsync());

        // 9. The guest follows the link in the e-mail to complete the invitation and sees the access.
        var redeem = new Uri(delivered[delivered.IndexOf("http", StringComparison.Ordinal)..].Trim());
        await PortalBrowser.GoAsync(external, redeem.PathAndQuery);
        await external.GetByRole(AriaRole.Button, new() { Name = "Accept invitation" }).ClickAsync();
        await PortalBrowser.WaitForUrlAsync(external, url => url.EndsWith("/myaccess/my-access", StringComparison.Ordinal));
        await PortalBrowser.WaitForInteractiveAsync(external);
        await Assertions.Expect(external.GetByTestId("my-assignment")).ToContainTextAsync("Active");

        // 10. 180 days later the assignment expires, the access is removed and the guest is told.
        //     (Sessions end after eight hours, so everyone signs in again on the moved clock.)
        await portal.AdvanceAndRunJobsAsync(TimeSpan.FromDays(180));
        Assert.Equal(1, await portal.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.To == Partner && e.Subject == "Access has ended for Story package")));

        // 11. The guest is blocked from signing in, and 30 days later the account is gone from the directory.
        await PortalBrowser.GoAsync(external, "/account/signin");
        await external.GetByLabel("Email", new() { Exact = true }).FillAsync(Partner);
        await external.GetByRole(AriaRole.Button, new() { Name = "Send code" }).ClickAsync();
        var code = await portal.LatestCodeAsync(Partner);
        await external.GetByLabel("Code", new() { Exact = true }).FillAsync(code);
        await external.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(external.GetByTestId("signin-error")).ToContainTextAsync("blocked from signing in");

        await portal.SignInWithCodeAsync(admin, "admin@contoso.com");
        await Assertions.Expect(await GuestRowAsync(admin)).ToContainTextAsync("Blocked");
        await portal.AdvanceAndRunJobsAsync(TimeSpan.FromDays(30));
        await portal.SignInWithCodeAsync(admin, "admin@contoso.com");
        await Assertions.Expect(await GuestRowAsync(admin)).ToHaveCountAsync(0);
    }

    private static async Task<ILocator> GuestRowAsync(IPage admin)
    {
        await PortalBrowser.GoAsync(admin, "/users");
        await PortalBrowser.WaitForInteractiveAsync(admin);
        await admin.GetByLabel("Search by name or e-mail").FillAsync("northwind");
        await admin.GetByLabel("Search by name or e-mail").PressAsync("Enter");
        await admin.GetByText("Adele Vance").WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        return admin.GetByRole(AriaRole.Row).Filter(new() { HasText = Partner });
    }
}

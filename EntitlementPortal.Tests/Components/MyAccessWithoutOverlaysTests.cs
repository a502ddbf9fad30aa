using System.Reflection;
using Bunit;
using EntitlementPortal.Components.Layout;
using EntitlementPortal.Components.Pages.MyAccess;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EntitlementPortal.Tests.Components;

/// <summary>My Access keeps no popover or dialog provider in its circuits (WithoutMudOverlays): nothing on it may need one.</summary>
public sealed class MyAccessWithoutOverlaysTests : PortalPageTest
{
    private const string Lee = "lee@fabrikam.com";

    [Fact]
    public void My_Access_is_marked_to_run_without_MudBlazors_popover_and_dialog_providers() =>
        Assert.True(typeof(MyAccessPage).IsDefined(typeof(WithoutMudOverlaysAttribute), inherit: false));

    [Fact]
    public void No_part_of_My_Access_opens_a_dialog()
    {
        var parts = typeof(MyAccessPage).Assembly.GetTypes().Where(t => t.Namespace == typeof(MyAccessPage).Namespace && t != typeof(RequestPackagePage));
        var injected = parts.SelectMany(t => t.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public))
            .Where(p => p.IsDefined(typeof(InjectAttribute)));
        Assert.DoesNotContain(injected, p => p.PropertyType == typeof(IDialogService));
    }

    [Fact]
    public async Task Every_tab_of_My_Access_opened_as_a_person_uses_it_holds_no_popover()
    {
        var s = await Scenario.CreateAsync(Portal);
        SignInAs(Lee);
        var packages = Render<MyAccessPage>();
        packages.WaitForAssertion(() => Assert.Contains("Falcon partners", packages.Markup));
        AssertNoPopover(packages);

        var requestId = await s.RequestAsync(Actor.ForEmail(Lee));
        SignInAs(s.Approver.Email);
        var approvals = Render<MyAccessPage>(p => p.Add(x => x.Tab, "approvals"));
        approvals.WaitForAssertion(() => Assert.Single(approvals.FindAll("[data-testid=pending-approval]")));
        Click(approvals, "Deny");
        approvals.WaitForAssertion(() => Assert.Contains(approvals.FindAll("button"), b => b.TextContent.Trim() == "Submit"));
        AssertNoPopover(approvals);

        await Portal.Approvals.ApproveAsync(s.Approver, requestId);
        SignInAs(Lee);
        var history = Render<MyAccessPage>(p => p.Add(x => x.Tab, "request-history"));
        history.WaitForAssertion(() => Assert.Contains("Fulfill access package assignment", history.Markup));
        AssertNoPopover(history);
        var access = Render<MyAccessPage>(p => p.Add(x => x.Tab, "my-access"));
        access.WaitForAssertion(() => Assert.Single(access.FindAll("[data-testid=my-assignment]")));
        Click(access, "Remove access");
        access.WaitForAssertion(() => Assert.Single(access.FindAll("[data-testid=remove-access-confirmation]")));
        AssertNoPopover(access);
    }

    /// <summary>A select, menu, date picker or tooltip holds one, and would need the provider when it opens.</summary>
    private static void AssertNoPopover(IRenderedComponent<MyAccessPage> page) => Assert.Empty(page.FindComponents<MudPopoverBase>());
}

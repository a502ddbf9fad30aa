using Bunit;
using EntitlementPortal.Components.Pages.Catalogs;
using EntitlementPortal.Tests.Features;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Components;

/// <summary>Hostile and generated text typed into a form: a message on the field, or the value saved and shown as text; never a crash.</summary>
public sealed class HostileFormInputTests : PortalPageTest
{
    [Theory]
    [MemberData(nameof(HostileInputTests.Inputs), MemberType = typeof(HostileInputTests))]
    public async Task The_new_catalog_form_shows_a_message_on_the_name_field_or_saves_the_name_as_text(string value)
    {
        await SignInAsAsync(Role.GlobalAdministrator);
        var page = Render<NewCatalogPage>();
        WaitFor(page, "Enabled for external users");
        page.Find("input").Change(value);
        Click(page, "Create");
        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.True(navigation.Uri.Contains("/catalogs/", StringComparison.Ordinal) || page.FindAll(".mud-input-error").Count > 0));
        var saved = await Portal.QueryAsync(db => db.Catalogs.Select(c => c.DisplayName).ToListAsync());
        if (navigation.Uri.Contains("/catalogs/", StringComparison.Ordinal))
        {
            Assert.Equal([value.Trim()], saved);
            return;
        }
        Assert.Empty(saved);
        var nameField = page.FindAll(".mud-input-control").First(f => f.TextContent.Contains("Name", StringComparison.Ordinal));
        Assert.False(string.IsNullOrWhiteSpace(nameField.QuerySelector(".mud-input-helper-text")?.TextContent));
    }
}

using Bunit;
using EntitlementPortal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Services;

namespace EntitlementPortal.Tests.Components;

/// <summary>The plain markup of My Access looks as MudBlazor's components do: its classes are the ones they render.</summary>
public sealed class MudClassesTests : IAsyncLifetime
{
    private readonly BunitContext context = new();

    public Task InitializeAsync()
    {
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public void The_page_heading_is_MudTexts_h4_with_its_gutter() =>
        AssertClasses(MudClasses.PageHeading, Render<MudText>(p => p.Add(x => x.Typo, Typo.h4).Add(x => x.HtmlTag, "h1").Add(x => x.GutterBottom, true)), "h1");

    [Fact]
    public void The_frame_is_an_outlined_MudPaper() =>
        AssertClasses(MudClasses.OutlinedPaper, Render<MudPaper>(p => p.Add(x => x.Outlined, true)), "div");

    [Fact]
    public void The_table_is_a_dense_hovering_MudSimpleTable_around_its_container()
    {
        var table = Render<MudSimpleTable>(p => p.Add(x => x.Dense, true).Add(x => x.Hover, true));
        AssertClasses(MudClasses.DenseTable, table, "div");
        Assert.NotNull(table.Find("div > div.mud-table-container > table"));
    }

    [Fact]
    public void The_request_link_is_a_small_outlined_primary_MudButton_with_its_label()
    {
        var button = Render<MudButton>(p => p.Add(x => x.Href, "myaccess").Add(x => x.Variant, Variant.Outlined)
            .Add(x => x.Color, Color.Primary).Add(x => x.Size, Size.Small).AddChildContent("Request"));
        AssertClasses(MudClasses.SmallOutlinedButton, button, "a");
        Assert.Equal("Request", button.Find("a > span.mud-button-label").TextContent);
    }

    [Theory]
    [InlineData(Variant.Filled, Color.Success, MudClasses.FilledSuccessButton)]
    [InlineData(Variant.Outlined, Color.Error, MudClasses.OutlinedErrorButton)]
    public void The_approvers_buttons_are_MudButtons_of_their_variant_and_color(Variant variant, Color color, string classes)
    {
        var button = Render<MudButton>(p => p.Add(x => x.Variant, variant).Add(x => x.Color, color).AddChildContent("Approve"));
        AssertClasses(classes, button, "button");
        Assert.Equal("button", button.Find("button").GetAttribute("type"));
    }

    [Fact]
    public void A_row_of_buttons_is_a_MudStack_row()
    {
        var row = Render<MudStack>(p => p.Add(x => x.Row, true));
        AssertClasses(MudClasses.Row, row, "div");
        Assert.Equal("group", row.Find("div").GetAttribute("role"));
    }

    [Fact]
    public void The_search_box_is_a_dense_outlined_full_width_MudInput()
    {
        var input = Render<MudInput<string>>(p => p.Add(x => x.Placeholder, "Search access packages").Add(x => x.Variant, Variant.Outlined).Add(x => x.Margin, Margin.Dense).Add(x => x.FullWidth, true));
        AssertClasses(MudClasses.DenseOutlinedInput, input, "div");
        AssertClasses(MudClasses.DenseOutlinedInputSlot, input, "div > input");
        AssertClasses(MudClasses.OutlinedInputBorder, input, "div > fieldset");
    }

    private IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>> parameters) where T : IComponent => context.Render(parameters);

    private static void AssertClasses(string expected, IRenderedComponent<IComponent> rendered, string selector) =>
        Assert.Equal(Tokens(expected), Tokens(rendered.Find(selector).GetAttribute("class")));

    private static SortedSet<string> Tokens(string? classes) => [.. (classes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)];
}

namespace EntitlementPortal.Components.Shared;

/// <summary>
/// The classes MudBlazor's components render, for plain markup on My Access, which every external user keeps open: each
/// component there is kept in the person's circuit with its render tree, and plain markup with these classes looks the
/// same. MudClassesTests checks them against the components.
/// </summary>
public static class MudClasses
{
    /// <summary>MudText Typo.h4 GutterBottom.</summary>
    public const string PageHeading = "mud-typography mud-typography-h4 mud-typography-gutterbottom";

    /// <summary>MudPaper Outlined.</summary>
    public const string OutlinedPaper = "mud-paper mud-paper-outlined";

    /// <summary>MudSimpleTable Dense Hover, around its mud-table-container.</summary>
    public const string DenseTable = "mud-table mud-simple-table mud-table-dense mud-table-hover mud-elevation-1";

    /// <summary>MudButton Variant.Outlined Color.Primary Size.Small, its text in a span of class mud-button-label.</summary>
    public const string SmallOutlinedButton = "mud-button-root mud-button mud-button-outlined mud-button-outlined-primary mud-button-outlined-size-small mud-ripple";

    /// <summary>MudInput Variant.Outlined Margin.Dense FullWidth: the box, the input in it and the border after it.</summary>
    public const string DenseOutlinedInput = "mud-input mud-input-outlined mud-input-margin-dense mud-shrink mud-typography-subtitle1 mud-input-sizing-fixed mud-input-full-width";

    public const string DenseOutlinedInputSlot = "mud-input-slot mud-input-root mud-input-root-outlined mud-input-root-margin-dense";

    public const string OutlinedInputBorder = "mud-input-outlined-border";
}

namespace EntitlementPortal.Components.Shared;

/// <summary>
/// The classes MudBlazor's components render, for plain markup on My Access, which every external user keeps open, and on
/// an approver's cards there: each component is kept in the person's circuit with its render tree, and plain markup with
/// these classes looks the same. MudClassesTests checks them against the components.
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

    /// <summary>MudButton Variant.Filled Color.Success, a button: Approve.</summary>
    public const string FilledSuccessButton = "mud-button-root mud-button mud-button-filled mud-button-filled-success mud-button-filled-size-medium mud-ripple";

    /// <summary>MudButton Variant.Outlined Color.Error, a button: Deny.</summary>
    public const string OutlinedErrorButton = "mud-button-root mud-button mud-button-outlined mud-button-outlined-error mud-button-outlined-size-medium mud-ripple";

    /// <summary>MudStack Row, a div of role group.</summary>
    public const string Row = "d-flex flex-row gap-3";

    /// <summary>MudInput Variant.Outlined Margin.Dense FullWidth: the box, the input in it and the border after it.</summary>
    public const string DenseOutlinedInput = "mud-input mud-input-outlined mud-input-margin-dense mud-shrink mud-typography-subtitle1 mud-input-sizing-fixed mud-input-full-width";

    public const string DenseOutlinedInputSlot = "mud-input-slot mud-input-root mud-input-root-outlined mud-input-root-margin-dense";

    public const string OutlinedInputBorder = "mud-input-outlined-border";
}

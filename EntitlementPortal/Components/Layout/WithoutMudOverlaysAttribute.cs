namespace EntitlementPortal.Components.Layout;

/// <summary>
/// The page opens no MudBlazor popover (select, menu, date picker, tooltip) and no dialog, so its circuit keeps only the
/// snackbar's provider (<see cref="LightPageLayout"/>): each provider is kept in every circuit of the page. A popover or
/// dialog opened there would fail ("Missing &lt;MudPopoverProvider /&gt;"); MyAccessWithoutOverlaysTests checks My Access.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WithoutMudOverlaysAttribute : Attribute;

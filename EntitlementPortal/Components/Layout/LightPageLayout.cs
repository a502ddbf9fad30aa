namespace EntitlementPortal.Components.Layout;

/// <summary>The interactive part of a page marked <see cref="WithoutMudOverlaysAttribute"/>: messages only.</summary>
public sealed class LightPageLayout : PageLayout
{
    protected override bool WithOverlays => false;
}

using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;

namespace EntitlementPortal.Components.Shared;

public static class PageRenderModes
{
    /// <summary>Sign-in pages post plain forms, so they stay static; every other page is interactive.</summary>
    public static IComponentRenderMode? For(HttpContext? context) =>
        context?.AcceptsInteractiveRouting() == true ? RenderMode.InteractiveServer : null;
}

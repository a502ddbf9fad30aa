namespace EntitlementPortal.Tests.Browser;

/// <summary>Browser tests run one at a time and apart from the rest: a server and Chromium each want the two cores.</summary>
[CollectionDefinition(PortalBrowser.Collection, DisableParallelization = true)]
public sealed class BrowserCollection;

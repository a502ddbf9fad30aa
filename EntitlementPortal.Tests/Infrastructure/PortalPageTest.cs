using System.Security.Claims;
using Bunit;
using EntitlementPortal.Auth;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace EntitlementPortal.Tests.Infrastructure;

/// <summary>
/// bUnit with MudBlazor registered and the real services on a migrated SQLite file. Disposed asynchronously:
/// MudBlazor's services only implement IAsyncDisposable.
/// </summary>
public abstract class PortalPageTest : IAsyncLifetime
{
    private Bunit.TestDoubles.BunitAuthorizationContext auth = null!;

    protected TestPortal Portal { get; private set; } = null!;
    protected BunitContext Context { get; private set; } = null!;

    /// <summary>The people a page test signs in as, one per role of DESIGN.md.</summary>
    public enum Role { GlobalAdministrator, UserAdministrator, IdentityGovernanceAdministrator, CatalogCreator, ConnectedOrganizationAdministrator, CatalogOwner, Member, ExternalUser }

    /// <summary>The database the pages read; a fresh migrated one unless a test class starts from a prepared copy.</summary>
    protected virtual Task<TestPortal> CreatePortalAsync() => TestPortal.CreateAsync();

    public async Task InitializeAsync()
    {
        Portal = await CreatePortalAsync();
        // Pages load from a real database while other tests run beside them: wait as long as a person would.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        Context = new BunitContext();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Portal.RegisterInto(Context.Services);
        Context.Services.AddScoped<CurrentActor>();
        auth = Context.AddAuthorization();
        // Pages run in the circuit, as in the portal.
        Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Context.Render<MudPopoverProvider>();
    }

    protected void SignOut() => auth.SetNotAuthorized();

    protected void SignInAs(string email)
    {
        auth.SetAuthorized(email);
        auth.SetClaims(new Claim(ClaimTypes.Email, email));
    }

    /// <summary>Signs in as someone holding the role; catalog roles are given on <paramref name="catalogId"/>.</summary>
    protected async Task<Actor> SignInAsAsync(Role role, Guid? catalogId = null)
    {
        var email = $"{role.ToString().ToLowerInvariant()}@contoso.com";
        Actor actor = role switch
        {
            Role.GlobalAdministrator => Portal.Admin,
            Role.UserAdministrator => await Portal.SeedUserAsync("UA", email, DirectoryRole.UserAdministrator),
            Role.IdentityGovernanceAdministrator => await Portal.SeedUserAsync("IGA", email, DirectoryRole.IdentityGovernanceAdministrator),
            Role.CatalogCreator => await Portal.SeedUserAsync("CC", email, DirectoryRole.CatalogCreator),
            Role.ConnectedOrganizationAdministrator => await Portal.SeedUserAsync("COA", email, DirectoryRole.ConnectedOrganizationAdministrator),
            Role.ExternalUser => Actor.ForEmail("lee@fabrikam.com"),
            _ => await Portal.MemberAsync(role.ToString(), email),
        };
        if (role == Role.CatalogOwner)
        {
            var catalog = catalogId ?? await Portal.Catalogs.CreateAsync(Portal.Admin, new("Owned catalog", null));
            await Portal.Catalogs.AddRoleHolderAsync(Portal.Admin, catalog, actor.UserId!.Value, CatalogRole.CatalogOwner);
        }
        SignInAs(actor.Email);
        return actor;
    }

    protected IRenderedComponent<TPage> Render<TPage>(Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null) where TPage : IComponent =>
        Context.Render(parameters);

    /// <summary>Waits for the page to finish loading from the database.</summary>
    protected static void WaitFor<T>(IRenderedComponent<T> page, string text) where T : IComponent =>
        page.WaitForAssertion(() => Assert.Contains(text, page.Markup));

    protected static void Click<T>(IRenderedComponent<T> page, string text) where T : IComponent =>
        page.FindAll("button").First(b => b.TextContent.Trim() == text).Click();

    /// <summary>Waits until what a page saved shows up in the database.</summary>
    protected static async Task<T> WaitForSavedAsync<T>(Func<Task<T?>> probe)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The page did not save within 10 seconds.");
    }

    protected static Task WaitUntilAsync(Func<Task<bool>> condition) =>
        WaitForSavedAsync(async () => await condition() ? (object)true : null);

    public async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        await Portal.DisposeAsync();
    }
}

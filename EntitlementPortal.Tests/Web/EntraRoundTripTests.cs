using System.Net;
using EntitlementPortal.Api;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.DirectoryAdmin;
using EntitlementPortal.Features.Policies;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Identity.Web;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Web;

/// <summary>
/// Microsoft.Identity.Web signing people in for real against an Entra-shaped OpenID Connect provider on loopback:
/// authorize, code redemption at the token endpoint, signature and issuer checks, then the portal's own rules.
/// </summary>
public sealed class EntraRoundTripTests : IAsyncLifetime
{
    private const string HomeTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string PartnerTenant = "3c2d1f0e-aaaa-4bbb-8ccc-123456789abc";
    private const string UnknownTenant = "9e9e9e9e-dddd-4eee-8fff-000000000666";
    private const string CatalogCreatorsGroup = "5b1c6a3e-0f6e-4a0e-9a9c-6f7c2b9d1e01";
    private const string PortalAppId = "6731de76-14a6-49ae-97bc-6eba6914391e";
    private const string AutomationAppId = "0d1c2b3a-4f5e-4d6c-8b7a-9e8d7c6b5a41";

    private LoopbackEntra entra = null!;
    private WebApplicationFactory<Program> factory = null!;

    public async Task InitializeAsync()
    {
        entra = await LoopbackEntra.StartAsync();
        var folder = Path.Combine(TestFiles.Root, $"ep-entra-{Guid.NewGuid():N}");
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(folder, "portal.db")}");
            web.UseSetting("Jobs:Enabled", "false");
            web.UseSetting("Portal:BootstrapAdmins:0", "ada.admin@contoso.com");
            web.UseSetting("Portal:HomeTenantId", HomeTenant);
            web.UseSetting($"Portal:RoleGroups:{CatalogCreatorsGroup}", "CatalogCreator");
            web.UseSetting("AzureAd:Instance", entra.Instance);
            web.UseSetting("AzureAd:TenantId", "organizations");
            web.UseSetting("AzureAd:ClientId", PortalAppId);
            web.UseSetting("Api:Clients:0:ClientId", AutomationAppId);
            web.UseSetting("Api:Clients:0:Role", "IdentityGovernanceAdministrator");
            web.UseSetting("AzureAd:ClientSecret", "loopback-client-secret");
            web.UseSetting("AzureAd:ResponseType", "code");
            // The portal trusts the loopback provider's self-signed certificate; everything else is Identity.Web's own validation.
            web.ConfigureTestServices(services =>
            {
                services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = entra.TrustingHandler());
                services.Configure<JwtBearerOptions>(ApiAuthentication.EntraScheme, o => o.BackchannelHttpHandler = entra.TrustingHandler());
                services.Configure<AadIssuerValidatorOptions>(o => o.HttpClientName = "loopback-entra");
                services.AddHttpClient("loopback-entra").ConfigurePrimaryHttpMessageHandler(entra.TrustingHandler);
            });
        });
        _ = factory.Server;
        await Task.CompletedTask;
    }

    [Fact]
    public async Task The_API_accepts_Entra_tokens_from_the_home_tenant_for_a_listed_application_and_for_a_person_in_the_directory()
    {
        using var client = factory.CreateClient();
        var application = entra.AppAccessToken(HomeTenant, AutomationAppId, PortalAppId);
        using var created = await ApiAsync(client, application, HttpMethod.Post, "catalogs", """{"displayName":"Made by automation"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("http://localhost/v1.0/identityGovernance/entitlementManagement/catalogs/", created.Headers.Location!.ToString());
        Assert.Contains(await QueryAsync(db => db.AuditEvents.Where(e => e.Activity == "Create catalog").Select(e => e.ActorName).ToListAsync()),
            name => name == $"{AutomationAppId}@api-clients.invalid");
        var person = entra.UserAccessToken(new EntraUser(HomeTenant, "ada.admin@contoso.com", "Ada Admin"), PortalAppId);
        using var listed = await ApiAsync(client, person, HttpMethod.Get, "catalogs?$filter=displayName eq 'Made by automation'");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains("Made by automation", await listed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_API_refuses_Entra_tokens_from_another_tenant_an_unlisted_application_or_for_another_audience()
    {
        using var client = factory.CreateClient();
        foreach (var token in new[]
        {
            entra.AppAccessToken(PartnerTenant, AutomationAppId, PortalAppId),
            entra.AppAccessToken(HomeTenant, Guid.NewGuid().ToString(), PortalAppId),
            entra.UserAccessToken(new EntraUser(PartnerTenant, "ada.admin@contoso.com", "Not Ada"), PortalAppId),
        })
        {
            using var refused = await ApiAsync(client, token, HttpMethod.Get, "catalogs");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("\"Authorization_RequestDenied\"", await refused.Content.ReadAsStringAsync());
        }
        using var otherAudience = await ApiAsync(client, entra.AppAccessToken(HomeTenant, AutomationAppId, Guid.NewGuid().ToString()), HttpMethod.Get, "catalogs");
        Assert.Equal(HttpStatusCode.Unauthorized, otherAudience.StatusCode);
    }

    private static Task<HttpResponseMessage> ApiAsync(HttpClient client, string token, HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, $"/v1.0/identityGovernance/entitlementManagement/{path}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }
        return client.SendAsync(request);
    }

    [Fact]
    public async Task A_home_tenant_user_is_created_at_first_sign_in_and_holds_the_directory_role_of_their_app_role()
    {
        var session = await SignInAsync(new EntraUser(HomeTenant, "Casey.Governance@contoso.com", "Casey Governance", Roles: ["IdentityGovernanceAdministrator"]));
        Assert.Equal("/", session.Landing);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/exports/audit.csv")).StatusCode);
        var user = await QueryAsync(db => db.Users.SingleAsync(u => u.MailNormalized == "casey.governance@contoso.com"));
        Assert.Equal(UserType.Member, user.UserType);
        Assert.Equal([DirectoryRole.IdentityGovernanceAdministrator], await QueryAsync(db => db.DirectoryRoleAssignments.Where(r => r.UserId == user.Id).Select(r => r.Role).ToListAsync()));
        Assert.Contains(await QueryAsync(db => db.AuditEvents.Where(e => e.TargetId == user.Id.ToString()).Select(e => e.Details).ToListAsync()),
            d => d == "IdentityGovernanceAdministrator (Microsoft Entra ID app role)");
    }

    [Fact]
    public async Task Membership_of_a_group_named_in_RoleGroups_gives_its_role_and_unknown_app_roles_give_none()
    {
        var session = await SignInAsync(new EntraUser(HomeTenant, "dana@contoso.com", "Dana", Roles: ["Portal.SuperUser"], Groups: [CatalogCreatorsGroup, Guid.NewGuid().ToString()]));
        Assert.Equal("/", session.Landing);
        Assert.Equal([DirectoryRole.CatalogCreator],
            await QueryAsync(db => db.DirectoryRoleAssignments.Where(r => db.Users.Any(u => u.Id == r.UserId && u.MailNormalized == "dana@contoso.com")).Select(r => r.Role).ToListAsync()));
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/exports/audit.csv")).StatusCode);
    }

    [Fact]
    public async Task A_role_the_Entra_token_no_longer_gives_is_taken_away_at_the_next_sign_in_and_one_given_in_the_portal_stays()
    {
        var kim = new EntraUser(HomeTenant, "kim@contoso.com", "Kim", Roles: ["IdentityGovernanceAdministrator"], Groups: [CatalogCreatorsGroup]);
        await SignInAsync(kim);
        var user = await QueryAsync(db => db.Users.SingleAsync(u => u.MailNormalized == "kim@contoso.com"));
        await factory.Services.GetRequiredService<DirectoryAdminService>().AssignDirectoryRoleAsync(Actor.ForEmail("ada.admin@contoso.com"), user.Id, DirectoryRole.UserAdministrator);

        await SignInAsync(kim with { Roles = null, Groups = [CatalogCreatorsGroup] });
        Assert.Equal([DirectoryRole.CatalogCreator, DirectoryRole.UserAdministrator], await RolesOfAsync(user.Id));
        Assert.Contains(await QueryAsync(db => db.AuditEvents.Where(e => e.TargetId == user.Id.ToString() && e.Activity == "Remove member from role").Select(e => e.Details).ToListAsync()),
            d => d == "IdentityGovernanceAdministrator (no longer in the Microsoft Entra ID token)");

        await SignInAsync(kim with { Roles = null, Groups = null });
        Assert.Equal([DirectoryRole.UserAdministrator], await RolesOfAsync(user.Id));
    }

    [Fact]
    public async Task A_role_from_Entra_that_an_administrator_also_assigns_in_the_portal_stays_when_the_token_drops_it()
    {
        var lee = new EntraUser(HomeTenant, "lee@contoso.com", "Lee", Groups: [CatalogCreatorsGroup]);
        await SignInAsync(lee);
        var user = await QueryAsync(db => db.Users.SingleAsync(u => u.MailNormalized == "lee@contoso.com"));
        await factory.Services.GetRequiredService<DirectoryAdminService>().AssignDirectoryRoleAsync(Actor.ForEmail("ada.admin@contoso.com"), user.Id, DirectoryRole.CatalogCreator);

        await SignInAsync(lee with { Groups = null });
        Assert.Equal([DirectoryRole.CatalogCreator], await RolesOfAsync(user.Id));
    }

    [Fact]
    public async Task A_token_naming_no_groups_because_there_are_too_many_takes_no_role_away()
    {
        var max = new EntraUser(HomeTenant, "max@contoso.com", "Max", Groups: [CatalogCreatorsGroup]);
        await SignInAsync(max);
        var user = await QueryAsync(db => db.Users.SingleAsync(u => u.MailNormalized == "max@contoso.com"));

        await SignInAsync(max with { Groups = null, GroupsOverage = true });
        Assert.Equal([DirectoryRole.CatalogCreator], await RolesOfAsync(user.Id));
        await SignInAsync(max with { Groups = null });
        Assert.Empty(await RolesOfAsync(user.Id));
    }

    private Task<List<DirectoryRole>> RolesOfAsync(Guid userId) =>
        QueryAsync(db => db.DirectoryRoleAssignments.Where(r => r.UserId == userId).Select(r => r.Role).OrderBy(r => r).ToListAsync());

    [Fact]
    public async Task A_partner_tenant_user_is_matched_to_its_connected_organization_by_tenant_even_from_another_mail_domain()
    {
        var packageId = await PackageForPartnerTenantAsync();
        var partner = await SignInAsync(new EntraUser(PartnerTenant, "pat@northwind-mail.example", "Pat Partner"));
        Assert.Contains("Submit request", await partner.GetStringAsync($"/myaccess/access-packages/{packageId}"));
        var stranger = await SignInAsync(new EntraUser(UnknownTenant, "sam@northwind-mail.example", "Sam Stranger"));
        var refusal = await stranger.GetStringAsync($"/myaccess/access-packages/{packageId}");
        Assert.DoesNotContain("Submit request", refusal);
    }

    [Fact]
    public async Task A_token_from_an_unknown_tenant_is_refused_for_internal_pages_whatever_roles_it_claims()
    {
        var eve = await SignInAsync(new EntraUser(UnknownTenant, "eve@evil.example", "Eve", Roles: ["GlobalAdministrator"], Groups: [CatalogCreatorsGroup]));
        Assert.Equal("/", eve.Landing);
        Assert.Equal(HttpStatusCode.Forbidden, (await eve.GetAsync("/exports/audit.csv")).StatusCode);
        Assert.Contains("data-testid=\"no-access\"", await eve.GetStringAsync("/identity-governance/entitlement-management/settings"));
        Assert.Empty(await QueryAsync(db => db.DirectoryRoleAssignments.Where(r => db.Users.Any(u => u.Id == r.UserId && u.MailNormalized == "eve@evil.example")).ToListAsync()));
    }

    [Fact]
    public async Task Another_tenant_cannot_sign_in_with_an_address_of_the_organization_itself()
    {
        var impostor = await SignInAsync(new EntraUser(UnknownTenant, "ada.admin@contoso.com", "Ada Admin"));
        Assert.Equal("/account/signin?entra=refused", impostor.Landing);
        Assert.False(impostor.HasPortalCookie);
        Assert.Contains("Microsoft Entra ID sign-in was refused", await impostor.GetStringAsync(impostor.Landing));
        Assert.Equal(HttpStatusCode.Redirect, (await impostor.GetAsync("/exports/audit.csv")).StatusCode);
    }

    [Fact]
    public async Task A_code_can_be_redeemed_only_once()
    {
        var session = await SignInAsync(new EntraUser(HomeTenant, "casey@contoso.com", "Casey"));
        var replay = await session.PostSignInAsync(session.LastCallback!);
        Assert.Equal("/account/signin?entra=refused", replay.Headers.Location?.OriginalString);
    }

    private async Task<Guid> PackageForPartnerTenantAsync()
    {
        var admin = Actor.ForEmail("ada.admin@contoso.com");
        var services = factory.Services;
        var organization = await services.GetRequiredService<ConnectedOrganizationService>()
            .CreateAsync(admin, new ConnectedOrganizationInput("Northwind", null, [], [PartnerTenant]));
        var catalog = await services.GetRequiredService<CatalogService>().CreateAsync(admin, new CatalogInput("Partner work", null, true, true));
        var group = await services.GetRequiredService<DirectoryAdminService>().CreateResourceAsync(admin, "Northwind project", ResourceType.Group);
        await services.GetRequiredService<CatalogService>().AddResourceAsync(admin, catalog, group);
        var package = await services.GetRequiredService<AccessPackageService>().CreateAsync(admin, new AccessPackageInput(catalog, "Northwind access", null));
        var approver = await services.GetRequiredService<DirectoryAdminService>().CreateMemberAsync(admin, "Avery", "avery@contoso.com");
        await services.GetRequiredService<PolicyService>().CreateAsync(admin, package, Scenario.ExternalPolicy(organization, approver));
        return package;
    }

    private async Task<T> QueryAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    /// <summary>The browser's part: follow the portal to Entra, sign in there, post the answer back.</summary>
    private async Task<BrowserSession> SignInAsync(EntraUser user)
    {
        var session = new BrowserSession(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var challenge = await session.GetAsync("/account/entra?returnUrl=/");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var callback = entra.Authorize(challenge.Headers.Location!, user);
        var answer = await session.PostSignInAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        session.Landing = answer.Headers.Location!.OriginalString;
        return session;
    }

    /// <summary>An HttpClient that keeps cookies the way a browser on https would, Secure ones included.</summary>
    private sealed class BrowserSession(HttpClient client)
    {
        private readonly Dictionary<string, string> cookies = [];

        public string Landing { get; set; } = "";
        public Dictionary<string, string>? LastCallback { get; private set; }
        public bool HasPortalCookie => cookies.ContainsKey("EntitlementPortal");

        public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

        public async Task<string> GetStringAsync(string path)
        {
            var response = await GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        public Task<HttpResponseMessage> PostSignInAsync(Dictionary<string, string> form)
        {
            LastCallback = form;
            return SendAsync(new HttpRequestMessage(HttpMethod.Post, "/signin-oidc") { Content = new FormUrlEncodedContent(form) });
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            if (cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
            }
            var response = await client.SendAsync(request);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';')[0];
                var (name, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    cookies.Remove(name);
                }
                else
                {
                    cookies[name] = value;
                }
            }
            return response;
        }
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        await entra.DisposeAsync();
    }
}

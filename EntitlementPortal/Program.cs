using EntitlementPortal;
using EntitlementPortal.Auth;
using EntitlementPortal.Components;
using EntitlementPortal.Endpoints;
using EntitlementPortal.Testing;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
PortalConfiguration.AddRepositorySettings(builder.Configuration);

TestClock.Register(builder.Services, builder.Environment);
if (builder.Environment.IsEnvironment(TestClock.Environment))
{
    // Outside Development the build output serves no static web assets (blazor.web.js, MudBlazor) unless asked.
    builder.WebHost.UseStaticWebAssets();
}
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddPortalCore(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddPortalJobs(builder.Configuration);
builder.Services.AddPortalSignIn(builder.Configuration, builder.Environment);

var app = builder.Build();

await app.Services.PreparePortalAsync(app.Environment);

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}
if (app.Configuration.GetValue("Portal:UseHttpsRedirection", false))
{
    app.UseHsts();
    app.UseHttpsRedirection();
}
app.UseSecurityHeaders();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapAccountEndpoints();
app.MapExportEndpoints();
TestClock.MapEndpoints(app);
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Lifetime.ApplicationStarted.Register(() => PortalServices.AnnounceStart(app));

await app.RunAsync();

public partial class Program;

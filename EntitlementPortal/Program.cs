using EntitlementPortal;
using EntitlementPortal.Components;
using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
PortalConfiguration.AddRepositorySettings(builder.Configuration);

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddPortalCore(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddPortalJobs(builder.Configuration);

var app = builder.Build();

await PortalDatabase.MigrateAsync(app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>());

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/not-found", createScopeForErrors: true);
}
if (app.Configuration.GetValue("Portal:UseHttpsRedirection", false))
{
    app.UseHsts();
    app.UseHttpsRedirection();
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

public partial class Program;

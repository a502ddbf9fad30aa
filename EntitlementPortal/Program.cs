using EntitlementPortal;
using EntitlementPortal.Api;
using EntitlementPortal.Auth;
using EntitlementPortal.Components;
using EntitlementPortal.Data;
using EntitlementPortal.Endpoints;
using EntitlementPortal.Testing;
using MudBlazor.Services;

if (args is ["backup", var backupFile, ..])
{
    // dotnet run --project EntitlementPortal -- backup <file>: copies the live database and exits.
    var settings = WebApplication.CreateBuilder(args[2..]);
    PortalConfiguration.AddRepositorySettings(settings.Configuration);
    if (PortalDatabase.ProviderOf(settings.Configuration) != DatabaseProvider.Sqlite)
    {
        Console.Error.WriteLine("The backup command copies a SQLite database; back up PostgreSQL with pg_dump.");
        return 1;
    }
    var source = PortalDatabase.ResolveSqliteConnectionString(settings.Configuration.GetConnectionString(PortalDatabase.ConnectionStringName), settings.Environment.ContentRootPath);
    try
    {
        await PortalDatabase.BackupAsync(source, backupFile);
        Console.WriteLine($"Backup written to {Path.GetFullPath(backupFile)}");
        return 0;
    }
    catch (FileNotFoundException missing)
    {
        Console.Error.WriteLine(missing.Message);
        return 1;
    }
}

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
builder.Services.AddOpenApi();

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
app.MapTokenEndpoint();
app.MapGraphEndpoints();
app.MapOpenApi();
TestClock.MapEndpoints(app);
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Lifetime.ApplicationStarted.Register(() => PortalServices.AnnounceStart(app));

await app.RunAsync();
return 0;

public partial class Program;

using EntitlementPortal.Api;
using EntitlementPortal.Features.Graph;
using Microsoft.Extensions.Options;
using EntitlementPortal.Auth;
using EntitlementPortal.Data;
using EntitlementPortal.Directory;
using EntitlementPortal.Features.Access;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Approvals;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Dashboard;
using EntitlementPortal.Features.Assignments;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.DemoData;
using EntitlementPortal.Features.DirectoryAdmin;
using EntitlementPortal.Features.Lifecycle;
using EntitlementPortal.Features.MyAccess;
using EntitlementPortal.Features.Notifications;
using EntitlementPortal.Features.Policies;
using EntitlementPortal.Features.Requests;
using EntitlementPortal.Features.Settings;
using EntitlementPortal.Features.SignIn;
using EntitlementPortal.Jobs;
using EntitlementPortal.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace EntitlementPortal;

public static class PortalServices
{
    /// <summary>Domain services and data: what the web app and the tests share.</summary>
    public static IServiceCollection AddPortalCore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.Configure<PortalOptions>(configuration.GetSection(PortalOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        var provider = PortalDatabase.ProviderOf(configuration);
        var connectionString = PortalDatabase.ResolveConnectionString(configuration, contentRoot);
        // Interceptors in the container join every context: the audit-completeness test watches each write with one.
        // Pooled: a context per operation, without building EF's services for each one again.
        services.AddSingleton<IInterceptor, DatabaseFailureLog>();
        services.AddPooledDbContextFactory<PortalDbContext>((container, options) =>
            PortalDatabase.Configure(DatabaseFailureLog.QuietenEfCoreErrorEvents(options.AddInterceptors(container.GetServices<IInterceptor>())),
                connectionString, provider));

        if (provider == DatabaseProvider.Sqlite)
        {
            services.AddSingleton(_ => new PreparedSqliteConnections(connectionString));
        }
        services.AddSingleton<PortalStore>();
        services.TryAddSingleton<IDirectory, LocalDirectory>();
        services.AddSingleton<Notifier>();
        services.Configure<SmtpOptions>(configuration.GetSection(SmtpOptions.Section));
        services.Configure<OutboxOptions>(configuration.GetSection(OutboxOptions.Section));
        services.AddOptions<SweepOptions>()
            .Configure(o => o.ExpiryBatchSize = SweepOptions.DefaultExpiryBatchSize(provider))
            .Bind(configuration.GetSection(SweepOptions.Section))
            .Validate(o => o.ExpiryBatchSize > 0, "Sweep:ExpiryBatchSize must be a positive number of assignments.")
            .ValidateOnStart();
        if (configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>() is { IsConfigured: true })
        {
            services.TryAddSingleton<IEmailSender, SmtpEmailSender>();
        }
        services.TryAddSingleton<IEmailSender, LogEmailSender>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<LifecycleSettingsService>();
        services.AddSingleton<CollaborationSettingsService>();
        services.AddSingleton<ConnectedOrganizationService>();
        services.AddSingleton<CatalogService>();
        services.AddSingleton<DirectoryAdminService>();
        services.AddSingleton<AccessPackageService>();
        services.AddSingleton<PolicyService>();
        services.AddSingleton<ExternalUserLifecycle>();
        services.AddSingleton<AssignmentEnder>();
        services.AddSingleton<RequestService>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<DeliveryService>();
        services.AddSingleton<AssignmentSweepService>();
        services.AddSingleton<PortalAccessService>();
        services.AddSingleton<PortalBootstrap>();
        services.AddSingleton<DemoDataSeeder>();
        services.AddSingleton<AuditQueryService>();
        services.AddSingleton<UserQueryService>();
        services.AddSingleton<OutboxQueryService>();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<OneTimePasscodeService>();
        services.AddSingleton<EntraAccountService>();
        services.AddSingleton<AccessPackageQueryService>();
        services.AddSingleton<EntitlementQueryService>();
        services.AddSingleton<MyAccessService>();
        return services;
    }

    /// <summary>Cookie sign-in for every method; the circuit reads the signed-in person through <see cref="CurrentActor"/>.</summary>
    public static IServiceCollection AddPortalSignIn(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // Keys in the database: every node behind a load balancer reads the cookies the others wrote, and a restart keeps sessions.
        services.AddDataProtection().SetApplicationName("EntitlementPortal").PersistKeysToDbContext<PortalDbContext>();
        var authentication = services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme);
        authentication.AddCookie(options =>
            {
                options.LoginPath = "/account/signin";
                options.Cookie.Name = "EntitlementPortal";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                // A guest blocked or removed since signing in loses the session at the next request.
                options.Events.OnValidatePrincipal = async context =>
                {
                    var access = context.HttpContext.RequestServices.GetRequiredService<PortalAccessService>();
                    if (!await access.MaySignInAsync(PortalClaims.ToActor(context.Principal!), context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            });
        EntraSignIn.Register(authentication, configuration);
        ApiAuthentication.Register(services, authentication, configuration, environment);
        services.AddSingleton(new EntraSignIn(EntraSignIn.IsConfiguredIn(configuration)));
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddScoped<CurrentActor>();
        return services;
    }

    /// <summary>Start-up work before serving: migrate, make the bootstrap administrators, and in Development load the demo data.</summary>
    public static async Task PreparePortalAsync(this IServiceProvider services, IHostEnvironment environment)
    {
        await PortalDatabase.MigrateAsync(services.GetRequiredService<IDbContextFactory<PortalDbContext>>());
        if (environment.IsDevelopment() || environment.IsEnvironment(TestClock.Environment))
        {
            await services.GetRequiredService<DemoDataSeeder>().SeedAsync();
        }
        var bootstrap = services.GetRequiredService<PortalBootstrap>();
        await bootstrap.EnsureBootstrapAdminsAsync();
        foreach (var client in services.GetRequiredService<IOptions<ApiOptions>>().Value.Clients)
        {
            await bootstrap.EnsureApiClientAccountAsync(client.Mail, client.DisplayName, client.Role);
        }
    }

    /// <summary>The sweeps at the intervals of the "Jobs" section: Quartz's in-memory store on SQLite, a clustered one on PostgreSQL.</summary>
    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        if (!jobs.Enabled)
        {
            return services;
        }
        services.AddQuartz(q =>
        {
            if (PortalDatabase.ProviderOf(configuration) == DatabaseProvider.PostgreSql)
            {
                // Every node shares one schedule in the database: each firing runs on one node, and the others carry on
                // when a node stops. Quartz creates its own tables there at start.
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(PortalDatabase.ResolveConnectionString(configuration, ""));
                    store.UseClustering();
                    store.ProvisionSchema();
                });
            }
            Schedule<ApprovalTimeoutJob>(q, jobs.ApprovalTimeoutInterval);
            Schedule<DeliveryJob>(q, jobs.DeliveryInterval);
            Schedule<AssignmentExpiryJob>(q, jobs.AssignmentExpiryInterval);
            Schedule<GuestRemovalJob>(q, jobs.GuestRemovalInterval);
            Schedule<OutboxDispatchJob>(q, jobs.OutboxDispatchInterval);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>The first thing a new user reads: where to open the portal and how to get in.</summary>
    public static void AnnounceStart(WebApplication app)
    {
        var url = app.Urls.FirstOrDefault() ?? "http://localhost:5080";
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EntitlementPortal");
        logger.LogInformation("EntitlementPortal is ready: open {Url}", url);
        if (app.Environment.IsDevelopment())
        {
            logger.LogInformation("Demo data is loaded. Sign in without a password at {Url}/account/demo, for example as admin@contoso.com", url.TrimEnd('/'));
        }
    }

    private static void Schedule<TJob>(IQuartzBuilder q, TimeSpan interval) where TJob : IJob =>
        q.ScheduleJob<TJob>(t => t
            .WithIdentity(typeof(TJob).Name)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
}

using EntitlementPortal.Features.Approvals;
using Microsoft.AspNetCore.Diagnostics;
using EntitlementPortal.Features.Assignments;
using EntitlementPortal.Features.Lifecycle;
using EntitlementPortal.Features.Notifications;

namespace EntitlementPortal.Testing;

/// <summary>
/// Real time plus an offset that end-to-end tests move forward. Registered, with its endpoints, only in the
/// Testing environment: everywhere else the routes do not exist.
/// </summary>
public sealed class TestClock : TimeProvider
{
    public const string Environment = "Testing";
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "The test clock only moves forward.");
        }
        Interlocked.Add(ref offsetTicks, by.Ticks);
    }

    public static void Register(IServiceCollection services, IHostEnvironment environment)
    {
        if (environment.IsEnvironment(Environment))
        {
            services.AddSingleton<TestClock>();
            services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<TestClock>());
        }
    }

    public static void MapEndpoints(WebApplication app)
    {
        if (!app.Environment.IsEnvironment(Environment))
        {
            // A plain 404: re-executing the not-found page would turn the POST into an antiforgery refusal.
            app.Map("/testing/{**rest}", (HttpContext http) =>
            {
                if (http.Features.Get<IStatusCodePagesFeature>() is { } pages)
                {
                    pages.Enabled = false;
                }
                return Results.NotFound();
            });
            return;
        }
        app.MapPost("/testing/clock/advance", (TestClock clock, int? days, int? hours) =>
        {
            clock.Advance(TimeSpan.FromDays(days ?? 0) + TimeSpan.FromHours(hours ?? 0));
            return Results.Ok(new { now = clock.GetUtcNow() });
        });
        // What the Quartz jobs do, now and in their order: each job is a shell over one of these calls.
        app.MapPost("/testing/jobs/run", async (IServiceProvider services, CancellationToken ct) => Results.Ok(new
        {
            timedOut = await services.GetRequiredService<ApprovalService>().ProcessTimeoutsAsync(ct),
            delivered = await services.GetRequiredService<DeliveryService>().DeliverPendingAsync(ct),
            swept = (await services.GetRequiredService<AssignmentSweepService>().ProcessDueAsync(ct)).Expired,
            removed = await services.GetRequiredService<ExternalUserLifecycle>().RemoveDueGuestsAsync(ct),
            sent = await services.GetRequiredService<OutboxDispatcher>().DispatchAsync(ct),
        }));
        // The managed memory left after a full collection: what open circuits really hold, for the circuits benchmark.
        app.MapPost("/testing/memory", () =>
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            return Results.Ok(new { bytes = GC.GetTotalMemory(forceFullCollection: true) });
        });
    }
}

using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Notifications;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EntitlementPortal.Tests.Jobs;

/// <summary>
/// The real Quartz scheduler runs every sweep on its interval. Quartz 4 takes the container's TimeProvider, so the
/// test's fake clock drives the scheduler as well: waiting means moving the clock.
/// </summary>
public sealed class QuartzJobTests
{
    [Fact]
    public async Task Scheduled_jobs_deliver_requests_expire_assignments_remove_guests_and_send_the_outbox()
    {
        var sent = new RecordingEmailSender();
        var jobs = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:ApprovalTimeoutInterval"] = "00:00:00.2",
            ["Jobs:DeliveryInterval"] = "00:00:00.2",
            ["Jobs:AssignmentExpiryInterval"] = "00:00:00.2",
            ["Jobs:GuestRemovalInterval"] = "00:00:00.2",
            ["Jobs:OutboxDispatchInterval"] = "00:00:00.2",
        }).Build();
        await using var portal = await TestPortal.CreateAsync(services =>
        {
            services.AddSingleton<IEmailSender>(sent);
            services.AddSingleton<IHostApplicationLifetime, StartedApplication>();
            services.AddPortalJobs(jobs);
        });
        await portal.LifecycleSettings.UpdateAsync(portal.Admin, new(true, true, 1));
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequired = false, Stages = [] });
        var hosted = portal.Get<IEnumerable<IHostedService>>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }
        try
        {
            var requestId = await s.RequestAsync(Actor.ForEmail("lee@fabrikam.com"));
            await Eventually(portal, async () => (await portal.RequestAsync(requestId)).State == RequestState.Delivered);
            await Eventually(portal, () => Task.FromResult(sent.Subjects.Contains("You now have access to Falcon partners")));

            portal.Clock.Advance(TimeSpan.FromDays(181));
            await Eventually(portal, async () => !(await portal.UserAsync("lee@fabrikam.com")).AccountEnabled);
            portal.Clock.Advance(TimeSpan.FromDays(1));
            await Eventually(portal, async () => (await portal.UserAsync("lee@fabrikam.com")).IsDeleted);
            await Eventually(portal, () => Task.FromResult(sent.Subjects.Contains("Access has ended for Falcon partners")));
            // The dispatcher records a send after the SMTP call returns: wait for the record, not only the send.
            await Eventually(portal, async () => await portal.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.SentDateTime == null)) == 0);
        }
        finally
        {
            foreach (var service in hosted)
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }

    private static async Task Eventually(TestPortal portal, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The scheduled job did not do its work within 20 seconds.");
            portal.Clock.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(50);
        }
    }

    private sealed class RecordingEmailSender : IEmailSender
    {
        private readonly List<string> subjects = [];

        public IReadOnlyList<string> Subjects
        {
            get
            {
                lock (subjects)
                {
                    return [.. subjects];
                }
            }
        }

        public Task SendAsync(EmailMessage message, CancellationToken ct)
        {
            lock (subjects)
            {
                subjects.Add(message.Subject);
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>Quartz's hosted service waits for the application to have started; here it has.</summary>
    private sealed class StartedApplication : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true);
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}

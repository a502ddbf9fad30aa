using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.Notifications;
using EntitlementPortal.Tests.Infrastructure;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using netDumbster.smtp;

namespace EntitlementPortal.Tests.Features;

/// <summary>The outbox sent through MailKit to a real SMTP server in the test process.</summary>
public class SmtpTests : ServiceTests, IDisposable
{
    private readonly SimpleSmtpServer server = SimpleSmtpServer.Start();

    [Fact]
    public async Task The_outbox_is_delivered_by_smtp_with_the_subjects_recipients_and_working_links()
    {
        await using var portal = await CreatePortalAsync(UseSmtp);
        var s = await Scenario.CreateAsync(portal);
        await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        Assert.Equal(2, await portal.Outbox.DispatchAsync());

        var received = server.ReceivedEmail;
        Assert.Equal(2, received.Length);
        var approval = received.Single(m => m.ToAddresses.Single().Address == "approver@contoso.com");
        Assert.StartsWith("Action required: Approve or deny request by", approval.Headers["Subject"]);
        var requestId = await portal.QueryAsync(db => db.AssignmentRequests.Select(r => r.Id).SingleAsync());
        Assert.Contains($"https://portal.contoso.test/myaccess/approvals/{requestId}", approval.MessageParts[0].BodyData);
        var delivered = received.Single(m => m.ToAddresses.Single().Address == "lee@fabrikam.com");
        Assert.Equal("You now have access to Falcon partners", delivered.Headers["Subject"]);
        var link = delivered.MessageParts[0].BodyData;
        var token = link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..].Trim();
        await portal.Requests.RedeemInvitationAsync(token);
        Assert.All(await portal.QueryAsync(db => db.OutboxEmails.ToListAsync()), e => Assert.NotNull(e.SentDateTime));
    }

    [Fact]
    public async Task A_refused_send_is_kept_recorded_and_retried_later_then_sent_once()
    {
        var port = server.Configuration.Port;
        server.Stop();
        await using var portal = await CreatePortalAsync(services => UseSmtp(services, port));
        var s = await Scenario.CreateAsync(portal);
        await s.RequestAsync(Actor.ForEmail("lee@fabrikam.com"));
        Assert.Equal(0, await portal.Outbox.DispatchAsync());
        var failed = await portal.QueryAsync(db => db.OutboxEmails.SingleAsync());
        Assert.Equal(1, failed.Attempts);
        Assert.False(string.IsNullOrEmpty(failed.LastError));

        using var restarted = SimpleSmtpServer.Start(port);
        portal.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await portal.Outbox.DispatchAsync());
        Assert.Equal(0, await portal.Outbox.DispatchAsync());
        Assert.Equal(1, restarted.ReceivedEmailCount);
    }

    [Fact]
    public async Task Without_an_Smtp_host_messages_stay_in_the_outbox_and_go_to_the_log()
    {
        await using var portal = await CreatePortalAsync();
        Assert.IsType<LogEmailSender>(portal.Get<IEmailSender>());
    }

    private void UseSmtp(IServiceCollection services) => UseSmtp(services, server.Configuration.Port);

    private static void UseSmtp(IServiceCollection services, int port)
    {
        services.AddSingleton<IConfigureOptions<SmtpOptions>>(new ConfigureOptions<SmtpOptions>(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = port;
            o.TlsMode = SecureSocketOptions.None;
            o.From = "EntitlementPortal <no-reply@contoso.com>";
        }));
        services.AddSingleton<IEmailSender, SmtpEmailSender>();
    }

    public void Dispose() => server.Dispose();
}

using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EntitlementPortal.Features.Notifications;

/// <summary>The "Smtp" section of appsettings.json; e-mail goes out only when Host is set.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>None, Auto, SslOnConnect or StartTls (MailKit's SecureSocketOptions).</summary>
    public SecureSocketOptions TlsMode { get; set; } = SecureSocketOptions.StartTls;
    public string? User { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "EntitlementPortal <no-reply@localhost>";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>
/// Sends through SMTP with MailKit over one connection kept open between messages (a new one per message costs a
/// handshake each). The Message-Id is the outbox key, so a resend after a crash is recognizable.
/// </summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options) : IEmailSender, IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private SmtpClient? client;

    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        var smtp = options.Value;
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            Body = new TextPart("plain") { Text = message.Body },
            MessageId = $"{Uri.EscapeDataString(message.IdempotencyKey)}@entitlementportal",
        };
        mime.From.Add(MailboxAddress.Parse(smtp.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        await gate.WaitAsync(ct);
        try
        {
            var reused = client is { IsConnected: true };
            try
            {
                await (await ConnectedAsync(smtp, ct)).SendAsync(mime, ct);
            }
            catch (Exception ex) when (reused && ex is IOException or ServiceNotConnectedException or SmtpProtocolException)
            {
                // The server closed the idle connection: one try on a fresh one.
                Drop();
                await (await ConnectedAsync(smtp, ct)).SendAsync(mime, ct);
            }
        }
        catch
        {
            Drop();
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<SmtpClient> ConnectedAsync(SmtpOptions smtp, CancellationToken ct)
    {
        if (client is { IsConnected: true })
        {
            return client;
        }
        Drop();
        client = new SmtpClient();
        await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Smtp:Host is not set."), smtp.Port, smtp.TlsMode, ct);
        if (!string.IsNullOrEmpty(smtp.User))
        {
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        }
        return client;
    }

    private void Drop()
    {
        client?.Dispose();
        client = null;
    }

    public void Dispose()
    {
        Drop();
        gate.Dispose();
    }
}

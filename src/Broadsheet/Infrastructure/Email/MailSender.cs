using Broadsheet.Infrastructure.Data;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Broadsheet.Infrastructure.Email;

/// <summary>A plain-text message to one recipient.</summary>
public sealed record OutgoingMail(string To, string Subject, string Body);

/// <summary>
/// Sends email through the configured SMTP server (MailKit), or writes it as an <c>.eml</c> file
/// when none is configured. Sending is awaited, so a page that says "we sent you a link" says so
/// only after the server (or the disk) has the message.
/// </summary>
public sealed class MailSender(IOptions<MailOptions> options, DataPaths paths, TimeProvider time, ILogger<MailSender> logger)
{
    private readonly MailOptions _options = options.Value;

    /// <summary>The mail server could not be reached or refused the message: worth a "try again later", not an error page.</summary>
    public static bool IsDeliveryFailure(Exception exception) =>
        exception is IOException or MailKit.ServiceNotConnectedException or MailKit.CommandException or MailKit.ProtocolException
            or System.Net.Sockets.SocketException or MailKit.Security.AuthenticationException
            // Not the mail server's fault, but the same for the reader: the message cannot go out (the log says why).
            or Site.SiteAddressUnknownException;

    public string PickupDirectory => Path.GetFullPath(Path.Combine(paths.DataDirectory, _options.PickupDirectory));

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_options.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new TextPart("plain") { Text = mail.Body };

        if (string.IsNullOrWhiteSpace(_options.SmtpHost))
        {
            await WriteToPickupDirectoryAsync(message, cancellationToken);
        }
        else
        {
            using var client = new SmtpClient();
            await client.ConnectAsync(_options.SmtpHost, _options.SmtpPort, _options.Security, cancellationToken);
            if (!string.IsNullOrWhiteSpace(_options.UserName))
            {
                await client.AuthenticateAsync(_options.UserName, _options.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }

        // The subject only: addresses stay out of logs.
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Sent \"{Subject}\"", mail.Subject);
        }
    }

    private async Task WriteToPickupDirectoryAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(PickupDirectory);
        var name = $"{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}";
        var partial = Path.Combine(PickupDirectory, name + ".tmp");
        // Written under another name and renamed: whoever watches the folder never reads half a message.
        await using (var file = File.Create(partial))
        {
            await message.WriteToAsync(file, cancellationToken);
            await file.FlushAsync(cancellationToken);
        }

        File.Move(partial, Path.Combine(PickupDirectory, name + ".eml"));
    }
}

public static class MailServiceCollectionExtensions
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>()
            .Bind(configuration.GetSection(MailOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<MailSender>();
        return services;
    }
}

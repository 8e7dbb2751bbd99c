using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Broadsheet.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on a loopback port (the SmtpServer package), for tests that read what the
/// app sent: the app talks SMTP to it through MailKit exactly as it would to a production relay.
/// </summary>
public sealed partial class TestSmtpServer : IAsyncDisposable
{
    private readonly Channel<MimeMessage> _received = Channel.CreateUnbounded<MimeMessage>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public TestSmtpServer()
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(_received.Writer));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>The app settings that send mail here.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:Mail:SmtpHost"] = "127.0.0.1",
        ["Broadsheet:Mail:SmtpPort"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Broadsheet:Mail:Security"] = "None",
    };

    /// <summary>The next message delivered to <paramref name="to"/> (others are skipped), or a failure after 30 s.</summary>
    public async Task<MimeMessage> NextMessageToAsync(string to)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = await _received.Reader.ReadAsync(timeout.Token);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
            {
                return message;
            }
        }
    }

    /// <summary>The first https/http link in a message's text that starts with <paramref name="pathPrefix"/>, as a path and query.</summary>
    public static string LinkIn(MimeMessage message, string pathPrefix)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (Match match in Url().Matches(message.TextBody ?? ""))
        {
            var uri = new Uri(match.Value);
            if (uri.AbsolutePath.StartsWith(pathPrefix, StringComparison.Ordinal))
            {
                return uri.PathAndQuery;
            }
        }

        throw new InvalidOperationException($"No link to {pathPrefix} in the message:\n{message.TextBody}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Url();

    private sealed class Store(ChannelWriter<MimeMessage> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            await received.WriteAsync(message, cancellationToken);
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>The app (with the comment tests' clock) sending its mail to a <see cref="TestSmtpServer"/>.</summary>
public class MailingFactory : Comments.CommentsFactory
{
    public TestSmtpServer Smtp { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => Smtp.Settings;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

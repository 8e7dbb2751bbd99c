using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Tests.Infrastructure;

namespace Broadsheet.Tests.Production;

/// <summary>A stand-in for a CDN's purge API: a real HTTP listener on loopback that records what it is sent.</summary>
public sealed class PurgeReceiver : IDisposable
{
    private readonly HttpListener _listener = new();

    public PurgeReceiver()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/purge/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = ReceiveAsync();
    }

    public string Url { get; }

    public System.Collections.Concurrent.ConcurrentQueue<string[]> Received { get; } = new();

    public event Action? Arrived;

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = JsonDocument.Parse(context.Request.InputStream);
            Received.Enqueue(body.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
            context.Response.StatusCode = 204;
            context.Response.Close();
            Arrived?.Invoke();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose() => _listener.Close();
}

public sealed class PurgingFactory : BroadsheetFactory
{
    public PurgeReceiver Receiver { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:PageCache:PurgeUrl"] = Receiver.Url,
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Receiver.Dispose();
    }
}

public sealed class PurgeWebhookTests(PurgingFactory app) : IClassFixture<PurgingFactory>
{
    [Fact]
    public async Task Evictions_AreSentToThePurgeWebhook_WithTheirTags()
    {
        var article = (await app.CreateArticlesAsync(new Broadsheet.Articles.ArticleDraft { Headline = Unique.Words("Purged"), BodyMarkdown = "Body" }))[0];
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Receiver.Arrived += () =>
        {
            if (app.Receiver.Received.Any(tags => tags.Contains($"article:{article.Id}")))
            {
                arrived.TrySetResult();
            }
        };

        await app.WithServiceAsync<bool, ContentCache>(async cache =>
        {
            await cache.ArticleChangedAsync(article.Id);
            return true;
        });

        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(app.Receiver.Received, tags => tags.SequenceEqual([$"article:{article.Id}", "listings"]));
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Broadsheet.Tests.Comments;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Production;

/// <summary>A production-mode node over a fault test's own PostgreSQL and Redis.</summary>
public sealed class FaultNode(TestDatabase database, string redis, bool pageCache = true) : CommentsFactoryOver(database)
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:Redis"] = redis,
        ["Broadsheet:Comments:HoldFirstTimeCommenters"] = "false",
        ["Broadsheet:PageCache:Enabled"] = pageCache ? "true" : "false",
    };
}

/// <summary>Restarts of PostgreSQL and Redis while readers read and commenters post, as in production.</summary>
[Trait("Database", TestDatabase.PostgresOnly)]
public sealed class FaultTests : IAsyncLifetime
{
    private PrivateServices _services = null!;
    private TestDatabase _database = null!;
    private FaultNode _app = null!;

    public async Task InitializeAsync()
    {
        _services = await PrivateServices.StartAsync();
        _database = TestDatabase.CreateOnPostgres(_services.Postgres);
        _app = new FaultNode(_database, _services.Redis);
        _ = _app.Server;
    }

    [Fact]
    public async Task RestartingRedisThenPostgres_UnderLoad_LosesNoAcknowledgedComment_AndTheSiteRecovers()
    {
        var (article, url) = await _app.CreateArticleAsync();
        var load = new Load(_app, url);
        var running = load.RunAsync(posters: 4, readers: 2);

        await load.WaitForAcknowledgedAsync(10);
        await _services.RestartRedisAsync();
        await load.WaitForAcknowledgedAsync(10); // accepted again with a fresh, empty Redis
        await _services.RestartPostgresAsync();
        await load.WaitForAcknowledgedAsync(10); // and again once PostgreSQL is back
        await load.StopAsync(running);

        Assert.True(load.ServerErrors.IsEmpty, $"{string.Join("; ", load.ServerErrors)} (and {load.Unavailable} answers 503 with Retry-After)");
        var stored = (await _app.WithDbAsync(db => db.Comments.Where(c => c.ArticleId == article.Id).Select(c => c.Id).ToListAsync())).ToHashSet();
        var lost = load.Acknowledged.Where(id => !stored.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"Acknowledged but not stored: {string.Join(", ", lost)}");
        var page = await _app.GetDocumentAsync(url);
        Assert.All(load.Acknowledged, id => Assert.NotNull(page.GetElementById($"comment-{id}")));
    }

    [Fact]
    public async Task WhilePostgresIsDown_ReadersGetABackInAMomentPage_AndOnceItIsBackEveryPageWorks()
    {
        // Without the output cache every page asks the database, as a page after a comment would.
        await using var node = new FaultNode(_database, _services.Redis, pageCache: false);
        var (_, url) = await _app.CreateArticleAsync();
        // Pages read at once leave several connections idle in the pool; stopping the server cuts them all.
        var before = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => node.CreateReader().GetAsync(url)));
        Assert.All(before, page => Assert.Equal(HttpStatusCode.OK, page.StatusCode));

        await _services.StopPostgresAsync();
        try
        {
            var down = await node.CreateReader().GetAsync(url);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.NotNull(down.Headers.RetryAfter);
            Assert.Contains("Back in a moment", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await _services.StartPostgresAsync(); // also when the page failed, so that the clean-up can drop the database
        }

        var reader = node.CreateReader();
        for (var i = 0; i < before.Length; i++)
        {
            // Each of those idle connections is dead; none of them may be handed to a reader now
            // (Npgsql empties its pool once one of them fails, here on the request answered 503).
            var page = await reader.GetAsync(url);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"Page {i + 1} after the restart answered {(int)page.StatusCode}");
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _app.DisposeAsync();
            _database.Dispose();
        }
        finally
        {
            await _services.DisposeAsync(); // the private servers stop even when the clean-up above fails
        }
    }

    /// <summary>Commenters posting and readers reading in a loop; what was acknowledged and what failed how.</summary>
    private sealed class Load(FaultNode app, string url)
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Channel<int> _acknowledgements = Channel.CreateUnbounded<int>();
        private int _posts;
        private int _unavailable;

        /// <summary>503 answers seen (the restarts' visible cost).</summary>
        public int Unavailable => _unavailable;

        public ConcurrentBag<int> Acknowledged { get; } = [];

        /// <summary>Answers a reader would see as a broken site (500), with what was asked.</summary>
        public ConcurrentBag<string> ServerErrors { get; } = [];

        public Task RunAsync(int posters, int readers) => Task.WhenAll(
            Enumerable.Range(0, posters).Select(_ => Task.Run(PostLoopAsync))
                .Concat(Enumerable.Range(0, readers).Select(_ => Task.Run(ReadLoopAsync))));

        /// <summary>Waits until <paramref name="count"/> more comments were acknowledged (fails after a minute).</summary>
        public async Task WaitForAcknowledgedAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            for (var i = 0; i < count; i++)
            {
                await _acknowledgements.Reader.ReadAsync(timeout.Token);
            }
        }

        public async Task StopAsync(Task running)
        {
            await _stop.CancelAsync();
            await running;
        }

        private async Task PostLoopAsync()
        {
            var client = app.CreateReader();
            while (!_stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref _posts);
                var page = await client.GetAsync(url);
                if (!Check(page, "GET"))
                {
                    continue;
                }

                var document = await BroadsheetFactory.ParseAsync(page);
                var fields = CommentsFactory.FormFields(document);
                fields["comment"] = $"Under load, comment {n} {Guid.NewGuid():N}";
                fields["author"] = "Load Tester";
                fields["email"] = $"load{n}.{Guid.NewGuid():N}@example.com";
                app.Clock.Advance(TimeSpan.FromSeconds(5));
                using var request = new HttpRequestMessage(HttpMethod.Post, document.QuerySelector<IHtmlFormElement>("#commentform")!.GetAttribute("action"))
                {
                    Content = new FormUrlEncodedContent(fields),
                };
                request.Headers.Add(CommentsFactory.ClientAddressHeader, $"10.{n / 65536 % 256}.{n / 256 % 256}.{n % 256}");
                var response = await client.SendAsync(request);
                if (Check(response, "POST") && response.StatusCode == HttpStatusCode.SeeOther)
                {
                    var id = CommentsFactory.CommentIdFrom(response);
                    Acknowledged.Add(id);
                    _acknowledgements.Writer.TryWrite(id);
                }
            }
        }

        private async Task ReadLoopAsync()
        {
            var client = app.CreateReader();
            while (!_stop.IsCancellationRequested)
            {
                Check(await client.GetAsync(url), "GET");
                Check(await client.GetAsync("/"), "GET /");
            }
        }

        /// <summary>True for a usable answer; a 503 with Retry-After is the expected answer during a restart.</summary>
        private bool Check(HttpResponseMessage response, string what)
        {
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Interlocked.Increment(ref _unavailable);
                if (response.Headers.RetryAfter is null)
                {
                    ServerErrors.Add($"{what}: 503 without Retry-After");
                }

                return false;
            }

            if ((int)response.StatusCode >= 500)
            {
                ServerErrors.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: {(int)response.StatusCode}"));
                return false;
            }

            return response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.SeeOther;
        }
    }
}

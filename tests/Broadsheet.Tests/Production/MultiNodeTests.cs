using System.Net;
using Broadsheet.Accounts;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Tests.Accounts;
using Broadsheet.Tests.Comments;
using Broadsheet.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Production;

/// <summary>A node of a two-node site: its own process state, the shared PostgreSQL and Redis.</summary>
public sealed class SiteNode(TestDatabase database) : CommentsFactoryOver(database)
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:Redis"] = Environment.GetEnvironmentVariable("BROADSHEET_TEST_REDIS")
            ?? throw new InvalidOperationException("BROADSHEET_TEST_REDIS is not set: run the suite through ./test.sh, which starts Redis."),
        ["Broadsheet:Comments:HoldFirstTimeCommenters"] = "false",
    };
}

/// <summary>Two app nodes sharing one PostgreSQL and one Redis, as behind a load balancer.</summary>
[Trait("Database", TestDatabase.PostgresOnly)]
public sealed class MultiNodeTests : IAsyncLifetime
{
    private readonly TestDatabase _database = TestDatabase.Create();
    private SiteNode _a = null!;
    private SiteNode _b = null!;

    public Task InitializeAsync()
    {
        _a = new SiteNode(_database);
        _b = new SiteNode(_database);
        _ = _a.Server;
        _ = _b.Server;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ACommentPostedThroughNodeA_EvictsNodeBsCachedPage()
    {
        var (_, url) = await _a.CreateArticleAsync();
        Assert.Equal("Comments", (await _b.GetDocumentAsync(url)).QuerySelector("#comments-title")!.TextContent);

        var id = CommentsFactory.CommentIdFrom(await _a.PostCommentAsync(url, "Seen everywhere", "Node Tester", $"{Guid.NewGuid():N}@example.com"));

        var onB = await _b.GetDocumentAsync(url);
        Assert.NotNull(onB.GetElementById($"comment-{id}"));
    }

    [Fact]
    public async Task APageNodeBStores_JustAfterNodeAEvictedIt_IsEvictedAgain_SecondsLater()
    {
        var (article, url) = await _a.CreateArticleAsync();
        CommentsFactory.CommentIdFrom(await _a.PostCommentAsync(url, "Evicted twice", "Node Tester", $"{Guid.NewGuid():N}@example.com"));
        // What a render on B that read the article before the comment would store, arriving after A's eviction.
        var storeOnB = _b.Services.GetRequiredService<IOutputCacheStore>();
        var key = $"stale-{Guid.NewGuid():N}";
        await storeOnB.SetAsync(key, "<p>before the comment</p>"u8.ToArray(), [CacheTags.Article(article.Id)], TimeSpan.FromMinutes(10), default);
        Assert.NotNull(await storeOnB.GetAsync(key, default));

        var stored = await Eventually.ReadAsync(
            async () => await storeOnB.GetAsync(key, default), page => page is null, tick: () => _a.Clock.Advance(TimeSpan.FromSeconds(1)));

        Assert.Null(stored);
    }

    [Fact]
    public async Task ACommentPostedThroughNodeA_ReachesAPageOpenOnNodeB_Live()
    {
        var (article, url) = await _a.CreateArticleAsync();
        using var onB = await Live.LiveStream.OpenAsync(_b.CreateReader(), article.Id);

        var id = CommentsFactory.CommentIdFrom(await _a.PostCommentAsync(url, "Across the nodes", "Node Tester", $"{Guid.NewGuid():N}@example.com"));

        Assert.Equal(id, (await onB.NextCommentAsync()).Id);
    }

    [Fact]
    public async Task ASignInOnNodeA_IsAcceptedByNodeB()
    {
        var email = await _a.CreateStaffAsync(StaffRoles.Editor);
        var clientA = _a.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await clientA.SignInAsync(email, StaffSessions.Password);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("broadsheet-staff=", StringComparison.Ordinal)).Split(';')[0];

        var clientB = _b.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
        request.Headers.Add("Cookie", cookie);
        var onB = await clientB.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
    }

    [Fact]
    public async Task ARateLimitHitThroughNodeA_HoldsOnNodeB()
    {
        var (_, url) = await _a.CreateArticleAsync();
        var email = $"{Guid.NewGuid():N}@example.com";
        CommentsFactory.CommentIdFrom(await _a.PostCommentAsync(url, "First on A", "Flooder", email, clientAddress: "198.51.100.90"));
        // Node B's clock agrees with A's: both read the same moment from the (shared) database rows.
        _b.Clock.SetUtcNow(_a.Clock.GetUtcNow());

        var onB = await _b.PostCommentAsync(url, "Second on B", "Flooder", email, clientAddress: "198.51.100.90");

        Assert.Equal(HttpStatusCode.TooManyRequests, onB.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _database.Dispose();
    }
}

using Broadsheet.Articles;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Tests.Infrastructure;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Broadsheet.Tests.Infrastructure;

public sealed class CachingTests(BroadsheetFactory app) : IClassFixture<BroadsheetFactory>
{
    [Fact]
    public async Task ArticlePage_IsServedFromCache_ForAnonymousReader()
    {
        var (article, url) = await CreateAsync("Cached headline");
        Assert.Equal(article.Headline, (await app.GetDocumentAsync(url)).QuerySelector("h1")!.TextContent);

        // Change the row behind the app's back: a cached page does not notice.
        await RenameBehindTheAppsBackAsync(article.Id, "Changed behind the cache");

        Assert.Equal(article.Headline, (await app.GetDocumentAsync(url)).QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task PageRendered_WhileItsArticlesCommentsChanged_IsNotStored_ButAnotherArticlesIs()
    {
        var cache = app.Services.GetRequiredService<ContentCache>();
        var (commented, quiet) = (Random.Shared.Next(1_000_000, 2_000_000), Random.Shared.Next(2_000_000, 3_000_000));
        var commentedPage = Rendering(CacheTags.Article(commented));
        var quietPage = Rendering(CacheTags.Article(quiet));
        // The comment is committed and its article's pages evicted after the pages read their content, before they are stored.
        Microsoft.AspNetCore.Http.RequestDelegate renderWhileACommentLands = _ => cache.CommentsChangedAsync([commented]);

        await new NoStaleStorage(renderWhileACommentLands, cache).InvokeAsync(commentedPage.HttpContext);
        await new NoStaleStorage(renderWhileACommentLands, cache).InvokeAsync(quietPage.HttpContext);

        Assert.False(commentedPage.AllowCacheStorage); // it may lack the new comment
        Assert.True(quietPage.AllowCacheStorage);
    }

    [Fact]
    public async Task PageStored_JustAfterItsArticlesCommentsChanged_IsEvictedAgain_WhenTheConfirmationIsDue()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var storeServices = new ServiceCollection().AddOptions().AddOutputCache().BuildServiceProvider();
        var store = storeServices.GetRequiredService<IOutputCacheStore>();
        var cache = new ContentCache(
            store, app.Services.GetRequiredService<ContentMemo>(), app.Services.GetRequiredService<PurgeWebhook>(), clock, NullLogger<ContentCache>.Instance);
        var (commented, quiet) = (Random.Shared.Next(1_000_000, 2_000_000), Random.Shared.Next(2_000_000, 3_000_000));
        await cache.CommentsChangedAsync([commented]);
        // Read before the comment, stored just after its eviction (another node's render, or the moment NoStaleStorage cannot see).
        await store.SetAsync("stale", "<p>before the comment</p>"u8.ToArray(), [CacheTags.Article(commented)], TimeSpan.FromMinutes(10), default);
        await store.SetAsync("quiet", "<p>another article</p>"u8.ToArray(), [CacheTags.Article(quiet)], TimeSpan.FromMinutes(10), default);

        clock.Advance(ContentCache.ConfirmationDelay - TimeSpan.FromMilliseconds(1));
        await cache.ConfirmEvictionsAsync(default);
        Assert.NotNull(await store.GetAsync("stale", default));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await cache.ConfirmEvictionsAsync(default);
        Assert.Null(await store.GetAsync("stale", default));
        Assert.NotNull(await store.GetAsync("quiet", default));
    }

    private static Microsoft.AspNetCore.OutputCaching.OutputCacheContext Rendering(string tag)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        var output = new Microsoft.AspNetCore.OutputCaching.OutputCacheContext { HttpContext = http, AllowCacheStorage = true };
        output.Tags.Add(tag);
        http.Features.Set<Microsoft.AspNetCore.OutputCaching.IOutputCacheFeature>(new OutputCacheFeature(output));
        return output;
    }

    private sealed record OutputCacheFeature(Microsoft.AspNetCore.OutputCaching.OutputCacheContext Context)
        : Microsoft.AspNetCore.OutputCaching.IOutputCacheFeature;

    [Fact]
    public async Task ArticlePage_IsEvicted_WhenItsArticleChanges()
    {
        var (article, url) = await CreateAsync("Headline before the edit");
        await app.GetDocumentAsync(url);
        await RenameBehindTheAppsBackAsync(article.Id, "Headline after the edit");

        await app.WithServiceAsync<bool, ContentCache>(async cache =>
        {
            await cache.ArticleChangedAsync(article.Id);
            return true;
        });

        Assert.Equal("Headline after the edit", (await app.GetDocumentAsync(url)).QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task FrontPage_IsEvicted_WhenAnArticleIsPublished()
    {
        await app.GetDocumentAsync("/");
        var (article, _) = await CreateAsync("Breaking: evicts the front page", new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var front = await app.GetDocumentAsync("/");

        Assert.Equal(article.Headline, front.QuerySelector(".lead-story h2")!.TextContent);
    }

    [Fact]
    public async Task Pages_AreEvicted_WhenAnotherProcessChangesContent()
    {
        var (article, url) = await CreateAsync("Imported elsewhere, before");
        await app.GetDocumentAsync(url);

        // What the CLI's import does from another process: change rows and stamp a new content version.
        await RenameBehindTheAppsBackAsync(article.Id, "Imported elsewhere, after");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
            new ContentVersion(TimeProvider.System).Stamp(db); // another process's own stamp
            await db.SaveChangesAsync();
        }

        var headline = await Eventually.ReadAsync(
            async () => (await app.GetDocumentAsync(url)).QuerySelector("h1")!.TextContent, h => h == "Imported elsewhere, after");

        Assert.Equal("Imported elsewhere, after", headline);
    }

    [Fact]
    public async Task ContentVersionRows_OfProcessesIdleForAMonth_AreDeleted_AndOthersKept()
    {
        // Two other processes' own rows: one stamped 31 days ago (a node long replaced), one just now.
        var gone = new ContentVersion(new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-31)));
        var alive = new ContentVersion(TimeProvider.System);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
            gone.Stamp(db);
            alive.Stamp(db);
            await db.SaveChangesAsync();
        }

        Assert.False(await Eventually.ReadAsync(() => RowExistsAsync(gone.OwnKey), exists => !exists));
        Assert.True(await RowExistsAsync(alive.OwnKey));
        Assert.True(await RowExistsAsync(app.Services.GetRequiredService<ContentVersion>().OwnKey));
    }

    private async Task<bool> RowExistsAsync(string key)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>().SiteSettings.AnyAsync(s => s.Key == key);
    }

    private async Task<(Article Article, string Url)> CreateAsync(string prefix, DateTime? publishedAt = null)
    {
        var when = publishedAt ?? new DateTime(2025, 2, 3, 10, 0, 0, DateTimeKind.Utc);
        var article = (await app.CreateArticlesAsync(new ArticleDraft
        {
            Headline = Unique.Words(prefix),
            BodyMarkdown = "Body.",
            PublishedAt = when,
        }))[0];
        return (article, $"/{when:yyyy}/{when:MM}/{when:dd}/{article.Slug}");
    }

    private async Task RenameBehindTheAppsBackAsync(int articleId, string headline)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        await db.Articles.Where(a => a.Id == articleId).ExecuteUpdateAsync(s => s.SetProperty(a => a.Headline, headline));
    }
}

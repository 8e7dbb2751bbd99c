using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace Broadsheet.Infrastructure.Caching;

/// <summary>Output caching of anonymous pages, and eviction when their content changes.</summary>
public static class PageCache
{
    /// <summary>The output-cache policy of every public HTML page.</summary>
    public const string AnonymousPage = nameof(AnonymousPage);

    public static IServiceCollection AddPageCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PageCacheOptions>().Bind(configuration.GetSection(PageCacheOptions.SectionName));
        services.AddOutputCache(options =>
        {
            // The default policy already refuses to cache signed-in requests, non-GET/HEAD
            // requests, non-200 answers and responses that set a cookie; we add the tags, a
            // lifetime as a safety net behind eviction, and an allowlist of query keys so that
            // random query strings cannot fill the cache with copies of one page.
            options.AddPolicy(AnonymousPage, policy => policy
                .Expire(TimeSpan.FromMinutes(10))
                .SetVaryByQuery("before", "comments-after")
                // Compression runs inside the cache, so each encoding is cached once and served without recompressing.
                .SetVaryByHeader("Accept-Encoding")
                .Tag(CacheTags.AllPages)
                .AddPolicy<BypassPersonalQueries>());
        });
        services.Configure<MvcOptions>(mvc => mvc.Filters.Add<CdnHeaders>());
        services.AddHttpClient(PurgeWebhook.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(5));
        services.AddSingleton<PurgeWebhook>();
        services.AddSingleton<ContentCache>();
        services.AddHostedService<EvictionConfirmer>();
        services.AddSingleton<ContentMemo>();
        services.AddSingleton<ContentVersion>();
        services.AddHostedService<ContentVersionWatcher>();
        return services;
    }

    /// <summary>Serves cached pages (unless switched off by <see cref="PageCacheOptions.Enabled"/>).</summary>
    public static WebApplication UsePageCache(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Configuration.GetSection(PageCacheOptions.SectionName).Get<PageCacheOptions>()?.Enabled ?? true)
        {
            app.UseOutputCache();
            app.UseMiddleware<NoStaleStorage>();
        }

        return app;
    }

    /// <summary>Adds tags to the response being cached (e.g. the article id known only after the query).</summary>
    public static void AddCacheTags(this HttpContext context, params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IOutputCacheFeature>() is { } feature)
        {
            foreach (var tag in tags)
            {
                feature.Context.Tags.Add(tag);
            }
        }
    }
}

/// <summary>
/// Keeps a page out of the cache when its content changed while it was being rendered. The change's
/// eviction can land between the page's reads and its storing; stored anyway, the page would show
/// the old content (a comment missing, the old site name) until its next eviction or ten minutes.
/// Inside the output cache, so it runs before the page is stored. It knows this process's evictions
/// only, and an eviction landing between its check and the store's write passes it: for those,
/// <see cref="ContentCache"/> evicts every change's tags a second time a little later.
/// </summary>
internal sealed class NoStaleStorage(RequestDelegate next, ContentCache cache)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var evictions = cache.Evictions;
        await next(context);
        if (context.Features.Get<IOutputCacheFeature>()?.Context is { AllowCacheStorage: true } output
            && cache.EvictedSince(output.Tags, evictions))
        {
            output.AllowCacheStorage = false;
        }
    }
}

/// <summary>
/// Requests that show one reader something of their own (their held comment, the reply form
/// moved under a comment) are rendered fresh and never stored.
/// </summary>
internal sealed class BypassPersonalQueries : IOutputCachePolicy
{
    private static readonly string[] PersonalQueryKeys = ["unapproved", "replytocom"];

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var query = context.HttpContext.Request.Query;
        if (PersonalQueryKeys.Any(query.ContainsKey))
        {
            context.AllowCacheLookup = false;
            context.AllowCacheStorage = false;
            // Nor may a CDN or proxy keep it: it may show a reader their own held comment.
            context.HttpContext.Response.Headers.CacheControl = "private, no-store";
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;
}

/// <summary>
/// Headers for a CDN or Varnish in front: shared caches may keep the page for
/// <see cref="PageCacheOptions.SharedMaxAgeSeconds"/> and serve it stale while revalidating;
/// browsers revalidate (the weak ETag answers 304); <c>Surrogate-Key</c> lists the page's tags so
/// the purge webhook can evict exactly what changed. A result filter, so the headers are set before
/// the page is written and are stored with the cached copy.
/// </summary>
internal sealed class CdnHeaders(IOptions<PageCacheOptions> options) : IAsyncResultFilter
{
    public Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (context.Result is PageResult && http.Response.StatusCode == StatusCodes.Status200OK
            && http.Features.Get<IOutputCacheFeature>()?.Context is { EnableOutputCaching: true, AllowCacheStorage: true } cache)
        {
            var settings = options.Value;
            http.Response.Headers.CacheControl =
                $"public, max-age=0, s-maxage={settings.SharedMaxAgeSeconds}, stale-while-revalidate={settings.StaleWhileRevalidateSeconds}";
            http.Response.Headers["Surrogate-Key"] = string.Join(' ', cache.Tags.Order(StringComparer.Ordinal));
            http.Response.Headers.ETag = $"W/\"{Guid.NewGuid():N}\"";
        }

        return next();
    }
}

/// <summary>
/// Evicts cached pages whose content changed. Call it after the change is committed: by then the
/// change is the truth, so an unreachable cache store (Redis restarting) must not turn it into an
/// error page. Tags that could not be evicted are kept and evicted with the next change, and
/// cached pages expire on their own after ten minutes at most.
/// <para>
/// Each change's tags are evicted again <see cref="ConfirmationDelay"/> later (the last change of a
/// tag counts): a page that read the content before the change but reached the store after its
/// eviction, which <see cref="NoStaleStorage"/> cannot always stop (another node sharing the Redis
/// store, or the moment between its check and the write), is then gone within seconds.
/// </para>
/// </summary>
public sealed class ContentCache(IOutputCacheStore store, ContentMemo memo, PurgeWebhook purge, TimeProvider time, ILogger<ContentCache> logger)
{
    /// <summary>Longer than a page takes to render, even on a busy node.</summary>
    internal static readonly TimeSpan ConfirmationDelay = TimeSpan.FromSeconds(2);

    // Evictions a page being rendered may have missed: more than a render can outlast.
    private const int EvictionsRemembered = 4096;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _pending = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _lastEvicted = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _unconfirmed = new(StringComparer.Ordinal);
    private long _evictions;

    /// <summary>How many evictions this process has begun; a page notes it before it reads anything.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>
    /// Whether any of <paramref name="tags"/> was evicted after <paramref name="evictions"/> (a value
    /// of <see cref="Evictions"/>): a page rendered meanwhile may show the content from before.
    /// </summary>
    public bool EvictedSince(IEnumerable<string> tags, long evictions)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return Evictions - evictions > EvictionsRemembered
            || tags.Any(tag => _lastEvicted.TryGetValue(tag, out var at) && at > evictions);
    }

    public Task ArticleChangedAsync(int articleId, CancellationToken cancellationToken = default) =>
        ArticlesChangedAsync([articleId], cancellationToken);

    /// <summary>Each article's pages, and the listings once, however many articles changed together.</summary>
    public Task ArticlesChangedAsync(IEnumerable<int> articleIds, CancellationToken cancellationToken = default) =>
        ContentChangedAsync(ArticlePagesAndListings(articleIds), cancellationToken);

    /// <summary>
    /// Comments of these articles changed: the same pages as <see cref="ArticlesChangedAsync"/> (listings
    /// show comment counts), but what <see cref="ContentMemo"/> keeps of the articles still holds.
    /// </summary>
    public Task CommentsChangedAsync(IEnumerable<int> articleIds, CancellationToken cancellationToken = default) =>
        EvictAsync(ArticlePagesAndListings(articleIds), cancellationToken);

    /// <summary>A byline's name, bio or photo changed: the article pages that show it, and the listings (its author page among them).</summary>
    public Task AuthorChangedAsync(string slug, CancellationToken cancellationToken = default) =>
        ContentChangedAsync([CacheTags.Author(slug), CacheTags.Listings], cancellationToken);

    public Task EverythingChangedAsync(CancellationToken cancellationToken = default) =>
        ContentChangedAsync([CacheTags.AllPages], cancellationToken);

    private static string[] ArticlePagesAndListings(IEnumerable<int> articleIds) =>
        [.. articleIds.Distinct().Select(CacheTags.Article), CacheTags.Listings];

    /// <summary>Published content changed: the memo starts a new generation before the pages go, so no page is rendered again from it.</summary>
    private Task ContentChangedAsync(string[] tags, CancellationToken cancellationToken)
    {
        memo.ContentChanged();
        return EvictAsync(tags, cancellationToken);
    }

    private async Task EvictAsync(string[] tags, CancellationToken cancellationToken)
    {
        // Noted before the store forgets the pages: a render that read the old content and ends after
        // this point is not stored (NoStaleStorage), one stored before is evicted below, and one
        // that slipped past both by the confirmation.
        var eviction = Interlocked.Increment(ref _evictions);
        foreach (var tag in tags)
        {
            // Never lowered: two evictions of one tag at once may finish in either order.
            _lastEvicted.AddOrUpdate(tag, eviction, (_, earlier) => Math.Max(earlier, eviction));
        }

        if (_lastEvicted.Count > EvictionsRemembered)
        {
            foreach (var (tag, at) in _lastEvicted)
            {
                if (eviction - at > EvictionsRemembered)
                {
                    _lastEvicted.TryRemove(new KeyValuePair<string, long>(tag, at));
                }
            }
        }

        await EvictFromStoreAsync(_pending.Keys.Union(tags).ToList(), cancellationToken);
        purge.Notify(tags);

        // Timed from the end of the eviction (a slow store must not bring the second before the first),
        // and never brought earlier by a change that finished before another.
        var confirmAt = time.GetUtcNow() + ConfirmationDelay;
        foreach (var tag in tags)
        {
            _unconfirmed.AddOrUpdate(tag, confirmAt, (_, earlier) => earlier > confirmAt ? earlier : confirmAt);
        }
    }

    /// <summary>The second eviction of the tags whose last change is <see cref="ConfirmationDelay"/> old (run by <see cref="EvictionConfirmer"/>).</summary>
    internal async Task ConfirmEvictionsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = new List<string>();
        foreach (var entry in _unconfirmed)
        {
            // Removed only as read: a tag changed again meanwhile waits for its new time.
            if (entry.Value <= now && _unconfirmed.TryRemove(entry))
            {
                due.Add(entry.Key);
            }
        }

        if (due.Count > 0)
        {
            await EvictFromStoreAsync(due, cancellationToken);
            // A CDN may have fetched the stale page too.
            purge.Notify(due);
        }
    }

    private async Task EvictFromStoreAsync(IEnumerable<string> tags, CancellationToken cancellationToken)
    {
        foreach (var tag in tags)
        {
            try
            {
                await store.EvictByTagAsync(tag, cancellationToken);
                _pending.TryRemove(tag, out _);
            }
            catch (Exception e) when (Web.TransientFailures.IsTransient(e))
            {
                _pending.TryAdd(tag, 0);
                logger.LogWarning(e, "Could not evict cached pages tagged {Tag}; will retry with the next change.", tag);
            }
        }
    }
}

/// <summary>Runs <see cref="ContentCache.ConfirmEvictionsAsync"/> twice a second.</summary>
internal sealed class EvictionConfirmer(ContentCache cache, TimeProvider time, ILogger<EvictionConfirmer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await cache.ConfirmEvictionsAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Never stop the host over it: the pages expire on their own, and the next change evicts again.
                logger.LogWarning(e, "Could not confirm the evictions of changed pages.");
            }
        }
    }
}

/// <summary>
/// Tells a CDN or Varnish which cache tags to purge, by POSTing <c>{"tags":[...]}</c> to
/// <see cref="PageCacheOptions.PurgeUrl"/>. Sent in the background: a slow CDN never delays a
/// reader's comment; a failure is logged (the CDN's copy then lives until s-maxage).
/// </summary>
public sealed class PurgeWebhook(IHttpClientFactory clients, IOptions<PageCacheOptions> options, ILogger<PurgeWebhook> logger)
{
    public const string HttpClientName = "purge-webhook";

    public void Notify(IReadOnlyCollection<string> tags)
    {
        if (options.Value.PurgeUrl is not { } url)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                using var response = await clients.CreateClient(HttpClientName).PostAsJsonAsync(url, new { tags });
                response.EnsureSuccessStatusCode();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                logger.LogWarning(e, "The purge webhook {Url} failed for tags {Tags}.", url, tags);
            }
        });
    }
}

/// <summary>Section <c>Broadsheet:PageCache</c>.</summary>
public sealed class PageCacheOptions
{
    public const string SectionName = "Broadsheet:PageCache";

    /// <summary>
    /// Output-cache anonymous pages (default). Switch off only to measure or debug the real rendering
    /// path: every request then queries the database.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a CDN or shared proxy may keep a page (<c>s-maxage</c>); purges end it sooner.</summary>
    public int SharedMaxAgeSeconds { get; set; } = 300;

    /// <summary>How long a shared cache may serve a stale page while it fetches a fresh one.</summary>
    public int StaleWhileRevalidateSeconds { get; set; } = 60;

    /// <summary>Optional URL that receives <c>POST {"tags":[...]}</c> whenever pages are evicted.</summary>
    public Uri? PurgeUrl { get; set; }
}

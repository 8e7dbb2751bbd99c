using Microsoft.AspNetCore.OutputCaching;

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
                .Tag(CacheTags.AllPages)
                .AddPolicy<BypassPersonalQueries>());
        });
        services.AddSingleton<ContentCache>();
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
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;
}

/// <summary>Evicts cached pages whose content changed. Call it after the change is committed.</summary>
public sealed class ContentCache(IOutputCacheStore store)
{
    public async Task ArticleChangedAsync(int articleId, CancellationToken cancellationToken = default)
    {
        await store.EvictByTagAsync(CacheTags.Article(articleId), cancellationToken);
        await store.EvictByTagAsync(CacheTags.Listings, cancellationToken);
    }

    public ValueTask EverythingChangedAsync(CancellationToken cancellationToken = default) =>
        store.EvictByTagAsync(CacheTags.AllPages, cancellationToken);
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
}

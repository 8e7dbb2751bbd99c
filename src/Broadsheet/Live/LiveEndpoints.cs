using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Broadsheet.Live;

/// <summary>Live comment updates. Section <c>Broadsheet:Live</c>.</summary>
public sealed class LiveOptions
{
    public const string SectionName = "Broadsheet:Live";

    /// <summary>Open live connections one node accepts; more get 503 (their pages still work, without live updates).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Seconds between keep-alive events, so proxies do not close a quiet stream.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 300)]
    public int KeepAliveSeconds { get; set; } = 25;
}

/// <summary>What a page's script receives: which comment, where it goes, and where its HTML is.</summary>
public sealed record LiveCommentEvent(int Id, int? ParentId, string Fragment);

public static class LiveEndpoints
{
    public static string StreamPath(int articleId) => $"/live/articles/{articleId}/comments";

    public static IServiceCollection AddLive(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiveOptions>()
            .Bind(configuration.GetSection(LiveOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<LiveComments>();
        services.AddHostedService<LiveCommentRelay>();
        return services;
    }

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder endpoints)
    {
        // Server-Sent Events: one long GET per open article page; never cached, never compressed.
        endpoints.MapGet("/live/articles/{id:int}/comments", async Task<IResult> (
            int id, HttpContext context, LiveComments live, BroadsheetDbContext db, IOptions<LiveOptions> options,
            IHostApplicationLifetime lifetime, CancellationToken cancellationToken) =>
        {
            var published = await db.Articles.AsNoTracking().AnyAsync(a => a.Id == id && a.Status == ArticleStatus.Published, cancellationToken);
            if (!published)
            {
                return TypedResults.NotFound();
            }

            if (live.Connections >= options.Value.MaxConnections)
            {
                context.Response.Headers.RetryAfter = "60";
                return TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            int? lastSeen = int.TryParse(context.Request.Headers["Last-Event-ID"], out var last) ? last : null;
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass events through as they come
            var subscription = live.Subscribe(id);
            context.Response.RegisterForDispose(subscription);
            var ending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
            context.Response.RegisterForDispose(ending);
            var missed = lastSeen is { } after ? await MissedAsync(db, id, after, cancellationToken) : [];
            return TypedResults.ServerSentEvents(Events(subscription, missed, TimeSpan.FromSeconds(options.Value.KeepAliveSeconds), ending.Token));
        });
        return endpoints;
    }

    /// <summary>A reconnecting page says the last comment it got; it gets what it missed meanwhile.</summary>
    private static Task<List<LiveComment>> MissedAsync(BroadsheetDbContext db, int articleId, int after, CancellationToken cancellationToken) =>
        db.Comments.AsNoTracking()
            .Where(c => c.ArticleId == articleId && c.Status == CommentStatus.Approved && c.Id > after)
            .OrderBy(c => c.Id)
            .Take(50)
            .Select(c => new LiveComment(c.ArticleId, c.Id, c.ParentId))
            .ToListAsync(cancellationToken);

    private static async IAsyncEnumerable<SseItem<LiveCommentEvent?>> Events(
        LiveComments.Subscription subscription, List<LiveComment> missed, TimeSpan keepAlive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Tell the browser how soon to reconnect after the stream drops (a node restart, a proxy timeout).
        yield return new SseItem<LiveCommentEvent?>(null, "hello") { ReconnectionInterval = TimeSpan.FromSeconds(5) };
        foreach (var comment in missed)
        {
            yield return Item(comment);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            LiveComment? next;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                wait.CancelAfter(keepAlive);
                try
                {
                    next = await subscription.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    next = null; // quiet for a while: a keep-alive
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }

            yield return next is null ? new SseItem<LiveCommentEvent?>(null, "ping") : Item(next);
        }
    }

    private static SseItem<LiveCommentEvent?> Item(LiveComment comment) =>
        new(new LiveCommentEvent(comment.CommentId, comment.ParentId, CommentFragmentPath(comment.CommentId)), "comment")
        {
            EventId = comment.CommentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    public static string CommentFragmentPath(int commentId) => $"{CommentPermalinks.For(commentId)}/fragment";
}

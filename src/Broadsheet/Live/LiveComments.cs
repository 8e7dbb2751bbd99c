using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using StackExchange.Redis;

namespace Broadsheet.Live;

/// <summary>A comment that just became visible to everyone on an article.</summary>
public sealed record LiveComment(int ArticleId, int CommentId, int? ParentId);

/// <summary>
/// Carries newly approved comments to the readers who have the article open. On one node it
/// delivers in process; with Redis (<c>Broadsheet:Redis</c>) it publishes on a channel that every
/// node subscribes to, so a comment approved through node A reaches readers connected to node B.
/// Live updates are an enhancement: a failure to publish is logged and never fails the comment.
/// </summary>
public sealed class LiveComments(IServiceProvider services, ILogger<LiveComments> logger)
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("broadsheet:live:comments");

    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Subscription, byte>> _byArticle = new();
    private readonly IConnectionMultiplexer? _redis = services.GetService<IConnectionMultiplexer>();
    private int _connections;

    public int Connections => Volatile.Read(ref _connections);

    public async Task PublishAsync(IEnumerable<LiveComment> comments)
    {
        ArgumentNullException.ThrowIfNull(comments);
        foreach (var comment in comments)
        {
            if (_redis is null)
            {
                Deliver(comment);
                continue;
            }

            try
            {
                await _redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(comment));
            }
            catch (RedisException e)
            {
                logger.LogWarning(e, "Could not publish a live comment through Redis; readers on this node still get it.");
                Deliver(comment);
            }
        }
    }

    /// <summary>Hands a comment to this node's readers of its article (never blocks: each reader has a small buffer).</summary>
    public void Deliver(LiveComment comment)
    {
        ArgumentNullException.ThrowIfNull(comment);
        if (_byArticle.TryGetValue(comment.ArticleId, out var subscribers))
        {
            foreach (var subscription in subscribers.Keys)
            {
                subscription.Offer(comment);
            }
        }
    }

    public Subscription Subscribe(int articleId)
    {
        var subscription = new Subscription(this, articleId);
        _byArticle.GetOrAdd(articleId, _ => new()).TryAdd(subscription, 0);
        Interlocked.Increment(ref _connections);
        return subscription;
    }

    private void Unsubscribe(Subscription subscription)
    {
        if (_byArticle.TryGetValue(subscription.ArticleId, out var subscribers) && subscribers.TryRemove(subscription, out _))
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>One open page. A reader who falls 100 comments behind loses the oldest; the page catches up on reload.</summary>
    public sealed class Subscription(LiveComments owner, int articleId) : IDisposable
    {
        private readonly Channel<LiveComment> _queue = System.Threading.Channels.Channel.CreateBounded<LiveComment>(
            new BoundedChannelOptions(100) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public int ArticleId { get; } = articleId;

        public ChannelReader<LiveComment> Reader => _queue.Reader;

        internal void Offer(LiveComment comment) => _queue.Writer.TryWrite(comment);

        public void Dispose()
        {
            owner.Unsubscribe(this);
            _queue.Writer.TryComplete();
        }
    }
}

/// <summary>With Redis, receives every node's live comments and delivers them to this node's readers.</summary>
internal sealed class LiveCommentRelay(LiveComments live, IServiceProvider services, ILogger<LiveCommentRelay> logger) : IHostedService
{
    private ChannelMessageQueue? _queue;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IConnectionMultiplexer>() is not { } redis)
        {
            return;
        }

        try
        {
            // The multiplexer re-subscribes by itself after Redis restarts.
            _queue = await redis.GetSubscriber().SubscribeAsync(LiveComments.Channel);
            _queue.OnMessage(message =>
            {
                if (message.Message.HasValue && JsonSerializer.Deserialize<LiveComment>(message.Message.ToString()) is { } comment)
                {
                    live.Deliver(comment);
                }
            });
        }
        catch (RedisException e)
        {
            logger.LogWarning(e, "Could not subscribe to live comments in Redis; this node's readers get only its own.");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_queue is null)
        {
            return;
        }

        try
        {
            await _queue.UnsubscribeAsync();
        }
        catch (Exception e) when (e is ObjectDisposedException or RedisException)
        {
            // Shutting down with Redis gone or the connection already closed: nothing left to unsubscribe from.
        }
    }
}

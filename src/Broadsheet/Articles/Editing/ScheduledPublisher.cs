using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles.Editing;

/// <summary>
/// Publishes scheduled articles when their time comes. Runs on every node; the update is a single
/// conditional statement, so two nodes publishing the same article at once is harmless.
/// </summary>
internal sealed partial class ScheduledPublisher(
    IServiceScopeFactory scopes, ContentVersion contentVersion, TimeProvider time, ILogger<ScheduledPublisher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await PublishDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Publishing scheduled articles failed; trying again shortly.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> PublishDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.Articles.Where(a => a.Status == ArticleStatus.Scheduled && a.PublishedAt <= now).Select(a => a.Id).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        // With a new content version in the same transaction: the other nodes find nothing left to
        // publish, and learn of the change from the version (see ContentVersionWatcher).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var published = await db.Articles.Where(a => due.Contains(a.Id) && a.Status == ArticleStatus.Scheduled)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, ArticleStatus.Published), cancellationToken);
        if (published > 0)
        {
            contentVersion.Stamp(db);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        var cache = scope.ServiceProvider.GetRequiredService<ContentCache>();
        await cache.ArticlesChangedAsync(due, cancellationToken);

        Log.Published(logger, published);
        return published;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Published {Count} scheduled article(s).")]
        public static partial void Published(ILogger logger, int count);
    }
}

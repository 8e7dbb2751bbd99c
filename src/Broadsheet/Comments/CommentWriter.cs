using System.Threading.Channels;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Web;
using Broadsheet.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Broadsheet.Comments;

/// <summary>A comment that passed every check that needs no lock, waiting for the writer.</summary>
public sealed record CommentDraft(Comment Comment, CommentCandidate PolicyInput);

/// <summary>
/// The one writer of new comments on this node, with group commit: comments posted at the same
/// moment are checked (rate limit, duplicate, first-time commenter) and inserted one after the
/// other inside one transaction, and committed together, so one disk flush makes a whole batch
/// durable (SQLite with <c>synchronous=FULL</c> pays one fsync per commit, whatever its size).
/// Every poster still gets its answer only after the commit that holds its comment, and after
/// the article's cached pages were evicted. A comment that fails alone is rolled back to its
/// savepoint without taking its batch with it.
/// </summary>
public sealed class CommentWriter(IServiceScopeFactory scopes, IOptionsMonitor<CommentOptions> options, ContentCache cache, LiveComments live,
    TimeProvider time, ILogger<CommentWriter> logger) : BackgroundService
{
    /// <summary>Enough to amortise a flush; small enough that the batch's last poster does not wait long.</summary>
    private const int MaxBatch = 128;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public async Task<PostOutcome> WriteAsync(CommentDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var pending = new Pending(draft, new TaskCompletionSource<PostOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return new PostOutcome.Refused(StatusCodes.Status503ServiceUnavailable,
                "The site is restarting. Your comment is kept below: please post it again in a moment.");
        }

        // Not cancelled with the request: once queued, the comment is written (and then simply not acknowledged).
        return await pending.Outcome.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // On shutdown, take no more comments but finish those already queued.
        await using var stopping = stoppingToken.Register(() => _queue.Writer.TryComplete());
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await WriteBatchAsync(batch);
            }
            catch (Exception e)
            {
                // The commit itself failed (e.g. the database restarting): nothing in the batch is stored.
                foreach (var pending in batch)
                {
                    pending.Outcome.TrySetException(e);
                }
            }
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        var outcomes = new PostOutcome?[batch.Count];
        var failures = new Exception?[batch.Count];
        await WriteInTransactionAsync(db, batch, outcomes, failures);
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Outcome.TrySetException(failure);
            }
            else
            {
                batch[i].Outcome.TrySetResult(outcomes[i]!);
            }
        }
    }

    private async Task WriteInTransactionAsync(BroadsheetDbContext db, List<Pending> batch, PostOutcome?[] outcomes, Exception?[] failures)
    {
        // On SQLite this takes the write lock first (BEGIN IMMEDIATE), so the rate-limit and duplicate
        // checks below see every earlier comment, including this batch's.
        List<IGrouping<int, PostOutcome.Accepted>> approvedPerArticle;
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            try
            {
                approvedPerArticle = await AdmitAndCommitAsync(db, transaction, batch, outcomes, failures);
            }
            catch (Exception e) when (!TransientFailures.IsTransient(e)
                && (transaction.GetDbTransaction().Connection is null || db.Database.GetDbConnection().State != System.Data.ConnectionState.Open))
            {
                // The connection broke mid-batch (a restarting PostgreSQL): the driver then calls the
                // transaction "already completed". Nothing was committed; the readers get a 503 and post again.
                throw new DatabaseConnectionLostException(e);
            }
        }

        if (approvedPerArticle.Count > 0)
        {
            await cache.ArticlesChangedAsync(approvedPerArticle.Select(a => a.Key));
            await live.PublishAsync(approvedPerArticle.SelectMany(a => a).Select(a => new LiveComment(a.Comment.ArticleId, a.Comment.Id, a.Comment.ParentId)));
        }
    }

    /// <summary>Admits each comment of the batch (a savepoint each), adds to the articles' counts and commits; returns the approved ones by article.</summary>
    private async Task<List<IGrouping<int, PostOutcome.Accepted>>> AdmitAndCommitAsync(
        BroadsheetDbContext db, IDbContextTransaction transaction, List<Pending> batch, PostOutcome?[] outcomes, Exception?[] failures)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            await transaction.CreateSavepointAsync("comment");
            try
            {
                outcomes[i] = await AdmitAsync(db, batch[i].Draft);
            }
            catch (Exception e) when (!TransientFailures.IsTransient(e))
            {
                logger.LogError(e, "A comment could not be stored; the rest of its batch goes on.");
                await transaction.RollbackToSavepointAsync("comment");
                db.ChangeTracker.Clear();
                failures[i] = e;
            }
        }

        var approvedPerArticle = outcomes.OfType<PostOutcome.Accepted>().Where(a => a.VisibleToEveryone)
            .GroupBy(a => a.Comment.ArticleId).ToList();
        foreach (var article in approvedPerArticle)
        {
            // Approved comments add to the counts in the same transaction (moderation, which can move many, recounts).
            var added = article.Count();
            var threadsAdded = article.Count(a => a.Comment.ParentId is null);
            await db.Articles.Where(a => a.Id == article.Key)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.CommentCount, a => a.CommentCount + added)
                    .SetProperty(a => a.ThreadCount, a => a.ThreadCount + threadsAdded));
        }

        await transaction.CommitAsync();
        return approvedPerArticle;
    }

    /// <summary>The checks that must see every earlier comment, then the insert (not yet committed).</summary>
    private async Task<PostOutcome> AdmitAsync(BroadsheetDbContext db, CommentDraft draft)
    {
        var comment = draft.Comment;
        var now = time.GetUtcNow().UtcDateTime;
        if (await SecondsToWaitAsync(db, comment.IpHash, comment.AvatarKey, now) is > 0 and var wait)
        {
            return new PostOutcome.TooSoon(wait);
        }

        // Both questions in one statement: this runs once per comment while the write lock is held.
        var earlier = await db.Articles.Where(a => a.Id == comment.ArticleId)
            .Select(a => new
            {
                Duplicate = db.Comments.Any(c => c.ArticleId == a.Id && c.Fingerprint == comment.Fingerprint),
                CommenterHasApproved = db.Comments.Any(c => c.AvatarKey == comment.AvatarKey && c.Status == CommentStatus.Approved),
            })
            .FirstAsync();
        if (earlier.Duplicate)
        {
            return new PostOutcome.Duplicate();
        }

        var decision = CommentPolicy.Decide(options.CurrentValue, draft.PolicyInput, earlier.CommenterHasApproved);
        comment.Status = decision.Status;
        comment.StatusReason = decision.Reason;
        comment.CreatedAt = now;
        db.Comments.Add(comment);
        await db.SaveChangesAsync();
        return new PostOutcome.Accepted(comment);
    }

    private async Task<int> SecondsToWaitAsync(BroadsheetDbContext db, string? ipHash, string avatarKey, DateTime now)
    {
        // Read each time: an Administrator may change it on the settings page.
        var seconds = options.CurrentValue.SecondsBetweenComments;
        if (seconds == 0)
        {
            return 0;
        }

        var since = now.AddSeconds(-seconds);
        var latest = await db.Comments.AsNoTracking()
            .Where(c => c.CreatedAt > since && (c.AvatarKey == avatarKey || (ipHash != null && c.IpHash == ipHash)))
            .OrderByDescending(c => c.CreatedAt)
            .Select(c => (DateTime?)c.CreatedAt)
            .FirstOrDefaultAsync();
        return latest is null ? 0 : (int)Math.Ceiling((latest.Value.AddSeconds(seconds) - now).TotalSeconds);
    }

    private sealed record Pending(CommentDraft Draft, TaskCompletionSource<PostOutcome> Outcome);
}

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
/// moment are checked together (rate limit, duplicate, first-time commenter), inserted together
/// inside one transaction and committed together, so one disk flush makes a whole batch durable
/// (SQLite with <c>synchronous=FULL</c> pays one fsync per commit, whatever its size). Every
/// poster still gets its answer only after the commit that holds its comment, and after the
/// article's cached pages were evicted. A comment that cannot be stored fails alone: the batch
/// is then inserted again one comment at a time.
/// </summary>
public sealed class CommentWriter(IServiceScopeFactory scopes, IOptionsMonitor<CommentOptions> options, ContentCache cache, LiveComments live,
    TimeProvider time, ILogger<CommentWriter> logger) : BackgroundService
{
    /// <summary>Enough to amortise a flush; small enough that the batch's last poster does not wait long.</summary>
    private const int MaxBatch = 128;

    private const string BatchSavepoint = "comment_batch";

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
        await using (await SqliteTemporaryData.InMemoryAsync(db))
        {
            await WriteInTransactionAsync(db, batch, outcomes, failures);
        }

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
        // checks below see every earlier comment (and AdmitAsync counts this batch's own).
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
            await cache.CommentsChangedAsync(approvedPerArticle.Select(a => a.Key));
            await live.PublishAsync(approvedPerArticle.SelectMany(a => a).Select(a => new LiveComment(a.Comment.ArticleId, a.Comment.Id, a.Comment.ParentId)));
        }
    }

    /// <summary>
    /// Admits the batch's comments, inserts them, adds to the articles' counts and commits; returns
    /// the approved ones by article. The checks read the database once for the whole batch, and the
    /// comments are inserted together; only when that insert fails (one comment's parent deleted
    /// meanwhile, say) are they inserted again one by one, each saved on its own, so the bad
    /// one fails alone.
    /// </summary>
    private async Task<List<IGrouping<int, PostOutcome.Accepted>>> AdmitAndCommitAsync(
        BroadsheetDbContext db, IDbContextTransaction transaction, List<Pending> batch, PostOutcome?[] outcomes, Exception?[] failures)
    {
        var admitted = await AdmitAsync(db, batch, outcomes);
        // Behind a savepoint, so that a failed insert leaves the transaction usable (PostgreSQL
        // refuses a transaction after an error) and none of the batch's rows in it.
        await transaction.CreateSavepointAsync(BatchSavepoint);
        try
        {
            await InsertAsync(db, admitted);
            await transaction.ReleaseSavepointAsync(BatchSavepoint);
        }
        catch (Exception e) when (!TransientFailures.IsTransient(e))
        {
            await transaction.RollbackToSavepointAsync(BatchSavepoint);
            await AdmitAndInsertOneByOneAsync(db, batch, outcomes, failures);
        }

        var approvedPerArticle = outcomes.OfType<PostOutcome.Accepted>().Where(a => a.VisibleToEveryone)
            .GroupBy(a => a.Comment.ArticleId).ToList();
        var pageSize = options.CurrentValue.PageSize;
        foreach (var article in approvedPerArticle)
        {
            // Approved comments add to the counts in the same transaction (moderation, which can move many, recounts).
            var added = article.Count();
            var newThreads = article.Where(a => a.Comment.ParentId is null).ToDictionary(a => a.Comment.Id);
            await db.Articles.Where(a => a.Id == article.Key)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.CommentCount, a => a.CommentCount + added)
                    .SetProperty(a => a.ThreadCount, a => a.ThreadCount + newThreads.Count));
            if (newThreads.Count > 0)
            {
                // Each POST redirects to its comment's page: found here for the whole batch at once.
                foreach (var (id, after) in await CommentQueries.PagesOfNewThreadsAsync(db, article.Key, newThreads.Keys, pageSize))
                {
                    newThreads[id].Page = new NewCommentPage(pageSize, after);
                }
            }
        }

        await transaction.CommitAsync();
        return approvedPerArticle;
    }

    /// <summary>
    /// The whole batch at once, past EF Core's change tracker (<see cref="BulkRows"/>: one prepared
    /// insert on SQLite, binary COPY on PostgreSQL). Statement by statement through SaveChanges, the
    /// insert was half of the writer's work, and the writer is the one thread every comment waits on.
    /// </summary>
    private static async Task InsertAsync(BroadsheetDbContext db, List<Comment> comments)
    {
        if (comments.Count == 0)
        {
            return;
        }

        await using var rows = BulkRows.For(db);
        var ids = await rows.ReserveIdsAsync<Comment>(db, comments.Count, CancellationToken.None);
        for (var i = 0; i < comments.Count; i++)
        {
            comments[i].Id = ids[i];
        }

        await rows.WriteAsync(db, comments, CancellationToken.None);
    }

    /// <summary>
    /// The batch's insert failed: each comment is admitted again and saved on its own, so the bad one
    /// fails alone, and no comment is refused (as a copy, or as too soon) or let through (as a
    /// returning commenter's) because of one in the batch that was never stored.
    /// </summary>
    private async Task AdmitAndInsertOneByOneAsync(BroadsheetDbContext db, List<Pending> batch, PostOutcome?[] outcomes, Exception?[] failures)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Draft.Comment.Id = 0; // the failed batch insert may have given it the id of a row now rolled back
            var outcome = new PostOutcome?[1];
            var admitted = await AdmitAsync(db, batch.GetRange(i, 1), outcome);
            outcomes[i] = outcome[0];
            if (admitted is not [var comment])
            {
                continue;
            }

            try
            {
                db.Comments.Add(comment);
                // Inside a transaction EF Core saves behind a savepoint of its own and rolls back to it when the save fails.
                await db.SaveChangesAsync();
            }
            catch (Exception e) when (!TransientFailures.IsTransient(e))
            {
                logger.LogError(e, "A comment could not be stored; the rest of its batch goes on.");
                db.ChangeTracker.Clear();
                outcomes[i] = null;
                failures[i] = e;
            }
        }
    }

    /// <summary>
    /// The checks that must see every earlier comment (rate limit, duplicate, first-time commenter),
    /// answered for the whole batch by two or three statements, then each comment in turn as if
    /// the ones before it in the batch were already stored. Returns the admitted comments, not yet saved.
    /// </summary>
    private async Task<List<Comment>> AdmitAsync(BroadsheetDbContext db, List<Pending> batch, PostOutcome?[] outcomes)
    {
        var admitted = new List<Comment>(batch.Count);
        var comments = batch.Select(p => p.Draft.Comment).ToList();
        var settings = options.CurrentValue; // read per batch: an Administrator may change them on the settings page
        var earlier = await EarlierCommentsAsync(db, comments);
        var latest = await LatestPostsAsync(db, comments, settings.SecondsBetweenComments);
        for (var i = 0; i < batch.Count; i++)
        {
            var comment = batch[i].Draft.Comment;
            var now = StoredPrecision(time.GetUtcNow().UtcDateTime);
            if (SecondsToWait(latest, comment, settings.SecondsBetweenComments, now) is > 0 and var wait)
            {
                outcomes[i] = new PostOutcome.TooSoon(wait);
                continue;
            }

            if (!earlier.Fingerprints.Add((comment.ArticleId, comment.Fingerprint)))
            {
                outcomes[i] = new PostOutcome.Duplicate();
                continue;
            }

            var decision = CommentPolicy.Decide(settings, batch[i].Draft.PolicyInput, earlier.ApprovedCommenters.Contains(comment.AvatarKey));
            comment.Status = decision.Status;
            comment.StatusReason = decision.Reason;
            comment.CreatedAt = now;
            if (comment.Status == CommentStatus.Approved)
            {
                earlier.ApprovedCommenters.Add(comment.AvatarKey);
            }

            latest.Remember(comment.AvatarKey, comment.IpHash, now);
            admitted.Add(comment);
            outcomes[i] = new PostOutcome.Accepted(comment);
        }

        return admitted;
    }

    /// <summary>Which of the batch's comments are already stored, and which of its commenters have an approved comment.</summary>
    private static async Task<(HashSet<(int ArticleId, string Fingerprint)> Fingerprints, HashSet<string> ApprovedCommenters)> EarlierCommentsAsync(
        BroadsheetDbContext db, List<Comment> comments)
    {
        var articleIds = comments.Select(c => c.ArticleId).Distinct().ToList();
        var fingerprints = comments.Select(c => c.Fingerprint).Distinct().ToList();
        var avatarKeys = comments.Select(c => c.AvatarKey).Distinct().ToList();
        // A batch's few values as a parameter each (EF.MultipleParameters), not the array parameter the
        // app uses elsewhere: plain IN lists that both databases plan against these indexes, as measured.
        var stored = await db.Comments.AsNoTracking()
            .Where(c => EF.MultipleParameters(articleIds).Contains(c.ArticleId) && EF.MultipleParameters(fingerprints).Contains(c.Fingerprint))
            .Select(c => new { c.ArticleId, c.Fingerprint })
            .ToListAsync();
        var approved = await db.Comments.AsNoTracking()
            .Where(c => EF.MultipleParameters(avatarKeys).Contains(c.AvatarKey) && c.Status == CommentStatus.Approved)
            .Select(c => c.AvatarKey)
            .Distinct()
            .ToListAsync();
        return ([.. stored.Select(s => (s.ArticleId, s.Fingerprint))], [.. approved]);
    }

    /// <summary>When each of the batch's commenters (by email and by address) last posted, within the rate-limit window.</summary>
    private async Task<LatestPosts> LatestPostsAsync(BroadsheetDbContext db, List<Comment> comments, int seconds)
    {
        var latest = new LatestPosts();
        if (seconds == 0)
        {
            return latest;
        }

        var since = time.GetUtcNow().UtcDateTime.AddSeconds(-seconds);
        var avatarKeys = comments.Select(c => c.AvatarKey).Distinct().ToList();
        var ipHashes = comments.Select(c => c.IpHash).OfType<string>().Distinct().ToList();
        var recent = await db.Comments.AsNoTracking()
            .Where(c => c.CreatedAt > since
                && (EF.MultipleParameters(avatarKeys).Contains(c.AvatarKey) || (c.IpHash != null && EF.MultipleParameters(ipHashes).Contains(c.IpHash))))
            .Select(c => new { c.AvatarKey, c.IpHash, c.CreatedAt })
            .ToListAsync();
        foreach (var post in recent)
        {
            latest.Remember(post.AvatarKey, post.IpHash, post.CreatedAt);
        }

        return latest;
    }

    /// <summary>
    /// Whole microseconds, as PostgreSQL stores a timestamp: the comment in hand then equals its row,
    /// so the page the POST redirects to can be found from it (SQLite keeps .NET's full precision).
    /// </summary>
    private static DateTime StoredPrecision(DateTime utc) => new(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);

    private static int SecondsToWait(LatestPosts latest, Comment comment, int seconds, DateTime now) =>
        seconds > 0 && latest.Of(comment.AvatarKey, comment.IpHash) is { } last
            ? (int)Math.Ceiling((last.AddSeconds(seconds) - now).TotalSeconds)
            : 0;

    /// <summary>The latest post per commenter and per address: the stored ones, then the batch's as they are admitted.</summary>
    private sealed class LatestPosts
    {
        private readonly Dictionary<string, DateTime> _byCommenter = [];
        private readonly Dictionary<string, DateTime> _byAddress = [];

        public void Remember(string avatarKey, string? ipHash, DateTime at)
        {
            Keep(_byCommenter, avatarKey, at);
            if (ipHash is not null)
            {
                Keep(_byAddress, ipHash, at);
            }
        }

        public DateTime? Of(string avatarKey, string? ipHash)
        {
            DateTime? byCommenter = _byCommenter.TryGetValue(avatarKey, out var a) ? a : null;
            DateTime? byAddress = ipHash is not null && _byAddress.TryGetValue(ipHash, out var b) ? b : null;
            return byCommenter > byAddress || byAddress is null ? byCommenter : byAddress;
        }

        private static void Keep(Dictionary<string, DateTime> latest, string key, DateTime at)
        {
            if (!latest.TryGetValue(key, out var known) || at > known)
            {
                latest[key] = at;
            }
        }
    }

    private sealed record Pending(CommentDraft Draft, TaskCompletionSource<PostOutcome> Outcome);
}

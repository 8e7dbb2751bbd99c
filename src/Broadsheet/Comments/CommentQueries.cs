using Broadsheet.Articles;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Comments;

/// <summary>A comment as readers see it: no email, no address, only what the page shows.</summary>
public sealed class CommentView
{
    public required int Id { get; init; }
    public required int? ParentId { get; init; }
    public required int? ThreadRootId { get; init; }
    public required int Depth { get; init; }
    public required string AuthorName { get; init; }
    public required string? AuthorUrl { get; init; }
    public required string AvatarKey { get; init; }
    public required string BodyHtml { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required CommentStatus Status { get; init; }

    /// <summary>Posted by a staff member from the moderation desk (shown with a "Staff" badge).</summary>
    public bool IsStaff { get; init; }

    public List<CommentView> Replies { get; } = [];
}

/// <summary>
/// One page of threads: top-level comments in order, each with all its approved replies; and the
/// article's kept count of approved comments, read with them (null when the page has no threads).
/// </summary>
public sealed record CommentPage(IReadOnlyList<CommentView> Threads, ListingCursor? Next, bool IsFirstPage, PreviousPage Previous = default)
{
    public int? ArticleCommentCount { get; init; }
}

public sealed class CommentQueries(BroadsheetDbContext db)
{
    private static readonly System.Linq.Expressions.Expression<Func<Comment, CommentView>> ToView = c => new CommentView
    {
        Id = c.Id,
        ParentId = c.ParentId,
        ThreadRootId = c.ThreadRootId,
        Depth = c.Depth,
        AuthorName = c.AuthorName,
        AuthorUrl = c.AuthorUrl,
        AvatarKey = c.AvatarKey,
        BodyHtml = c.BodyHtml,
        CreatedAt = c.CreatedAt,
        Status = c.Status,
        IsStaff = c.StaffUserId != null,
    };

    private static readonly Func<Comment, CommentView> ToViewInMemory = ToView.Compile();

    /// <summary>The reader's view of a comment already in hand (no query).</summary>
    public static CommentView ViewOf(Comment comment) => ToViewInMemory(comment);

    // Compiled once: the article page asks these on every render, and a compiled query skips EF
    // Core's per-call work of reading the expression, extracting its values and finding its plan.
    // EF Core ties a compiled query to the model of the first context that runs it, so a process
    // must use one database provider (as the app and each test run do), never both.
    // The first page is the page after the beginning of time: one query for every page. Each row
    // carries the article's kept comment count (a subquery the database evaluates once), so that
    // the page shows a count as fresh as its comments without a statement of its own.
    private static readonly Func<BroadsheetDbContext, int, DateTime, int, int, IAsyncEnumerable<CountedThread>> ThreadsAfter =
        EF.CompileAsyncQuery((BroadsheetDbContext db, int articleId, DateTime afterTime, int afterId, int take) =>
            db.Comments.AsNoTracking()
                .Where(c => c.ArticleId == articleId && c.Status == CommentStatus.Approved && c.ParentId == null
                    && c.CreatedAt >= afterTime && (c.CreatedAt > afterTime || c.Id > afterId))
                .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
                .Take(take)
                .Select(ToView)
                .Select(thread => new CountedThread(thread, db.Articles.Where(a => a.Id == articleId).Select(a => a.CommentCount).First())));

    private sealed record CountedThread(CommentView Thread, int ArticleCommentCount);

    private static readonly ListingCursor BeforeEverything = new(DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), 0);

    /// <summary>Oldest thread first, <paramref name="pageSize"/> threads after <paramref name="after"/>.</summary>
    public async Task<CommentPage> PageAsync(int articleId, ListingCursor? after, int pageSize, CancellationToken cancellationToken)
    {
        var start = after ?? BeforeEverything;
        var rows = await ThreadsAfter(db, articleId, start.PublishedAt, start.Id, pageSize + 1).ToListAsync(cancellationToken);
        var threads = rows.ConvertAll(row => row.Thread);
        ListingCursor? next = null;
        if (threads.Count > pageSize)
        {
            threads.RemoveAt(threads.Count - 1);
            next = new ListingCursor(threads[^1].CreatedAt, threads[^1].Id);
        }

        if (threads.Count > 0)
        {
            var replies = await RepliesOf(db, [.. threads.Select(t => t.Id)]).ToListAsync(cancellationToken);
            replies.Sort((a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : a.Id.CompareTo(b.Id));
            Attach(threads, replies);
        }

        var previous = after is null || threads.Count == 0
            ? PreviousPage.None
            : await PreviousPageAsync(articleId, new ListingCursor(threads[0].CreatedAt, threads[0].Id), pageSize, cancellationToken);
        return new CommentPage(threads, next, after is null, previous) { ArticleCommentCount = rows.Count > 0 ? rows[0].ArticleCommentCount : null };
    }

    // The threads' ids go as one array parameter (the translation DataServiceCollectionExtensions
    // chooses for every list): one SQL text for every page, built once by EF Core, and a short
    // statement for SQLite to prepare (measured against a list of parameters and against one
    // statement for threads and replies, whose preparation cost more than the second round trip).
    // Sorted by the caller, not in SQL: asked to order by time, SQLite walks the (Status, CreatedAt)
    // index through every approved comment of the site instead of looking up these threads.
    private static readonly Func<BroadsheetDbContext, int[], IAsyncEnumerable<CommentView>> RepliesOf =
        EF.CompileAsyncQuery((BroadsheetDbContext db, int[] threadIds) =>
            db.Comments.AsNoTracking()
                .Where(c => c.ThreadRootId != null && threadIds.Contains(c.ThreadRootId.Value) && c.Status == CommentStatus.Approved)
                .Select(ToView));

    /// <summary>
    /// The comment page before one that starts at <paramref name="first"/>, as a forward cursor (so
    /// paging back reuses the addresses and cached pages of paging forward): the first page when at
    /// most a page of threads is older, otherwise "after" the thread just before that page.
    /// </summary>
    private async Task<PreviousPage> PreviousPageAsync(int articleId, ListingCursor first, int pageSize, CancellationToken cancellationToken)
    {
        var older = await ApprovedThreads(articleId)
            .Where(c => c.CreatedAt <= first.PublishedAt && (c.CreatedAt < first.PublishedAt || c.Id < first.Id))
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Take(pageSize + 1)
            .Select(c => new { c.CreatedAt, c.Id })
            .ToListAsync(cancellationToken);
        return older.Count switch
        {
            0 => PreviousPage.None,
            var n when n <= pageSize => PreviousPage.First,
            _ => new PreviousPage(true, new ListingCursor(older[pageSize].CreatedAt, older[pageSize].Id)),
        };
    }

    /// <summary>A held comment, for its own author only (the caller has checked the link's signature).</summary>
    public Task<CommentView?> FindHeldAsync(int articleId, int commentId, CancellationToken cancellationToken) =>
        db.Comments.AsNoTracking()
            .Where(c => c.Id == commentId && c.ArticleId == articleId && (c.Status == CommentStatus.Pending || c.Status == CommentStatus.Spam))
            .Select(ToView)
            .FirstOrDefaultAsync(cancellationToken);

    public Task<CommentView?> FindApprovedAsync(int articleId, int commentId, CancellationToken cancellationToken) =>
        db.Comments.AsNoTracking()
            .Where(c => c.Id == commentId && c.ArticleId == articleId && c.Status == CommentStatus.Approved)
            .Select(ToView)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>An approved comment's article and the first comment of its thread.</summary>
    private sealed record ThreadStart(int ArticleId, DateTime CreatedAt, int Id, bool RootApproved);

    /// <summary>The article's kept count of threads, and how many of them are newer than one thread.</summary>
    private sealed record ThreadPosition(int Total, int Newer);

    // These two run on every accepted comment POST (to find the page the redirect points to).
    private static readonly Func<BroadsheetDbContext, int, CancellationToken, Task<ThreadStart?>> ThreadOf =
        EF.CompileAsyncQuery((BroadsheetDbContext db, int commentId, CancellationToken _) =>
            db.Comments.AsNoTracking()
                .Where(c => c.Id == commentId && c.Status == CommentStatus.Approved)
                .Join(db.Comments, c => c.ThreadRootId ?? c.Id, root => root.Id,
                    (c, root) => new ThreadStart(c.ArticleId, root.CreatedAt, root.Id, root.Status == CommentStatus.Approved))
                .FirstOrDefault());

    private static readonly Func<BroadsheetDbContext, int, DateTime, int, CancellationToken, Task<ThreadPosition>> PositionFromNewest =
        EF.CompileAsyncQuery((BroadsheetDbContext db, int articleId, DateTime threadTime, int threadId, CancellationToken _) =>
            db.Articles.AsNoTracking()
                .Where(a => a.Id == articleId)
                .Select(a => new ThreadPosition(
                    a.ThreadCount,
                    db.Comments.Count(c => c.ArticleId == articleId && c.Status == CommentStatus.Approved && c.ParentId == null
                        && c.CreatedAt >= threadTime && (c.CreatedAt > threadTime || c.Id > threadId))))
                .First());

    /// <summary>The approved thread <c>skip</c> places before one (counting back from it, newest first).</summary>
    private static readonly Func<BroadsheetDbContext, int, DateTime, int, int, CancellationToken, Task<ListingCursor>> OlderThread =
        EF.CompileAsyncQuery((BroadsheetDbContext db, int articleId, DateTime threadTime, int threadId, int skip, CancellationToken _) =>
            db.Comments.AsNoTracking()
                .Where(c => c.ArticleId == articleId && c.Status == CommentStatus.Approved && c.ParentId == null
                    && c.CreatedAt <= threadTime && (c.CreatedAt < threadTime || c.Id < threadId))
                .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
                .Skip(skip)
                .Select(c => new ListingCursor(c.CreatedAt, c.Id))
                .First());

    /// <summary>The newest approved threads of an article, newest first, each with the article's kept thread count.</summary>
    private sealed record NewestThread(DateTime CreatedAt, int Id, int Total);

    private static readonly Func<BroadsheetDbContext, int, int, IAsyncEnumerable<NewestThread>> NewestThreads =
        EF.CompileAsyncQuery((BroadsheetDbContext db, int articleId, int count) =>
            db.Comments.AsNoTracking()
                .Where(c => c.ArticleId == articleId && c.Status == CommentStatus.Approved && c.ParentId == null)
                .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
                .Take(count)
                .Select(c => new NewestThread(c.CreatedAt, c.Id, db.Articles.Where(a => a.Id == articleId).Select(a => a.ThreadCount).First())));

    /// <summary>
    /// The comment pages of new threads, asked by <see cref="CommentWriter"/> inside the transaction that
    /// inserted them and added them to the article's kept thread count: one statement for the whole
    /// batch (the article's newest threads, a page's worth more than the batch holds), where asking
    /// after the commit costs each POST two. The answer is the one <see cref="PageOfNewCommentAsync"/>
    /// would give; a thread this cannot place (the kept count behind a change in flight, a thread
    /// newer than the batch's from another node) is left out, and the POST asks for its page itself.
    /// </summary>
    public static async Task<Dictionary<int, ListingCursor?>> PagesOfNewThreadsAsync(
        BroadsheetDbContext db, int articleId, IReadOnlyCollection<int> threadIds, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(threadIds);
        var newest = new List<NewestThread>(threadIds.Count + pageSize);
        await foreach (var thread in NewestThreads(db, articleId, threadIds.Count + pageSize))
        {
            newest.Add(thread);
        }

        var pages = new Dictionary<int, ListingCursor?>();
        for (var i = 0; i < newest.Count; i++)
        {
            if (!threadIds.Contains(newest[i].Id))
            {
                continue;
            }

            // As in PageOfThreadAsync: i threads are newer than this one, so `older` are older.
            var older = newest[i].Total - 1 - i;
            if (older < 0)
            {
                continue;
            }

            if (PageStartBack(older, pageSize) is not { } back)
            {
                pages[newest[i].Id] = null;
            }
            else if (i + 1 + back < newest.Count)
            {
                var boundary = newest[i + 1 + back];
                pages[newest[i].Id] = new ListingCursor(boundary.CreatedAt, boundary.Id);
            }
        }

        return pages;
    }

    /// <summary>Where an approved comment lives: its article and the cursor of the comment page that shows its thread.</summary>
    public async Task<(int ArticleId, ListingCursor? PageAfter)?> LocateAsync(int commentId, int pageSize, CancellationToken cancellationToken) =>
        await ThreadOf(db, commentId, cancellationToken) is { } thread
            ? (thread.ArticleId, await PageOfThreadAsync(thread, pageSize, cancellationToken))
            : null;

    /// <summary>
    /// The cursor of the page that shows a comment just posted and approved (what the POST's
    /// redirect points to). A new thread is its own first comment, so that needs no lookup.
    /// </summary>
    public async Task<ListingCursor?> PageOfNewCommentAsync(Comment comment, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(comment);
        var thread = comment.ParentId is null
            ? new ThreadStart(comment.ArticleId, comment.CreatedAt, comment.Id, comment.Status == CommentStatus.Approved)
            : await ThreadOf(db, comment.Id, cancellationToken);
        return thread is null ? null : await PageOfThreadAsync(thread, pageSize, cancellationToken);
    }

    /// <summary>
    /// The page a POST's redirect points to: the one the writer found for the comment inside its
    /// transaction (<see cref="PagesOfNewThreadsAsync"/>) when it found one for this page size, asked otherwise.
    /// </summary>
    public async Task<ListingCursor?> PageOfNewCommentAsync(PostOutcome.Accepted accepted, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        return accepted.Page is { } known && known.PageSize == pageSize
            ? known.After
            : await PageOfNewCommentAsync(accepted.Comment, pageSize, cancellationToken);
    }

    private async Task<ListingCursor?> PageOfThreadAsync(ThreadStart thread, int pageSize, CancellationToken cancellationToken)
    {
        // Positions count from the newest thread, against the article's kept thread count: the
        // thread of a comment just posted (the common case, on every accepted POST) is at that end,
        // so finding its page reads a few index entries however long the discussion is. One
        // statement, so the count and the total come from the same snapshot.
        var position = await PositionFromNewest(db, thread.ArticleId, thread.CreatedAt, thread.Id, cancellationToken);
        var older = position.Total - 1 - position.Newer;
        if (older < 0 || !thread.RootApproved)
        {
            // The kept count is behind a change in flight, or the thread's first comment is not approved
            // (and so not in the count; its replies are not shown either): count the older threads instead.
            older = await ApprovedThreads(thread.ArticleId).CountAsync(c => c.CreatedAt <= thread.CreatedAt && (c.CreatedAt < thread.CreatedAt || c.Id < thread.Id), cancellationToken);
        }

        return PageStartBack(older, pageSize) is { } back
            ? await OlderThread(db, thread.ArticleId, thread.CreatedAt, thread.Id, back, cancellationToken)
            : null;
    }

    /// <summary>
    /// For a thread with <paramref name="older"/> threads before it: null when it is on the first
    /// page, otherwise how many threads back from it (fewer than a page; threads posted meanwhile do
    /// not move it) stands the last thread of the page before, after which its page starts.
    /// </summary>
    private static int? PageStartBack(int older, int pageSize) => older < pageSize ? null : older % pageSize;

    private IQueryable<Comment> ApprovedThreads(int articleId) =>
        db.Comments.AsNoTracking().Where(c => c.ArticleId == articleId && c.Status == CommentStatus.Approved && c.ParentId == null);

    private static void Attach(List<CommentView> threads, List<CommentView> replies)
    {
        var byId = threads.Concat(replies).ToDictionary(c => c.Id);
        foreach (var reply in replies)
        {
            // A reply whose parent is not approved (held, trashed) is not shown either.
            if (reply.ParentId is { } parentId && byId.TryGetValue(parentId, out var parent))
            {
                parent.Replies.Add(reply);
            }
        }
    }
}

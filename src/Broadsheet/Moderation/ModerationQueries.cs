using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Moderation;

/// <summary>A comment as moderators see it: everything readers see, plus email, address and the system's reason.</summary>
public sealed record ModerationItem(
    int Id,
    int ArticleId,
    string ArticleHeadline,
    string ArticleSlug,
    DateTime? ArticlePublishedAt,
    string AuthorName,
    string AuthorEmail,
    string? AuthorUrl,
    string AvatarKey,
    string? IpPrefix,
    string BodyHtml,
    DateTime CreatedAt,
    CommentStatus Status,
    string? StatusReason,
    IReadOnlyList<ModerationReport> Reports);

/// <summary>A reader's report as moderators see it: the reason chosen and the note written, if any.</summary>
public sealed record ModerationReport(ReportReason Reason, string? Note);

/// <summary>How a commenter has fared before: their approved and spam comments.</summary>
public sealed record CommenterHistory(int Approved, int Spam);

public sealed record ModerationPage(IReadOnlyList<ModerationItem> Items, IReadOnlyDictionary<string, CommenterHistory> History, ListingCursor? Next);

public sealed class ModerationQueries(BroadsheetDbContext db)
{
    public const int PageSize = 50;

    public IQueryable<Comment> InScope(ModerationScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var comments = db.Comments.AsQueryable();
        if (scope.OwnArticlesOfUserId is { } userId)
        {
            comments = comments.Where(c => db.Bylines.Any(b => b.ArticleId == c.ArticleId && b.Author!.StaffUserId == userId));
        }

        return comments;
    }

    public static IQueryable<Comment> InQueue(IQueryable<Comment> comments, ModerationTab queue) => queue switch
    {
        ModerationTab.Pending => comments.Where(c => c.Status == CommentStatus.Pending),
        ModerationTab.Approved => comments.Where(c => c.Status == CommentStatus.Approved),
        ModerationTab.Spam => comments.Where(c => c.Status == CommentStatus.Spam),
        ModerationTab.Trash => comments.Where(c => c.Status == CommentStatus.Trash),
        ModerationTab.Reported => comments.Where(c => c.Status != CommentStatus.Trash && c.Reports.Any()),
        _ => throw new ArgumentOutOfRangeException(nameof(queue)),
    };

    public async Task<Dictionary<ModerationTab, int>> CountsAsync(ModerationScope scope, CancellationToken cancellationToken)
    {
        var comments = InScope(scope).AsNoTracking();
        var byStatus = await comments.GroupBy(c => c.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        int Count(CommentStatus status) => byStatus.FirstOrDefault(s => s.Key == status)?.Count ?? 0;
        return new Dictionary<ModerationTab, int>
        {
            [ModerationTab.Pending] = Count(CommentStatus.Pending),
            [ModerationTab.Approved] = Count(CommentStatus.Approved),
            [ModerationTab.Spam] = Count(CommentStatus.Spam),
            [ModerationTab.Trash] = Count(CommentStatus.Trash),
            [ModerationTab.Reported] = await InQueue(comments, ModerationTab.Reported).CountAsync(cancellationToken),
        };
    }

    /// <summary>Newest first, keyset-paginated.</summary>
    public async Task<ModerationPage> PageAsync(ModerationScope scope, ModerationTab queue, ListingCursor? before, CancellationToken cancellationToken)
    {
        var comments = InQueue(InScope(scope).AsNoTracking(), queue);
        if (before is { } cursor)
        {
            comments = comments.Where(c => c.CreatedAt <= cursor.PublishedAt && (c.CreatedAt < cursor.PublishedAt || c.Id < cursor.Id));
        }

        var items = await comments
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Take(PageSize + 1)
            .Select(c => new ModerationItem(
                c.Id, c.ArticleId, c.Article!.Headline, c.Article.Slug, c.Article.PublishedAt,
                c.AuthorName, c.AuthorEmail, c.AuthorUrl, c.AvatarKey, c.IpPrefix, c.BodyHtml, c.CreatedAt, c.Status, c.StatusReason,
                c.Reports.OrderBy(r => r.Id).Select(r => new ModerationReport(r.Reason, r.Note)).ToList()))
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        ListingCursor? next = null;
        if (items.Count > PageSize)
        {
            items.RemoveAt(items.Count - 1);
            next = new ListingCursor(items[^1].CreatedAt, items[^1].Id);
        }

        var keys = items.Select(i => i.AvatarKey).Distinct().ToList();
        var history = await db.Comments.AsNoTracking()
            .Where(c => keys.Contains(c.AvatarKey) && (c.Status == CommentStatus.Approved || c.Status == CommentStatus.Spam))
            .GroupBy(c => c.AvatarKey)
            .Select(g => new { g.Key, Approved = g.Count(c => c.Status == CommentStatus.Approved), Spam = g.Count(c => c.Status == CommentStatus.Spam) })
            .ToDictionaryAsync(g => g.Key, g => new CommenterHistory(g.Approved, g.Spam), cancellationToken);
        return new ModerationPage(items, history, next);
    }
}

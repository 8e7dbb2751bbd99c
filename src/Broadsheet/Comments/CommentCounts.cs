using Broadsheet.Articles;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Comments;

/// <summary>
/// Keeps <see cref="Article.CommentCount"/> and <see cref="Article.ThreadCount"/> equal to the
/// article's approved comments and approved top-level comments. The comment writer adds to them as
/// it commits; whatever moves comments in bulk (moderation, erasure, imports, seeding) recounts here.
/// </summary>
public static class CommentCounts
{
    // Articles per statement when recounting many: one statement over a million articles (seed-demo,
    // an import) outlives PostgreSQL's 30 s command timeout, and holds its locks as long.
    private const int ArticlesPerStatement = 10_000;

    public static Task<int> RecountAsync(BroadsheetDbContext db, int articleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return RecountEachAsync(db, db.Articles.Where(a => a.Id == articleId), cancellationToken);
    }

    /// <summary>Every article in <paramref name="articles"/>, a range of ids at a time.</summary>
    public static async Task<int> RecountAsync(BroadsheetDbContext db, IQueryable<Article> articles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(articles);
        var first = await articles.Select(a => (int?)a.Id).MinAsync(cancellationToken);
        var last = await articles.Select(a => (int?)a.Id).MaxAsync(cancellationToken);
        if (first is null || last is null)
        {
            return 0;
        }

        var recounted = 0;
        for (long from = first.Value; from <= last; from += ArticlesPerStatement)
        {
            var (lowest, highest) = ((int)from, (int)Math.Min(from + ArticlesPerStatement - 1, last.Value));
            recounted += await RecountEachAsync(db, articles.Where(a => a.Id >= lowest && a.Id <= highest), cancellationToken);
        }

        return recounted;
    }

    private static Task<int> RecountEachAsync(BroadsheetDbContext db, IQueryable<Article> articles, CancellationToken cancellationToken) =>
        articles.ExecuteUpdateAsync(
            setters => setters
                .SetProperty(a => a.CommentCount, a => db.Comments.Count(c => c.ArticleId == a.Id && c.Status == CommentStatus.Approved))
                .SetProperty(a => a.ThreadCount, a => db.Comments.Count(c => c.ArticleId == a.Id && c.Status == CommentStatus.Approved && c.ParentId == null)),
            cancellationToken);
}

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
    public static Task<int> RecountAsync(BroadsheetDbContext db, int articleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return RecountAsync(db, db.Articles.Where(a => a.Id == articleId), cancellationToken);
    }

    /// <summary>One statement for every article in <paramref name="articles"/>.</summary>
    public static Task<int> RecountAsync(BroadsheetDbContext db, IQueryable<Article> articles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return articles.ExecuteUpdateAsync(
            setters => setters
                .SetProperty(a => a.CommentCount, a => db.Comments.Count(c => c.ArticleId == a.Id && c.Status == CommentStatus.Approved))
                .SetProperty(a => a.ThreadCount, a => db.Comments.Count(c => c.ArticleId == a.Id && c.Status == CommentStatus.Approved && c.ParentId == null)),
            cancellationToken);
    }
}

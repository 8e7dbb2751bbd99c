using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Feeds;

public sealed record FeedArticle(
    int Id, string Slug, string Headline, string? Dek, string BodyHtml, DateTime PublishedAt, DateTime UpdatedAt,
    IReadOnlyList<string> Authors, string? Section, IReadOnlyList<string> Tags, string? FeaturedImagePath);

/// <summary>A comment as feeds show it: the commenter's name, never their email.</summary>
public sealed record FeedComment(int Id, string AuthorName, string BodyHtml, DateTime CreatedAt, string ArticleHeadline);

public sealed class FeedQueries(BroadsheetDbContext db)
{
    public Task<List<FeedArticle>> ArticlesAsync(ListingFilter filter, int count, CancellationToken cancellationToken)
    {
        var articles = db.Articles.AsNoTracking().Published().Matching(filter);
        return articles
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Take(count)
            .Select(a => new FeedArticle(
                a.Id, a.Slug, a.Headline, a.Dek, a.BodyHtml, a.PublishedAt!.Value, a.UpdatedAt,
                a.Bylines.OrderBy(b => b.Position).Select(b => b.Author!.Name).ToList(),
                a.Section == null ? null : a.Section.Name,
                a.Tags.OrderBy(t => t.Name).Select(t => t.Name).ToList(),
                a.FeaturedImagePath))
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
    }

    /// <summary>Newest approved comments, of one article or of the whole site.</summary>
    public Task<List<FeedComment>> CommentsAsync(int? articleId, int count, CancellationToken cancellationToken)
    {
        var comments = db.Comments.AsNoTracking().Where(c => c.Status == CommentStatus.Approved && c.Article!.Status == ArticleStatus.Published);
        if (articleId is { } id)
        {
            comments = comments.Where(c => c.ArticleId == id);
        }

        return comments
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Take(count)
            .Select(c => new FeedComment(c.Id, c.AuthorName, c.BodyHtml, c.CreatedAt, c.Article!.Headline))
            .ToListAsync(cancellationToken);
    }
}

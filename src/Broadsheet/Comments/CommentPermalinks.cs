using Broadsheet.Articles;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Broadsheet.Comments;

/// <summary>
/// <c>/comments/{id}</c>: a link to a comment that keeps working however many comments come
/// after it; it answers with a redirect to the page of the article's comments that shows it.
/// </summary>
public static class CommentPermalinks
{
    public const string CommentPageQuery = "comments-after";

    public static string For(int commentId) => $"/comments/{commentId}";

    public static IEndpointRouteBuilder MapCommentPermalinks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/comments/{id:int}", async (int id, CommentQueries queries, BroadsheetDbContext db, ArticleLinks links,
            IOptionsMonitor<CommentOptions> options, CancellationToken cancellationToken) =>
        {
            var location = await queries.LocateAsync(id, options.CurrentValue.PageSize, cancellationToken);
            if (location is not { } found)
            {
                return Results.NotFound();
            }

            var article = await db.Articles.AsNoTracking()
                .Where(a => a.Id == found.ArticleId && a.Status == ArticleStatus.Published && a.PublishedAt != null)
                .Select(a => new { a.Slug, a.PublishedAt })
                .FirstOrDefaultAsync(cancellationToken);
            if (article is null)
            {
                return Results.NotFound();
            }

            var page = found.PageAfter is { } after ? $"?{CommentPageQuery}={after}" : "";
            return Results.Redirect($"{links.Article(article.Slug, article.PublishedAt!.Value)}{page}#comment-{id}");
        });
        return endpoints;
    }
}

using Broadsheet.Articles;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Broadsheet.Comments;

/// <summary>
/// One approved comment's HTML, as it appears in the thread: what open pages fetch when a live
/// update says a comment arrived. Cached like the article and evicted with it, so a thousand open
/// pages cost one render.
/// </summary>
[OutputCache(PolicyName = PageCache.AnonymousPage)]
public sealed class CommentFragmentPageModel(
    BroadsheetDbContext db, CommentPoster poster, ArticleLinks links, SiteClock clock, IOptionsMonitor<CommentOptions> options) : PageModel
{
    public CommentListModel Item { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        var found = await db.Comments.AsNoTracking()
            .Where(c => c.Id == id && c.Status == CommentStatus.Approved
                && c.Article!.Status == ArticleStatus.Published && c.Article.PublishedAt != null)
            .Select(c => new { Comment = c, c.Article!.Slug, PublishedAt = c.Article.PublishedAt!.Value, c.Article.CommentsOpen })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        HttpContext.AddCacheTags(CacheTags.Article(found.Comment.ArticleId));
        Response.Headers["X-Robots-Tag"] = "noindex";
        var section = new CommentSectionModel
        {
            ArticleId = found.Comment.ArticleId,
            ArticleUrl = links.Article(found.Slug, found.PublishedAt),
            CommentCount = 0,
            Page = new CommentPage([], null, true),
            Open = poster.CommentsAreOpen(found.CommentsOpen, found.PublishedAt, clock.UtcNow),
            MaxDepth = options.CurrentValue.MaxDepth,
            Stamp = "", // the fragment has no form
        };
        Item = new CommentListModel([CommentQueries.ViewOf(found.Comment)], section);
        return Page();
    }
}

using Broadsheet.Infrastructure.Caching;
using Broadsheet.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace Broadsheet.Articles;

[OutputCache(PolicyName = PageCache.AnonymousPage)]
public sealed class ArticlePageModel(ArticleQueries queries, ArticleLinks links, SiteClock clock) : SitePageModel
{
    // A correction minutes after publishing is not worth an "Updated" line.
    private static readonly TimeSpan UpdateWorthShowing = TimeSpan.FromMinutes(10);

    public ArticleView Article { get; private set; } = null!;

    public DateTime PublishedLocal { get; private set; }

    public DateTime? UpdatedLocal { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        var article = await queries.FindPublishedAsync(slug, cancellationToken);
        if (article is null)
        {
            return NotFound();
        }

        var canonical = links.Article(article.Slug, article.PublishedAt);
        if (!string.Equals(Request.Path.Value, canonical, StringComparison.Ordinal))
        {
            // Wrong date, trailing slash or old-style path: one permanent address per article.
            return RedirectPermanent(canonical);
        }

        HttpContext.AddCacheTags(CacheTags.Article(article.Id));
        Article = article;
        Title = article.Headline;
        Description = article.Dek;
        CanonicalPath = canonical;
        PublishedLocal = clock.ToLocal(article.PublishedAt);
        UpdatedLocal = article.UpdatedAt - article.PublishedAt > UpdateWorthShowing ? clock.ToLocal(article.UpdatedAt) : null;
        return Page();
    }
}

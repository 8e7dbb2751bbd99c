using Broadsheet.Infrastructure.Caching;
using Broadsheet.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace Broadsheet.Articles;

[OutputCache(PolicyName = PageCache.AnonymousPage, Tags = [CacheTags.Listings])]
public sealed class LatestPageModel(ArticleQueries queries, SiteOptions site) : SitePageModel
{
    public ArticleListing Listing { get; private set; } = new([], null);

    public string? OlderHref { get; private set; }

    public string? NewerHref { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? before, CancellationToken cancellationToken)
    {
        if (!ListingCursor.TryParseOptional(before, out var cursor))
        {
            return NotFound();
        }

        Listing = await queries.ListAsync(ListingFilter.All, cursor, site.ListingPageSize, cancellationToken);
        NextPagePath = OlderHref = Listing.OlderHref(ArticleLinks.Latest);
        PreviousPagePath = NewerHref = Listing.NewerHref(ArticleLinks.Latest);
        Title = "Latest stories";
        CanonicalPath = before is null ? ArticleLinks.Latest : $"{ArticleLinks.Latest}?before={before}";
        return Page();
    }
}

using Broadsheet.Infrastructure.Caching;
using Broadsheet.Site;
using Microsoft.AspNetCore.OutputCaching;

namespace Broadsheet.Articles;

[OutputCache(PolicyName = PageCache.AnonymousPage, Tags = [CacheTags.Listings])]
public sealed class FrontPageModel(ArticleQueries queries, SiteOptions site) : SitePageModel
{
    public ArticleSummary? Lead { get; private set; }

    public IReadOnlyList<ArticleSummary> Latest { get; private set; } = [];

    public string? OlderHref { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // The newest story leads; the rest of the first page follows as "Latest".
        var listing = await queries.ListAsync(ListingFilter.All, before: null, site.ListingPageSize + 1, cancellationToken);
        Lead = listing.Articles.Count > 0 ? listing.Articles[0] : null;
        Latest = listing.Articles.Skip(1).ToList();
        NextPagePath = OlderHref = listing.OlderHref(ArticleLinks.Latest);
        CanonicalPath = "/";
        Description = site.Tagline;
    }
}

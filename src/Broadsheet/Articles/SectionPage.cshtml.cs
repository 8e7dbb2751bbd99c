using Broadsheet.Infrastructure.Caching;
using Broadsheet.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace Broadsheet.Articles;

[OutputCache(PolicyName = PageCache.AnonymousPage, Tags = [CacheTags.Listings])]
public sealed class SectionPageModel(ArticleQueries queries, SiteOptions site) : SitePageModel
{
    public SectionRef Section { get; private set; } = null!;

    public ArticleListing Listing { get; private set; } = new([], null);

    public string? OlderHref { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, string? before, CancellationToken cancellationToken)
    {
        var section = await queries.FindSectionAsync(slug, cancellationToken);
        if (section is null || !ListingCursor.TryParseOptional(before, out var cursor))
        {
            return NotFound();
        }

        var path = ArticleLinks.Section(section.Slug);
        Section = section;
        Listing = await queries.ListAsync(section.Id, cursor, site.ListingPageSize, cancellationToken);
        OlderHref = Listing.Next is { } next ? $"{path}?before={next}" : null;
        Title = section.Name;
        Description = $"The latest {section.Name} stories.";
        CanonicalPath = before is null ? path : $"{path}?before={before}";
        return Page();
    }
}

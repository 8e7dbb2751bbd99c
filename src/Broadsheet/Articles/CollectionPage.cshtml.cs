using Broadsheet.Infrastructure.Caching;
using Broadsheet.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace Broadsheet.Articles;

public enum CollectionKind
{
    Section,
    Topic,
    Author,
}

/// <summary>A section's, topic's or author's articles, newest first, keyset-paginated.</summary>
[OutputCache(PolicyName = PageCache.AnonymousPage, Tags = [CacheTags.Listings])]
public sealed class CollectionPageModel(ArticleQueries queries, SiteOptions site) : SitePageModel
{
    public CollectionKind Kind { get; private set; }

    public string Heading { get; private set; } = "";

    public string? Bio { get; private set; }

    public string? PhotoPath { get; private set; }

    public ArticleListing Listing { get; private set; } = new([], null);

    public string? OlderHref { get; private set; }

    public string? NewerHref { get; private set; }

    public async Task<IActionResult> OnGetAsync(string kind, string slug, string? before, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<CollectionKind>(kind, ignoreCase: true, out var parsed) || !ListingCursor.TryParseOptional(before, out var cursor))
        {
            return NotFound();
        }

        Kind = parsed;
        if (await queries.FindCollectionAsync(Kind, slug, cancellationToken) is not { } collection)
        {
            // A renamed byline's old address answers with its current one (the page of older stories too).
            return Kind == CollectionKind.Author && await queries.CurrentAuthorSlugForOldSlugAsync(slug, cancellationToken) is { } moved
                ? RedirectPermanent(ArticleLinks.Author(moved) + Request.QueryString)
                : NotFound();
        }

        var path = collection.Path;
        Bio = collection.Bio;
        PhotoPath = collection.PhotoPath;
        Listing = await queries.ListAsync(collection.Filter, cursor, site.ListingPageSize, cancellationToken);
        NextPagePath = OlderHref = Listing.OlderHref(path);
        PreviousPagePath = NewerHref = Listing.NewerHref(path);
        Heading = Title = collection.Name;
        Description = Kind switch
        {
            CollectionKind.Author => $"Stories by {collection.Name}.",
            _ => $"The latest {collection.Name} stories.",
        };
        CanonicalPath = before is null ? path : $"{path}?before={before}";
        FeedPath = $"{path}/feed";
        return Page();
    }
}

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

    public ArticleListing Listing { get; private set; } = new([], null);

    public string? OlderHref { get; private set; }

    public async Task<IActionResult> OnGetAsync(string kind, string slug, string? before, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<CollectionKind>(kind, ignoreCase: true, out var parsed) || !ListingCursor.TryParseOptional(before, out var cursor))
        {
            return NotFound();
        }

        Kind = parsed;
        var found = await FindAsync(slug, cancellationToken);
        if (found is not var (filter, name, path))
        {
            return NotFound();
        }

        Listing = await queries.ListAsync(filter, cursor, site.ListingPageSize, cancellationToken);
        OlderHref = Listing.Next is { } next ? $"{path}?before={next}" : null;
        Heading = Title = name;
        Description = Kind switch
        {
            CollectionKind.Author => $"Stories by {name}.",
            _ => $"The latest {name} stories.",
        };
        CanonicalPath = before is null ? path : $"{path}?before={before}";
        FeedPath = $"{path}/feed";
        return Page();
    }

    private async Task<(ListingFilter Filter, string Name, string Path)?> FindAsync(string slug, CancellationToken cancellationToken)
    {
        switch (Kind)
        {
            case CollectionKind.Section when await queries.FindSectionAsync(slug, cancellationToken) is { } section:
                return (new ListingFilter(SectionId: section.Id), section.Name, ArticleLinks.Section(section.Slug));
            case CollectionKind.Topic when await queries.FindTagAsync(slug, cancellationToken) is { } tag:
                return (new ListingFilter(TagId: tag.Id), tag.Name, ArticleLinks.Topic(tag.Slug));
            case CollectionKind.Author when await queries.FindAuthorAsync(slug, cancellationToken) is { } author:
                Bio = author.Bio;
                return (new ListingFilter(AuthorId: author.Id), author.Name, ArticleLinks.Author(author.Slug));
            default:
                return null;
        }
    }
}

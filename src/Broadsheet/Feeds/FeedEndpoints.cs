using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Site;
using Microsoft.Extensions.Options;

namespace Broadsheet.Feeds;

/// <summary>
/// RSS 2.0 and Atom 1.0 feeds for the site, each section, topic and author, each article's
/// comments and the site's latest comments. Built with System.ServiceModel.Syndication; output
/// cached and evicted with the pages they mirror; Last-Modified and ETag answer 304.
/// </summary>
public static class FeedEndpoints
{
    private enum Format
    {
        Rss,
        Atom,
    }

    public static IServiceCollection AddFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FeedOptions>().Bind(configuration.GetSection(FeedOptions.SectionName));
        services.AddScoped<FeedQueries>();
        return services;
    }

    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder endpoints)
    {
        var feeds = endpoints.MapGroup("").CacheOutput(PageCache.AnonymousPage);
        feeds.MapGet("/feed", (HttpContext http, FeedQueries queries, CancellationToken ct) => SiteFeedAsync(http, queries, Format.Rss, ct));
        feeds.MapGet("/feed/atom", (HttpContext http, FeedQueries queries, CancellationToken ct) => SiteFeedAsync(http, queries, Format.Atom, ct));
        feeds.MapGet("/{kind:regex(^(section|topic|author)$)}/{slug}/feed",
            (HttpContext http, string kind, string slug, FeedQueries queries, ArticleQueries articles, CancellationToken ct) => CollectionFeedAsync(http, kind, slug, queries, articles, Format.Rss, ct));
        feeds.MapGet("/{kind:regex(^(section|topic|author)$)}/{slug}/feed/atom",
            (HttpContext http, string kind, string slug, FeedQueries queries, ArticleQueries articles, CancellationToken ct) => CollectionFeedAsync(http, kind, slug, queries, articles, Format.Atom, ct));
        feeds.MapGet("/{year:int}/{month:int}/{day:int}/{slug}/feed",
            (HttpContext http, string slug, FeedQueries queries, ArticleQueries articles, CancellationToken ct) => ArticleCommentsFeedAsync(http, slug, queries, articles, Format.Rss, ct));
        feeds.MapGet("/{year:int}/{month:int}/{day:int}/{slug}/feed/atom",
            (HttpContext http, string slug, FeedQueries queries, ArticleQueries articles, CancellationToken ct) => ArticleCommentsFeedAsync(http, slug, queries, articles, Format.Atom, ct));
        feeds.MapGet("/comments/feed", (HttpContext http, FeedQueries queries, CancellationToken ct) => LatestCommentsFeedAsync(http, queries, Format.Rss, ct));
        feeds.MapGet("/comments/feed/atom", (HttpContext http, FeedQueries queries, CancellationToken ct) => LatestCommentsFeedAsync(http, queries, Format.Atom, ct));
        return endpoints;
    }

    private static async Task<IResult> SiteFeedAsync(HttpContext http, FeedQueries queries, Format format, CancellationToken ct)
    {
        var site = http.RequestServices.GetRequiredService<SiteOptions>();
        http.AddCacheTags(CacheTags.Listings);
        var articles = await queries.ArticlesAsync(ListingFilter.All, Options(http).Items, ct);
        return Write(http, ArticleFeed(http, site.Name, site.Tagline, "/", articles), format);
    }

    private static async Task<IResult> CollectionFeedAsync(
        HttpContext http, string kind, string slug, FeedQueries queries, ArticleQueries articles, Format format, CancellationToken ct)
    {
        var site = http.RequestServices.GetRequiredService<SiteOptions>();
        if (!Enum.TryParse<CollectionKind>(kind, ignoreCase: true, out var parsed))
        {
            return Results.NotFound();
        }

        if (await articles.FindCollectionAsync(parsed, slug, ct) is not var (filter, name, path, _, _))
        {
            // A renamed byline's old feed address answers with the current one, so subscriptions follow.
            return parsed == CollectionKind.Author && await articles.CurrentAuthorSlugForOldSlugAsync(slug, ct) is { } moved
                ? Results.Redirect($"{ArticleLinks.Author(moved)}/feed{(format == Format.Atom ? "/atom" : "")}", permanent: true)
                : Results.NotFound();
        }

        http.AddCacheTags(CacheTags.Listings);
        var items = await queries.ArticlesAsync(filter, Options(http).Items, ct);
        return Write(http, ArticleFeed(http, $"{name} — {site.Name}", $"The latest from {name}.", path, items), format);
    }

    private static async Task<IResult> ArticleCommentsFeedAsync(
        HttpContext http, string slug, FeedQueries queries, ArticleQueries articles, Format format, CancellationToken ct)
    {
        var article = await articles.FindPublishedAsync(slug, ct);
        if (article is null)
        {
            return Results.NotFound();
        }

        http.AddCacheTags(CacheTags.Article(article.Id));
        var links = http.RequestServices.GetRequiredService<ArticleLinks>();
        var comments = await queries.CommentsAsync(article.Id, 50, ct);
        var path = links.Article(article.Slug, article.PublishedAt);
        return Write(http, CommentFeed(http, $"Comments on: {article.Headline}", path, comments, withArticle: false), format);
    }

    private static async Task<IResult> LatestCommentsFeedAsync(HttpContext http, FeedQueries queries, Format format, CancellationToken ct)
    {
        var site = http.RequestServices.GetRequiredService<SiteOptions>();
        http.AddCacheTags(CacheTags.Listings);
        var comments = await queries.CommentsAsync(null, 50, ct);
        return Write(http, CommentFeed(http, $"Comments — {site.Name}", "/", comments, withArticle: true), format);
    }

    private static SyndicationFeed ArticleFeed(HttpContext http, string title, string description, string path, List<FeedArticle> articles)
    {
        var urls = http.RequestServices.GetRequiredService<SiteUrls>();
        var links = http.RequestServices.GetRequiredService<ArticleLinks>();
        var fullContent = Options(http).FullContent;
        var feed = NewFeed(http, title, description, path, articles.Count == 0 ? null : articles.Max(a => a.UpdatedAt));
        feed.Items = articles.Select(article =>
        {
            var url = new Uri(urls.Absolute(http.Request, links.Article(article.Slug, article.PublishedAt)));
            var item = new SyndicationItem
            {
                // Stable across edits and slug changes: the article's id, not its URL.
                Id = $"urn:broadsheet:article:{article.Id.ToString(CultureInfo.InvariantCulture)}",
                Title = new TextSyndicationContent(article.Headline),
                Summary = fullContent ? new TextSyndicationContent(article.BodyHtml, TextSyndicationContentKind.Html) : new TextSyndicationContent(article.Dek ?? ""),
                PublishDate = new DateTimeOffset(article.PublishedAt, TimeSpan.Zero),
                LastUpdatedTime = new DateTimeOffset(article.UpdatedAt, TimeSpan.Zero),
            };
            item.Links.Add(SyndicationLink.CreateAlternateLink(url));
            if (SiteUrls.Resolve(urls.Absolute(http.Request, ""), article.FeaturedImagePath) is { } image)
            {
                // RSS <enclosure> / Atom <link rel="enclosure">. The site does not know the image's
                // size (it may live elsewhere); RSS readers accept 0 for "unknown".
                item.Links.Add(new SyndicationLink(new Uri(image), "enclosure", null, ImageType(image), 0));
            }

            // Atom requires an author on every entry: an article without a byline is the newsroom's.
            foreach (var author in article.Authors.DefaultIfEmpty(http.RequestServices.GetRequiredService<SiteOptions>().Name))
            {
                item.Authors.Add(new SyndicationPerson { Name = author });
            }

            foreach (var category in article.Tags.Prepend(article.Section).OfType<string>())
            {
                item.Categories.Add(new SyndicationCategory(category));
            }

            return item;
        }).ToList();
        return feed;
    }

    private static string ImageType(string url)
    {
        var path = new Uri(url).AbsolutePath;
        return ImageTypes.TryGetContentType(path, out var type) && type.StartsWith("image/", StringComparison.Ordinal) ? type : "image/jpeg";
    }

    private static readonly Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider ImageTypes = new();

    private static SyndicationFeed CommentFeed(HttpContext http, string title, string path, List<FeedComment> comments, bool withArticle)
    {
        var urls = http.RequestServices.GetRequiredService<SiteUrls>();
        var feed = NewFeed(http, title, title, path, comments.Count == 0 ? null : comments.Max(c => c.CreatedAt));
        feed.Items = comments.Select(comment =>
        {
            var item = new SyndicationItem
            {
                Id = $"urn:broadsheet:comment:{comment.Id.ToString(CultureInfo.InvariantCulture)}",
                Title = new TextSyndicationContent(withArticle ? $"{comment.AuthorName} on {comment.ArticleHeadline}" : $"By {comment.AuthorName}"),
                Summary = new TextSyndicationContent(comment.BodyHtml, TextSyndicationContentKind.Html),
                PublishDate = new DateTimeOffset(comment.CreatedAt, TimeSpan.Zero),
                LastUpdatedTime = new DateTimeOffset(comment.CreatedAt, TimeSpan.Zero),
            };
            item.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(urls.Absolute(http.Request, CommentPermalinks.For(comment.Id)))));
            item.Authors.Add(new SyndicationPerson { Name = comment.AuthorName });
            return item;
        }).ToList();
        return feed;
    }

    private static SyndicationFeed NewFeed(HttpContext http, string title, string description, string path, DateTime? updated)
    {
        var urls = http.RequestServices.GetRequiredService<SiteUrls>();
        // The feed's own address names it (its RSS and Atom forms alike): the page it is about would give
        // the site's feed and its comments feed one id. A feed with nothing in it yet was updated now.
        var feedPath = http.Request.Path.ToString();
        var feed = new SyndicationFeed(title, description, new Uri(urls.Absolute(http.Request, path)))
        {
            Id = urls.Absolute(http.Request, feedPath.EndsWith("/atom", StringComparison.Ordinal) ? feedPath[..^"/atom".Length] : feedPath),
            LastUpdatedTime = updated is { } last ? new DateTimeOffset(last, TimeSpan.Zero) : http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
            Language = "en",
        };
        feed.Links.Add(new SyndicationLink(new Uri(urls.Absolute(http.Request, http.Request.Path)), "self", title, null, 0));
        return feed;
    }

    private static IResult Write(HttpContext http, SyndicationFeed feed, Format format)
    {
        var document = new XDocument();
        using (var writer = document.CreateWriter())
        {
            if (format == Format.Atom)
            {
                new Atom10FeedFormatter(feed).WriteTo(writer);
            }
            else
            {
                new Rss20FeedFormatter(feed, serializeExtensionsAsAtom: true).WriteTo(writer);
            }
        }

        // RSS 2.0 requires an enclosure's length, and "0" is the accepted "unknown"; the formatter
        // leaves the attribute out when the length is 0.
        foreach (var enclosure in document.Descendants("enclosure").Where(e => e.Attribute("length") is null))
        {
            enclosure.SetAttributeValue("length", "0");
        }

        var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            document.Save(writer);
        }

        var headers = http.Response.Headers;
        headers.LastModified = feed.LastUpdatedTime.ToString("R", CultureInfo.InvariantCulture);
        headers.ETag = $"W/\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(buffer.ToArray()).AsSpan(0, 12))}\"";
        headers.CacheControl = "public, max-age=0, s-maxage=300, stale-while-revalidate=60";
        var contentType = format == Format.Atom ? "application/atom+xml; charset=utf-8" : "application/rss+xml; charset=utf-8";
        return Results.Bytes(buffer.ToArray(), contentType);
    }

    private static FeedOptions Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<FeedOptions>>().Value;
}

using System.Text.Encodings.Web;
using System.Text.Json;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Site;
using Microsoft.AspNetCore.Html;

namespace Broadsheet.Seo;

/// <summary>
/// What search engines and social networks read from an article page: Open Graph and Twitter card
/// tags, and JSON-LD <c>NewsArticle</c> (with approved comments as <c>Comment</c>, names only) and
/// <c>BreadcrumbList</c>.
/// </summary>
public static class StructuredData
{
    // JSON inside <script>: escape <, > and & so no comment text can close the element.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Default };

    public static IHtmlContent ForArticle(ArticleView article, string url, SiteOptions site, string siteUrl, IEnumerable<CommentView> comments)
    {
        ArgumentNullException.ThrowIfNull(article);
        ArgumentNullException.ThrowIfNull(site);
        var description = article.Dek ?? site.Tagline;
        var newsArticle = new Dictionary<string, object?>
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "NewsArticle",
            ["headline"] = article.Headline,
            ["description"] = description,
            ["datePublished"] = DateFormat.Iso(article.PublishedAt),
            ["dateModified"] = DateFormat.Iso(article.UpdatedAt),
            ["mainEntityOfPage"] = new Dictionary<string, object?> { ["@type"] = "WebPage", ["@id"] = url },
            ["author"] = article.Authors.Select(a => new Dictionary<string, object?> { ["@type"] = "Person", ["name"] = a.Name, ["url"] = siteUrl + ArticleLinks.Author(a.Slug) }).ToList(),
            ["publisher"] = new Dictionary<string, object?>
            {
                ["@type"] = "NewsMediaOrganization",
                ["name"] = site.Name,
                ["url"] = siteUrl + "/",
                ["logo"] = new Dictionary<string, object?> { ["@type"] = "ImageObject", ["url"] = siteUrl + "/logo.svg" },
            },
            ["articleSection"] = article.Section?.Name,
            ["keywords"] = article.Tags.Select(t => t.Name).ToList(),
            ["commentCount"] = article.CommentCount,
            ["comment"] = comments.Select(c => new Dictionary<string, object?>
            {
                ["@type"] = "Comment",
                ["author"] = new Dictionary<string, object?> { ["@type"] = "Person", ["name"] = c.AuthorName },
                ["dateCreated"] = DateFormat.Iso(c.CreatedAt),
                ["url"] = siteUrl + CommentPermalinks.For(c.Id),
            }).ToList(),
        };
        // An upload here is a path; an image a WordPress import points at is already a full URL.
        var imageUrl = article.FeaturedImagePath is { } image ? (Uri.IsWellFormedUriString(image, UriKind.Absolute) ? image : siteUrl + image) : null;
        if (imageUrl is not null)
        {
            newsArticle["image"] = new[] { imageUrl };
        }

        var breadcrumbs = new Dictionary<string, object?>
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "BreadcrumbList",
            ["itemListElement"] = new List<object?>
            {
                Crumb(1, site.Name, siteUrl + "/"),
                article.Section is { } section ? Crumb(2, section.Name, siteUrl + ArticleLinks.Section(section.Slug)) : null,
                Crumb(article.Section is null ? 2 : 3, article.Headline, url),
            }.OfType<object>().ToList(),
        };

        var head = new HtmlContentBuilder();
        Meta(head, "property", "og:type", "article");
        Meta(head, "property", "og:title", article.Headline);
        Meta(head, "property", "og:description", description);
        Meta(head, "property", "og:url", url);
        Meta(head, "property", "og:site_name", site.Name);
        Meta(head, "property", "article:published_time", DateFormat.Iso(article.PublishedAt));
        Meta(head, "property", "article:modified_time", DateFormat.Iso(article.UpdatedAt));
        if (imageUrl is not null)
        {
            Meta(head, "property", "og:image", imageUrl);
            Meta(head, "property", "og:image:alt", article.FeaturedImageAlt ?? "");
        }

        Meta(head, "name", "twitter:card", article.FeaturedImagePath is null ? "summary" : "summary_large_image");
        Meta(head, "name", "twitter:title", article.Headline);
        Meta(head, "name", "twitter:description", description);
        Script(head, newsArticle);
        Script(head, breadcrumbs);
        return head;
    }

    private static Dictionary<string, object?> Crumb(int position, string name, string url) =>
        new() { ["@type"] = "ListItem", ["position"] = position, ["name"] = name, ["item"] = url };

    private static void Meta(HtmlContentBuilder head, string attribute, string name, string content)
    {
        head.AppendHtml($"<meta {attribute}=\"");
        head.Append(name);
        head.AppendHtml("\" content=\"");
        head.Append(content);
        head.AppendHtml("\">\n");
    }

    private static void Script(HtmlContentBuilder head, object data)
    {
        head.AppendHtml("<script type=\"application/ld+json\">");
        head.AppendHtml(JsonSerializer.Serialize(data, Json));
        head.AppendHtml("</script>\n");
    }
}

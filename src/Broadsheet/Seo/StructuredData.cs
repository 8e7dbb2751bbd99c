using System.Buffers;
using System.Text;
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
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.Default };

    public static IHtmlContent ForArticle(ArticleView article, string url, SiteOptions site, string siteUrl, IEnumerable<CommentView> comments)
    {
        ArgumentNullException.ThrowIfNull(article);
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(comments);
        var description = article.Dek ?? site.Tagline;
        var image = SiteUrls.Resolve(siteUrl, article.FeaturedImagePath);

        var head = new HtmlContentBuilder();
        Meta(head, "property", "og:type", "article");
        Meta(head, "property", "og:title", article.Headline);
        Meta(head, "property", "og:description", description);
        Meta(head, "property", "og:url", url);
        Meta(head, "property", "og:site_name", site.Name);
        Meta(head, "property", "article:published_time", DateFormat.Iso(article.PublishedAt));
        Meta(head, "property", "article:modified_time", DateFormat.Iso(article.UpdatedAt));
        if (image is not null)
        {
            Meta(head, "property", "og:image", image);
            Meta(head, "property", "og:image:alt", article.FeaturedImageAlt ?? "");
        }

        Meta(head, "name", "twitter:card", image is null ? "summary" : "summary_large_image");
        Meta(head, "name", "twitter:title", article.Headline);
        Meta(head, "name", "twitter:description", description);
        Script(head, json => WriteNewsArticle(json, article, url, site, siteUrl, description, image, comments));
        Script(head, json => WriteBreadcrumbs(json, article, url, site, siteUrl));
        return head;
    }

    // Written straight to JSON (no dictionaries for the serializer to walk): the article page renders
    // this with every approved comment of the page on each cache miss.
    private static void WriteNewsArticle(
        Utf8JsonWriter json, ArticleView article, string url, SiteOptions site, string siteUrl, string description, string? image, IEnumerable<CommentView> comments)
    {
        json.WriteStartObject();
        json.WriteString("@context", "https://schema.org");
        json.WriteString("@type", "NewsArticle");
        json.WriteString("headline", article.Headline);
        json.WriteString("description", description);
        json.WriteString("datePublished", DateFormat.Iso(article.PublishedAt));
        json.WriteString("dateModified", DateFormat.Iso(article.UpdatedAt));
        json.WriteStartObject("mainEntityOfPage");
        json.WriteString("@type", "WebPage");
        json.WriteString("@id", url);
        json.WriteEndObject();
        json.WriteStartArray("author");
        foreach (var author in article.Authors)
        {
            WritePerson(json, author, siteUrl);
        }

        json.WriteEndArray();
        json.WriteStartObject("publisher");
        json.WriteString("@type", "NewsMediaOrganization");
        json.WriteString("name", site.Name);
        json.WriteString("url", siteUrl + "/");
        json.WriteStartObject("logo");
        json.WriteString("@type", "ImageObject");
        json.WriteString("url", siteUrl + "/logo.svg");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteString("articleSection", article.Section?.Name);
        json.WriteStartArray("keywords");
        foreach (var tag in article.Tags)
        {
            json.WriteStringValue(tag.Name);
        }

        json.WriteEndArray();
        json.WriteNumber("commentCount", article.CommentCount);
        json.WriteStartArray("comment");
        foreach (var comment in comments)
        {
            json.WriteStartObject();
            json.WriteString("@type", "Comment");
            json.WriteStartObject("author");
            json.WriteString("@type", "Person");
            json.WriteString("name", comment.AuthorName);
            json.WriteEndObject();
            json.WriteString("dateCreated", DateFormat.Iso(comment.CreatedAt));
            json.WriteString("url", siteUrl + CommentPermalinks.For(comment.Id));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (image is not null)
        {
            json.WriteStartArray("image");
            json.WriteStringValue(image);
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>A byline as schema.org <c>Person</c>: name, author page and, when there is one, photo. Never an email.</summary>
    private static void WritePerson(Utf8JsonWriter json, PersonLink author, string siteUrl)
    {
        json.WriteStartObject();
        json.WriteString("@type", "Person");
        json.WriteString("name", author.Name);
        json.WriteString("url", siteUrl + ArticleLinks.Author(author.Slug));
        if (SiteUrls.Resolve(siteUrl, author.PhotoPath) is { } photo)
        {
            json.WriteString("image", photo);
        }

        json.WriteEndObject();
    }

    private static void WriteBreadcrumbs(Utf8JsonWriter json, ArticleView article, string url, SiteOptions site, string siteUrl)
    {
        json.WriteStartObject();
        json.WriteString("@context", "https://schema.org");
        json.WriteString("@type", "BreadcrumbList");
        json.WriteStartArray("itemListElement");
        WriteCrumb(json, 1, site.Name, siteUrl + "/");
        if (article.Section is { } section)
        {
            WriteCrumb(json, 2, section.Name, siteUrl + ArticleLinks.Section(section.Slug));
        }

        WriteCrumb(json, article.Section is null ? 2 : 3, article.Headline, url);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCrumb(Utf8JsonWriter json, int position, string name, string url)
    {
        json.WriteStartObject();
        json.WriteString("@type", "ListItem");
        json.WriteNumber("position", position);
        json.WriteString("name", name);
        json.WriteString("item", url);
        json.WriteEndObject();
    }

    private static void Meta(HtmlContentBuilder head, string attribute, string name, string content)
    {
        head.AppendHtml($"<meta {attribute}=\"");
        head.Append(name);
        head.AppendHtml("\" content=\"");
        head.Append(content);
        head.AppendHtml("\">\n");
    }

    private static void Script(HtmlContentBuilder head, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            write(json);
        }

        head.AppendHtml("<script type=\"application/ld+json\">");
        head.AppendHtml(Encoding.UTF8.GetString(buffer.WrittenSpan));
        head.AppendHtml("</script>\n");
    }
}

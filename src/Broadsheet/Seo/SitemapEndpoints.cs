using System.Globalization;
using System.Text;
using System.Xml;
using Broadsheet.Articles;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Site;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Seo;

/// <summary>
/// <c>/robots.txt</c>, the sitemap index <c>/sitemap.xml</c> with child sitemaps of at most
/// 50,000 URLs (articles in id ranges, so each child is one indexed range query), and the Google
/// News sitemap (articles of the last two days, at most 1,000).
/// </summary>
public static class SitemapEndpoints
{
    public const int UrlsPerSitemap = 50_000;
    private const string SitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private const string NewsNamespace = "http://www.google.com/schemas/sitemap-news/0.9";

    public static IEndpointRouteBuilder MapSitemaps(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/robots.txt", (HttpContext http, SiteUrls urls) =>
            Results.Text(
                $"User-agent: *\nDisallow: /admin/\nDisallow: /comments/\n\nSitemap: {urls.Absolute(http.Request, "/sitemap.xml")}\nSitemap: {urls.Absolute(http.Request, "/news-sitemap.xml")}\n",
                "text/plain", Encoding.UTF8));

        var sitemaps = endpoints.MapGroup("").CacheOutput(PageCache.AnonymousPage);
        sitemaps.MapGet("/sitemap.xml", IndexAsync);
        sitemaps.MapGet("/sitemap-pages.xml", PagesAsync);
        sitemaps.MapGet("/sitemap-articles-{part:int:min(1)}.xml", ArticlesAsync);
        sitemaps.MapGet("/news-sitemap.xml", NewsAsync);
        return endpoints;
    }

    private static IQueryable<Article> Published(BroadsheetDbContext db) => db.Articles.AsNoTracking().Published();

    private static async Task<IResult> IndexAsync(HttpContext http, BroadsheetDbContext db, SiteUrls urls, CancellationToken ct)
    {
        http.AddCacheTags(CacheTags.Listings);
        // Only the id ranges that hold a published article (a range whose articles were all
        // unpublished would answer 404), each with its newest change for the crawler.
        var parts = await Published(db)
            .GroupBy(a => (a.Id - 1) / UrlsPerSitemap)
            .Select(g => new { Part = g.Key + 1, LastModified = g.Max(a => a.UpdatedAt) })
            .OrderBy(p => p.Part)
            .ToListAsync(ct);
        return Xml(writer =>
        {
            writer.WriteStartElement("sitemapindex", SitemapNamespace);
            WriteEntry(writer, "sitemap", urls.Absolute(http.Request, "/sitemap-pages.xml"), null);
            foreach (var part in parts)
            {
                WriteEntry(writer, "sitemap", urls.Absolute(http.Request, $"/sitemap-articles-{part.Part}.xml"), part.LastModified);
            }

            writer.WriteEndElement();
        });
    }

    private static async Task<IResult> PagesAsync(HttpContext http, ArticleQueries queries, SiteUrls urls, CancellationToken ct)
    {
        http.AddCacheTags(CacheTags.Listings);
        var sections = await queries.NavigationSectionsAsync(ct);
        return Xml(writer =>
        {
            writer.WriteStartElement("urlset", SitemapNamespace);
            WriteEntry(writer, "url", urls.Absolute(http.Request, "/"), null);
            WriteEntry(writer, "url", urls.Absolute(http.Request, ArticleLinks.Latest), null);
            WriteEntry(writer, "url", urls.Absolute(http.Request, ArticleLinks.Archive), null);
            foreach (var section in sections)
            {
                WriteEntry(writer, "url", urls.Absolute(http.Request, ArticleLinks.Section(section.Slug)), null);
            }

            writer.WriteEndElement();
        });
    }

    private static async Task<IResult> ArticlesAsync(int part, HttpContext http, BroadsheetDbContext db, SiteUrls urls, ArticleLinks links, CancellationToken ct)
    {
        var (from, to) = ((part - 1) * UrlsPerSitemap, part * UrlsPerSitemap);
        var articles = await Published(db)
            .Where(a => a.Id > from && a.Id <= to)
            .OrderBy(a => a.Id)
            .Select(a => new { a.Slug, PublishedAt = a.PublishedAt!.Value, a.UpdatedAt })
            .ToListAsync(ct);
        if (articles.Count == 0)
        {
            return Results.NotFound();
        }

        http.AddCacheTags(CacheTags.Listings);
        return Xml(writer =>
        {
            writer.WriteStartElement("urlset", SitemapNamespace);
            foreach (var article in articles)
            {
                WriteEntry(writer, "url", urls.Absolute(http.Request, links.Article(article.Slug, article.PublishedAt)), article.UpdatedAt);
            }

            writer.WriteEndElement();
        });
    }

    private static async Task<IResult> NewsAsync(HttpContext http, BroadsheetDbContext db, SiteUrls urls, ArticleLinks links, SiteOptions site, TimeProvider time, CancellationToken ct)
    {
        http.AddCacheTags(CacheTags.Listings);
        var since = time.GetUtcNow().UtcDateTime.AddDays(-2);
        var articles = await Published(db)
            .Where(a => a.PublishedAt >= since)
            .OrderByDescending(a => a.PublishedAt)
            .Take(1000)
            .Select(a => new { a.Slug, a.Headline, PublishedAt = a.PublishedAt!.Value })
            .ToListAsync(ct);
        return Xml(writer =>
        {
            writer.WriteStartElement("urlset", SitemapNamespace);
            writer.WriteAttributeString("xmlns", "news", null, NewsNamespace);
            foreach (var article in articles)
            {
                writer.WriteStartElement("url", SitemapNamespace);
                writer.WriteElementString("loc", SitemapNamespace, urls.Absolute(http.Request, links.Article(article.Slug, article.PublishedAt)));
                writer.WriteStartElement("news", "news", NewsNamespace);
                writer.WriteStartElement("news", "publication", NewsNamespace);
                writer.WriteElementString("news", "name", NewsNamespace, site.Name);
                writer.WriteElementString("news", "language", NewsNamespace, "en");
                writer.WriteEndElement();
                writer.WriteElementString("news", "publication_date", NewsNamespace, W3CDate(article.PublishedAt));
                writer.WriteElementString("news", "title", NewsNamespace, article.Headline);
                writer.WriteEndElement();
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        });
    }

    private static void WriteEntry(XmlWriter writer, string element, string location, DateTime? lastModified)
    {
        writer.WriteStartElement(element, SitemapNamespace);
        writer.WriteElementString("loc", SitemapNamespace, location);
        if (lastModified is { } modified)
        {
            writer.WriteElementString("lastmod", SitemapNamespace, W3CDate(modified));
        }

        writer.WriteEndElement();
    }

    private static string W3CDate(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static IResult Xml(Action<XmlWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }

        return Results.Bytes(buffer.ToArray(), "application/xml; charset=utf-8");
    }
}

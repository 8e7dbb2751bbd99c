using System.Net;
using System.Xml.Linq;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Feeds;

/// <summary>The sitemap protocol's limits at the size where they bite: more than 50,000 articles.</summary>
public sealed class SitemapScaleTests(BroadsheetFactory app) : IClassFixture<BroadsheetFactory>
{
    private static readonly XNamespace Sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";

    [Fact]
    [Trait("Database", TestDatabase.SqliteOnly)] // the rows are made by one SQLite statement
    public async Task SitemapIndex_SplitsMoreThan50000Articles_IntoChildrenWithinTheProtocolsLimits()
    {
        const int Articles = 50_123;
        await InsertPublishedArticlesAsync(Articles);
        var client = app.CreateReader();

        var index = XDocument.Parse(await client.GetStringAsync("/sitemap.xml"));
        Assert.Equal(Sitemap + "sitemapindex", index.Root!.Name);
        var children = index.Root.Elements(Sitemap + "sitemap").Select(s => s.Element(Sitemap + "loc")!.Value).ToList();
        var articleChildren = children.Where(c => c.Contains("/sitemap-articles-", StringComparison.Ordinal)).ToList();
        Assert.True(articleChildren.Count >= 2, $"{articleChildren.Count} article sitemaps for {Articles} articles");
        Assert.All(index.Root.Elements(Sitemap + "sitemap").Where(s => s.Element(Sitemap + "lastmod") is not null),
            s => AssertW3CDate(s.Element(Sitemap + "lastmod")!.Value));

        var all = new List<string>();
        foreach (var child in children)
        {
            var response = await client.GetAsync(new Uri(child).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.True(bytes.Length <= 50 * 1024 * 1024, $"{child} is {bytes.Length} bytes");
            var urlset = XDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes)).Root!;
            Assert.Equal(Sitemap + "urlset", urlset.Name);
            var urls = urlset.Elements(Sitemap + "url").ToList();
            Assert.InRange(urls.Count, 1, 50_000);
            foreach (var url in urls)
            {
                var loc = url.Element(Sitemap + "loc")!.Value;
                Assert.True(Uri.TryCreate(loc, UriKind.Absolute, out var uri) && uri.Scheme == "http" && uri.Host == "localhost", loc);
                all.Add(loc);
                if (url.Element(Sitemap + "lastmod") is { } lastmod)
                {
                    AssertW3CDate(lastmod.Value);
                }
            }
        }

        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Articles, all.Count(u => u.Contains("/bulk-article-", StringComparison.Ordinal)));
        Assert.Contains("http://localhost/2025/08/16/putin-and-trump-discuss-ukraine-war-end-in-alaska-talks", all);
        Assert.Contains("http://localhost/2001/01/01/bulk-article-1", all);
        Assert.Contains($"http://localhost/{BulkDate(Articles):yyyy'/'MM'/'dd}/bulk-article-{Articles}", all);
    }

    /// <summary>One INSERT … SELECT over a recursive counter: fifty thousand rows in a second or two.</summary>
    private async Task InsertPublishedArticlesAsync(int count)
    {
        var inserted = await app.WithServiceAsync<int, BroadsheetDbContext>(db => db.Database.ExecuteSqlAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
            INSERT INTO "Articles" ("Slug", "Headline", "BodyMarkdown", "BodyHtml", "Status", "PublishedAt", "CreatedAt", "UpdatedAt",
                                    "CommentsOpen", "CommentCount", "ConcurrencyStamp")
            SELECT 'bulk-article-' || i, 'Bulk article ' || i, 'Body.', '<p>Body.</p>', 3,
                   datetime('2001-01-01 12:00:00', '+' || (i - 1) || ' hours'),
                   datetime('2001-01-01 12:00:00'), datetime('2001-01-01 12:00:00', '+' || (i - 1) || ' hours', '+5 minutes'),
                   1, 0, lower(hex(randomblob(16)))
            FROM n
            """));
        Assert.Equal(count, inserted);
    }

    private static DateTime BulkDate(int i) => new DateTime(2001, 1, 1, 12, 0, 0, DateTimeKind.Utc).AddHours(i - 1);

    private static void AssertW3CDate(string value) =>
        Assert.True(
            DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
                System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _),
            $"{value} is not a W3C date");
}

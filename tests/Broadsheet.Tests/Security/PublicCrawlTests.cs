using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Broadsheet.Tests.Comments;

namespace Broadsheet.Tests.Security;

/// <summary>
/// Crawls the public site as a search engine would (links from the front page, the feeds and the
/// sitemaps), after commenters with unique addresses have posted: no response may contain any
/// address, nor the MD5 or SHA-256 hashes that avatar services use; and every response carries
/// the security headers.
/// </summary>
public sealed class PublicCrawlTests(OpenCommentsFactory app) : IClassFixture<OpenCommentsFactory>
{
    private const int MaxPages = 400;

    [Fact]
    public async Task NoPublicUrl_RevealsACommentersEmail_AndEveryResponseCarriesTheSecurityHeaders()
    {
        var (_, url) = await app.CreateArticleAsync();
        var emails = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var email = $"Crawl.{i}.{Guid.NewGuid():N}@Example.org";
            emails.Add(email);
            CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, $"Crawlable comment {i}", $"Crawler {i}", email, i == 0 ? "crawler.example.org" : null));
        }

        var secrets = emails.SelectMany(Forms).ToList();
        var client = app.CreateReader();
        var queue = new Queue<string>(["/", "/feed", "/feed/atom", "/comments/feed", "/sitemap.xml", "/news-sitemap.xml", "/robots.txt", $"{url}/feed"]);
        var seen = new HashSet<string>(queue);
        var crawled = 0;
        while (queue.Count > 0 && crawled < MaxPages)
        {
            var path = queue.Dequeue();
            var response = await client.GetAsync(path);
            crawled++;
            var body = await response.Content.ReadAsStringAsync();
            foreach (var secret in secrets)
            {
                Assert.False(body.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{path} contains {secret}");
                Assert.False(response.Headers.ToString().Contains(secret, StringComparison.OrdinalIgnoreCase), $"{path}'s headers contain {secret}");
            }

            AssertSecurityHeaders(path, response);
            foreach (var link in Links(body, response.Content.Headers.ContentType?.MediaType))
            {
                if (seen.Add(link))
                {
                    queue.Enqueue(link);
                }
            }
        }

        Assert.True(crawled >= 20, $"crawled only {crawled} URLs");
        Assert.Contains(url, seen);
    }

    private static void AssertSecurityHeaders(string path, HttpResponseMessage response)
    {
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(!response.Headers.Contains("Strict-Transport-Security"), $"{path}: HSTS over plain HTTP");
    }

    /// <summary>Same-site paths linked from an HTML page, a feed or a sitemap.</summary>
    private static IEnumerable<string> Links(string body, string? mediaType)
    {
        IEnumerable<string> raw;
        if (mediaType is "text/html")
        {
            raw = System.Text.RegularExpressions.Regex.Matches(body, "(?:href|src)=\"([^\"#]+)").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value));
        }
        else if (mediaType is not null && mediaType.Contains("xml", StringComparison.Ordinal))
        {
            var xml = XDocument.Parse(body);
            raw = xml.Descendants().Where(e => e.Name.LocalName is "loc" or "link").Select(e => e.Attribute("href")?.Value ?? e.Value);
        }
        else
        {
            raw = [];
        }

        foreach (var link in raw)
        {
            var path = link.StartsWith("http://localhost", StringComparison.Ordinal) ? link["http://localhost".Length..] : link;
            if (path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("/admin", StringComparison.Ordinal))
            {
                yield return path;
            }
        }
    }

    private static IEnumerable<string> Forms(string email)
    {
        var normalized = email.Trim().ToLowerInvariant();
        yield return normalized;
        yield return Uri.EscapeDataString(normalized);
        yield return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(normalized)));
        yield return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }
}

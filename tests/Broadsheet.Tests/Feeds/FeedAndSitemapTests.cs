using System.Net;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Broadsheet.Articles;
using Broadsheet.Tests.Comments;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Feeds;

public sealed class FeedAndSitemapTests(OpenCommentsFactory app) : IClassFixture<OpenCommentsFactory>
{
    private static readonly XNamespace Sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";

    [Theory]
    [InlineData("/feed")]
    [InlineData("/feed/atom")]
    [InlineData("/section/world/feed")]
    [InlineData("/section/world/feed/atom")]
    [InlineData("/topic/russia/feed")]
    [InlineData("/author/broadsheet-staff/feed/atom")]
    public async Task ArticleFeeds_ParseAsRssOrAtom_AndListTheSampleWithItsByline(string path)
    {
        var feed = await LoadFeedAsync(path);

        var item = feed.Items.Single(i => i.Title.Text.StartsWith("Putin and Trump", StringComparison.Ordinal));
        Assert.StartsWith("urn:broadsheet:article:", item.Id, StringComparison.Ordinal);
        Assert.Equal("Broadsheet Staff", item.Authors.Single().Name);
        Assert.Null(item.Authors.Single().Email);
        Assert.EndsWith("/2025/08/16/putin-and-trump-discuss-ukraine-war-end-in-alaska-talks", item.Links.Single().Uri.ToString(), StringComparison.Ordinal);
        Assert.Contains(item.Categories, c => c.Name == "World");
        Assert.Equal(new DateTimeOffset(2025, 8, 16, 14, 0, 0, TimeSpan.Zero), item.PublishDate);
    }

    [Theory]
    [InlineData("/feed", "/media/flood.jpg", "http://localhost/media/flood.jpg", "image/jpeg")]
    [InlineData("/feed/atom", "/media/flood.jpg", "http://localhost/media/flood.jpg", "image/jpeg")]
    [InlineData("/feed", "https://images.example.org/2091/levee.png", "https://images.example.org/2091/levee.png", "image/png")]
    [InlineData("/feed/atom", "https://images.example.org/2091/levee.png", "https://images.example.org/2091/levee.png", "image/png")]
    public async Task ArticleFeeds_CarryTheFeaturedImage_AsAnAbsoluteEnclosure(string path, string stored, string expected, string type)
    {
        var article = (await app.CreateArticlesAsync(new ArticleDraft { Headline = Unique.Words("Pictured"), BodyMarkdown = "Body", PublishedAt = new DateTime(2091, 1, 1, 0, 0, 0, DateTimeKind.Utc) }))[0];
        await app.WithDbAsync(db => db.Articles.Where(a => a.Id == article.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.FeaturedImagePath, stored)));
        await app.WithServiceAsync<bool, Broadsheet.Infrastructure.Caching.ContentCache>(async cache => { await cache.ArticleChangedAsync(article.Id); return true; });

        var item = (await LoadFeedAsync(path)).Items.Single(i => i.Title.Text == article.Headline);

        var enclosure = item.Links.Single(l => l.RelationshipType == "enclosure");
        Assert.Equal(expected, enclosure.Uri.AbsoluteUri);
        Assert.Equal(type, enclosure.MediaType);
        Assert.Equal("alternate", item.Links.Single(l => l.RelationshipType != "enclosure").RelationshipType ?? "alternate");
    }

    [Fact]
    public async Task ArticleFeeds_LeaveOutEnclosures_ForArticlesWithoutAnImage()
    {
        var article = (await app.CreateArticlesAsync(new ArticleDraft { Headline = Unique.Words("Unpictured"), BodyMarkdown = "Body", PublishedAt = new DateTime(2091, 2, 1, 0, 0, 0, DateTimeKind.Utc) }))[0];

        var item = (await LoadFeedAsync("/feed")).Items.Single(i => i.Title.Text == article.Headline);

        Assert.DoesNotContain(item.Links, l => l.RelationshipType == "enclosure");
    }

    [Theory]
    [InlineData("/feed")]
    [InlineData("/section/world/feed")]
    [InlineData("/topic/russia/feed")]
    [InlineData("/author/broadsheet-staff/feed")]
    [InlineData("/comments/feed")]
    [InlineData("{article}/feed")]
    public async Task RssFeeds_FollowTheRss20Structure(string path)
    {
        var xml = await LoadStructuredFeedAsync(path);

        FeedStructure.AssertRss20(xml);
    }

    [Theory]
    [InlineData("/feed/atom")]
    [InlineData("/section/world/feed/atom")]
    [InlineData("/topic/russia/feed/atom")]
    [InlineData("/author/broadsheet-staff/feed/atom")]
    public async Task AtomFeeds_FollowTheAtom10Structure(string path)
    {
        var xml = await LoadStructuredFeedAsync(path);

        FeedStructure.AssertAtom10(xml);
    }

    [Theory]
    [InlineData("/feed", "rss-2.0.xsd")]
    [InlineData("/comments/feed", "rss-2.0.xsd")]
    [InlineData("/feed/atom", "atom-1.0.xsd")]
    [InlineData("/author/broadsheet-staff/feed/atom", "atom-1.0.xsd")]
    public async Task Feeds_ValidateAgainstTheirSchema(string path, string schema)
    {
        var xml = await LoadStructuredFeedAsync(path);

        FeedStructure.AssertValid(xml, schema);
    }

    /// <summary>
    /// A feed with something in every part a feed can have: a featured image (enclosure), a
    /// dek, a section and topics, and an approved comment; both for this article's comment feed.
    /// </summary>
    private async Task<XDocument> LoadStructuredFeedAsync(string path)
    {
        var (article, url) = await app.CreateArticleAsync();
        await app.WithDbAsync(db => db.Articles.Where(a => a.Id == article.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.FeaturedImagePath, "/media/structure.jpg")));
        await app.PostCommentAsync(url, "A remark for the structure", "Structure Reader", $"{Guid.NewGuid():N}@example.com");
        await app.WithServiceAsync<bool, Broadsheet.Infrastructure.Caching.ContentCache>(async cache => { await cache.ArticleChangedAsync(article.Id); return true; });
        var response = await app.CreateReader().GetAsync(path.Replace("{article}", url, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();

        // The Syndication library's reader takes it...
        using (var reader = XmlReader.Create(new StringReader(text)))
        {
            Assert.NotEmpty(SyndicationFeed.Load(reader).Items);
        }

        // ...and the structure is checked by hand, rule by rule.
        return XDocument.Parse(text);
    }

    [Fact]
    public async Task FeedGuids_StayTheSame_WhenAnArticleIsEdited()
    {
        var article = (await app.CreateArticlesAsync(new ArticleDraft { Headline = Unique.Words("Feed guid"), BodyMarkdown = "Body", PublishedAt = new DateTime(2090, 1, 1, 0, 0, 0, DateTimeKind.Utc) }))[0];
        var before = (await LoadFeedAsync("/feed")).Items.Single(i => i.Title.Text == article.Headline).Id;

        await app.WithDbAsync(db => db.Articles.Where(a => a.Id == article.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Headline, "Edited headline").SetProperty(a => a.Slug, "edited-slug")));
        await app.WithServiceAsync<bool, Broadsheet.Infrastructure.Caching.ContentCache>(async cache => { await cache.ArticleChangedAsync(article.Id); return true; });

        var after = (await LoadFeedAsync("/feed")).Items.Single(i => i.Title.Text == "Edited headline").Id;
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Feeds_Answer304_ToTheirValidators()
    {
        var client = app.CreateReader();
        var first = await client.GetAsync("/feed");
        Assert.NotNull(first.Content.Headers.LastModified ?? first.Headers.Date);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/feed");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task CommentFeeds_ShowApprovedCommentsByName_NeverByEmail()
    {
        var (_, url) = await app.CreateArticleAsync();
        var email = $"feed.{Guid.NewGuid():N}@example.com";
        await app.PostCommentAsync(url, "Feed-worthy remark", "Feed Reader", email);

        foreach (var path in new[] { $"{url}/feed", $"{url}/feed/atom", "/comments/feed", "/comments/feed/atom" })
        {
            var response = await app.CreateReader().GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
            var xml = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(email, xml, StringComparison.OrdinalIgnoreCase);
            using var reader = XmlReader.Create(new StringReader(xml));
            var item = SyndicationFeed.Load(reader).Items.First(i => i.Summary.Text.Contains("Feed-worthy remark", StringComparison.Ordinal));
            Assert.Equal("Feed Reader", item.Authors.Single().Name);
        }
    }

    [Fact]
    public async Task EachFeed_HasAnIdOfItsOwn_SharedByItsRssAndAtomForms_AndAnEmptyOneADateOfNow()
    {
        var (_, url) = await app.CreateArticleAsync();
        var ids = new Dictionary<string, string>();
        foreach (var path in new[] { "/feed", "/feed/atom", "/comments/feed/atom", $"{url}/feed/atom" })
        {
            ids[path] = (await LoadFeedAsync(path)).Id;
        }

        Assert.Equal(ids["/feed"], ids["/feed/atom"]);
        Assert.Equal(3, ids.Values.Distinct().Count());
        // The new article has no comments yet: its comments feed was not last updated in 1970.
        Assert.True((await LoadFeedAsync($"{url}/feed/atom")).LastUpdatedTime > DateTimeOffset.UtcNow.AddYears(-1));
    }

    [Fact]
    public async Task EveryPage_AnnouncesTheSiteFeed_AndListingsTheirOwn()
    {
        var page = await app.GetDocumentAsync("/section/world");

        var feeds = page.QuerySelectorAll("link[rel=alternate]").Select(l => l.GetAttribute("href")).ToList();
        Assert.Contains("/feed", feeds);
        Assert.Contains("/feed/atom", feeds);
        Assert.Contains("/section/world/feed", feeds);
    }

    [Fact]
    public async Task Sitemaps_FollowTheProtocol_AndListEveryPublishedArticle()
    {
        var index = await LoadXmlAsync("/sitemap.xml");
        Assert.Equal(Sitemap + "sitemapindex", index.Root!.Name);
        var children = index.Root.Elements(Sitemap + "sitemap").Select(s => new Uri(s.Element(Sitemap + "loc")!.Value).AbsolutePath).ToList();
        Assert.Contains("/sitemap-pages.xml", children);
        Assert.Contains("/sitemap-articles-1.xml", children);

        var articles = await LoadXmlAsync("/sitemap-articles-1.xml");
        var urls = articles.Root!.Elements(Sitemap + "url").ToList();
        Assert.InRange(urls.Count, 1, 50_000);
        var sample = urls.Single(u => u.Element(Sitemap + "loc")!.Value.EndsWith("/2025/08/16/putin-and-trump-discuss-ukraine-war-end-in-alaska-talks", StringComparison.Ordinal));
        Assert.True(DateTimeOffset.TryParse(sample.Element(Sitemap + "lastmod")!.Value, out _));

        var robots = await app.CreateReader().GetStringAsync("/robots.txt");
        Assert.Contains("Sitemap: http://localhost/sitemap.xml", robots, StringComparison.Ordinal);
        Assert.Contains("Disallow: /admin/", robots, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateReader().GetAsync("/sitemap-articles-99.xml")).StatusCode);
    }

    [Fact]
    public async Task NewsSitemap_ListsOnlyTheLastTwoDays()
    {
        var fresh = (await app.CreateArticlesAsync(new ArticleDraft
        {
            Headline = Unique.Words("Fresh news"), BodyMarkdown = "Now.", PublishedAt = app.Clock.GetUtcNow().UtcDateTime.AddHours(-1),
        }))[0];

        var news = await LoadXmlAsync("/news-sitemap.xml");

        XNamespace n = "http://www.google.com/schemas/sitemap-news/0.9";
        var titles = news.Root!.Elements(Sitemap + "url").Select(u => u.Element(n + "news")!.Element(n + "title")!.Value).ToList();
        Assert.Contains(fresh.Headline, titles);
        Assert.DoesNotContain(titles, t => t.StartsWith("Putin and Trump", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ArticlePage_HasNewsArticleJsonLd_OpenGraph_AndBreadcrumbs_WithoutEmails()
    {
        var (article, url) = await app.CreateArticleAsync();
        var email = $"jsonld.{Guid.NewGuid():N}@example.com";
        await app.PostCommentAsync(url, "For the structured data", "Ld Commenter", email);

        var response = await app.CreateReader().GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        var page = await BroadsheetFactory.ParseAsync(response);

        Assert.DoesNotContain(email, html, StringComparison.OrdinalIgnoreCase);
        var scripts = page.QuerySelectorAll("script[type='application/ld+json']").Select(s => JsonDocument.Parse(s.TextContent)).ToList();
        var news = scripts.Single(s => s.RootElement.GetProperty("@type").GetString() == "NewsArticle").RootElement;
        Assert.Equal(article.Headline, news.GetProperty("headline").GetString());
        foreach (var field in new[] { "description", "datePublished", "dateModified", "author", "publisher", "mainEntityOfPage" })
        {
            Assert.True(news.TryGetProperty(field, out _), field);
        }

        Assert.Equal("http://localhost/logo.svg", news.GetProperty("publisher").GetProperty("logo").GetProperty("url").GetString());
        Assert.Equal("Ld Commenter", news.GetProperty("comment")[0].GetProperty("author").GetProperty("name").GetString());
        var crumbs = scripts.Single(s => s.RootElement.GetProperty("@type").GetString() == "BreadcrumbList").RootElement.GetProperty("itemListElement");
        Assert.Equal(3, crumbs.GetArrayLength());
        Assert.Equal(article.Headline, page.QuerySelector("meta[property='og:title']")!.GetAttribute("content"));
        Assert.Equal($"http://localhost{url}", page.QuerySelector("meta[property='og:url']")!.GetAttribute("content"));
    }

    private async Task<SyndicationFeed> LoadFeedAsync(string path)
    {
        var response = await app.CreateReader().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync());
        return SyndicationFeed.Load(reader);
    }

    private async Task<XDocument> LoadXmlAsync(string path)
    {
        var response = await app.CreateReader().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}

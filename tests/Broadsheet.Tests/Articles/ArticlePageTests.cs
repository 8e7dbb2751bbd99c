using System.Net;
using Broadsheet.Articles;
using Broadsheet.Articles.Seeding;
using Broadsheet.Tests.Infrastructure;

namespace Broadsheet.Tests.Articles;

public sealed class ArticlePageTests(BroadsheetFactory app) : IClassFixture<BroadsheetFactory>
{
    private const string SampleUrl = "/2025/08/16/" + SampleArticleSeeder.Slug;

    [Fact]
    public async Task SampleArticle_ShowsHeadlineDekAndParagraphs_ExactlyAsTheSample()
    {
        // The sample as the newsroom gave it: headline, dek, body paragraphs, then three lines of page furniture.
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "sample-article.txt"))
            .Where(l => l.Trim().Length > 0).ToList();
        var expectedParagraphs = lines.Skip(2).SkipLast(3).ToList();
        Assert.Equal("Leave a Comment", lines[^3]);

        var page = await app.GetDocumentAsync(SampleUrl);

        Assert.Equal(lines[0], page.QuerySelector("h1")!.TextContent);
        Assert.Equal("Putin tells top officials Alaska talks were 'frank and informative'", page.QuerySelector(".dek")!.TextContent);
        Assert.Equal(lines[1], page.QuerySelector(".dek")!.TextContent);
        var paragraphs = page.QuerySelectorAll(".article-body p").Select(p => p.TextContent).ToList();
        Assert.Equal(expectedParagraphs, paragraphs);
        Assert.Contains("“frank and informative,”", paragraphs[0], StringComparison.Ordinal);
        Assert.StartsWith(lines[0], page.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SampleArticle_HasOneH1_BylineAndMachineReadableDate()
    {
        var page = await app.GetDocumentAsync(SampleUrl);

        Assert.Single(page.QuerySelectorAll("h1"));
        Assert.Equal("By Broadsheet Staff", Normalize(page.QuerySelector(".article-meta .byline")!.TextContent));
        var published = page.QuerySelector(".article-meta time")!;
        Assert.Equal("2025-08-16T14:00:00Z", published.GetAttribute("datetime"));
        Assert.Equal("August 16, 2025", published.TextContent);
        Assert.Equal("World", page.QuerySelector(".article .kicker a")!.TextContent);
        Assert.Equal($"http://localhost{SampleUrl}", page.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.Equal("Leave a Comment", page.QuerySelector("#comments #reply-title")!.FirstChild!.TextContent.Trim());
    }

    [Theory]
    [InlineData("/2025/08/17/" + SampleArticleSeeder.Slug)]
    [InlineData("/2024/1/2/" + SampleArticleSeeder.Slug)]
    [InlineData(SampleUrl + "/")]
    public async Task ArticlePage_RedirectsPermanentlyToCanonicalUrl_WhenDateOrFormIsWrong(string wrongUrl)
    {
        var response = await app.CreateReader().GetAsync(wrongUrl);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(SampleUrl, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task UnknownUrl_Returns404_WithAPageInTheSiteLayout()
    {
        var response = await app.CreateReader().GetAsync("/2025/08/16/no-such-story");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await BroadsheetFactory.ParseAsync(response);
        Assert.Equal("Page not found", page.QuerySelector("h1")!.TextContent);
        Assert.NotNull(page.QuerySelector(".masthead-name"));

        var unknownPath = await app.CreateReader().GetAsync("/wp-login.php");
        Assert.Equal(HttpStatusCode.NotFound, unknownPath.StatusCode);
    }

    [Fact]
    public async Task DraftArticle_IsNotVisibleToReaders()
    {
        var headline = Unique.Words("Draft story");
        var draft = (await app.CreateArticlesAsync(new ArticleDraft
        {
            Headline = headline,
            BodyMarkdown = "Not ready.",
            Status = ArticleStatus.Draft,
            PublishedAt = new DateTime(2025, 1, 2, 10, 0, 0, DateTimeKind.Utc),
        }))[0];

        var response = await app.CreateReader().GetAsync($"/2025/01/02/{draft.Slug}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(headline, await app.CreateReader().GetStringAsync("/latest"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArticleBody_IsSanitized_AndShowsBylinesAndCorrection()
    {
        var article = (await app.CreateArticlesAsync(new ArticleDraft
        {
            Headline = Unique.Words("Council budget"),
            BodyMarkdown = "Safe *text*.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3))\n",
            Authors = ["Ana Lima", "Ben Ode"],
            CorrectionsNote = "An earlier version misstated the budget total.",
            PublishedAt = new DateTime(2025, 3, 4, 12, 0, 0, DateTimeKind.Utc),
        }))[0];

        var page = await app.GetDocumentAsync($"/2025/03/04/{article.Slug}");

        var body = page.QuerySelector(".article-body")!;
        Assert.Equal("text", body.QuerySelector("em")!.TextContent);
        Assert.Empty(body.QuerySelectorAll("script"));
        Assert.DoesNotContain(body.QuerySelectorAll("*"), e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.Ordinal)));
        Assert.DoesNotContain("javascript:", body.InnerHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("By Ana Lima and Ben Ode", Normalize(page.QuerySelector(".article-meta .byline")!.TextContent));
        Assert.Contains("misstated the budget total", page.QuerySelector(".corrections")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData(SampleUrl)]
    [InlineData("/latest")]
    [InlineData("/section/world")]
    public async Task EveryPage_HasAScrollToTopLink_ToAFocusableTop(string path)
    {
        var page = await app.GetDocumentAsync(path);

        var link = page.QuerySelector("a.to-top")!;
        Assert.Equal("Scroll to Top", Normalize(link.TextContent.Replace("↑", "", StringComparison.Ordinal)));
        Assert.Equal("#top", link.GetAttribute("href"));
        Assert.Equal("-1", page.GetElementById("top")!.GetAttribute("tabindex"));
        Assert.NotNull(page.QuerySelector("script[src^='/js/site.'][defer]"));
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
}

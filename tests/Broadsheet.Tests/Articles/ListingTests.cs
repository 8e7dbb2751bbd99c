using System.Net;
using Broadsheet.Articles;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Articles;

public sealed class ListingFactory : BroadsheetFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:Site:Name"] = "The Riverside Courier",
        ["Broadsheet:Site:Tagline"] = "News from both banks",
        ["Broadsheet:Site:ListingPageSize"] = "3",
    };
}

public sealed class ListingTests(ListingFactory app) : IClassFixture<ListingFactory>
{
    [Fact]
    public async Task FrontPage_ShowsMastheadFromSettings_LeadStoryLatestAndSectionNavigation()
    {
        var section = Unique.Words("Metro");
        await app.CreateArticlesAsync(
            Story("Older front-page story", section, new DateTime(2030, 1, 1, 8, 0, 0, DateTimeKind.Utc)),
            Story("Newest front-page story", section, new DateTime(2030, 1, 1, 9, 0, 0, DateTimeKind.Utc)));

        var page = await app.GetDocumentAsync("/");

        Assert.Equal("The Riverside Courier", page.QuerySelector(".masthead-name")!.TextContent);
        Assert.Equal("News from both banks", page.QuerySelector(".masthead-tagline")!.TextContent);
        Assert.Equal("The Riverside Courier", page.Title);
        Assert.Equal("Newest front-page story", page.QuerySelector(".lead-story h2")!.TextContent);
        Assert.Equal("Older front-page story", page.QuerySelector(".latest .article-list-headline")!.TextContent);
        var nav = page.QuerySelectorAll(".section-nav a").Select(a => a.TextContent).ToList();
        Assert.Contains(section, nav);
        Assert.Contains("World", nav);
    }

    [Fact]
    public async Task SectionPage_PagesThroughEveryArticleNewestFirst_WithKeysetCursor()
    {
        var section = Unique.Words("Sport");
        var start = new DateTime(2020, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        // Two stories share a timestamp: the id breaks the tie, so none is skipped or repeated at a page boundary.
        var drafts = Enumerable.Range(1, 7)
            .Select(i => Story($"Match report {i}", section, start.AddHours(i == 4 ? 3 : i)))
            .ToArray();
        await app.CreateArticlesAsync(drafts);

        var seen = new List<string>();
        string? next = $"/section/{Slug(section)}";
        var pages = 0;
        while (next is not null)
        {
            var page = await app.GetDocumentAsync(next);
            Assert.Equal(section, page.QuerySelector("h1")!.TextContent);
            var headlines = page.QuerySelectorAll(".article-list-headline").Select(h => h.TextContent).ToList();
            Assert.InRange(headlines.Count, 1, 3);
            seen.AddRange(headlines);
            next = page.QuerySelector("a[rel=next]")?.GetAttribute("href");
            Assert.True(next is null || next.Contains("?before=", StringComparison.Ordinal));
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(
            ["Match report 7", "Match report 6", "Match report 5", "Match report 4", "Match report 3", "Match report 2", "Match report 1"],
            seen);
    }

    [Fact]
    public async Task LatestPage_ListsPublishedArticlesAcrossSections()
    {
        var headline = Unique.Words("Latest across sections");
        await app.CreateArticlesAsync(Story(headline, Unique.Words("Arts"), new DateTime(2031, 6, 1, 0, 0, 0, DateTimeKind.Utc)));

        var page = await app.GetDocumentAsync("/latest");

        Assert.Equal(headline, page.QuerySelector(".article-list-headline")!.TextContent);
    }

    [Theory]
    [InlineData("/latest?before=not-a-cursor")]
    [InlineData("/latest?before=99999999999999999999-1")]
    [InlineData("/section/world?before=12")]
    [InlineData("/section/no-such-section")]
    public async Task Listing_Returns404_ForUnknownSectionOrMalformedCursor(string path)
    {
        var response = await app.CreateReader().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SectionPages_PageBackWithRelPrev_ToTheSameAddressesAsForward()
    {
        var section = Unique.Words("Weather");
        var start = new DateTime(2021, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        await app.CreateArticlesAsync(Enumerable.Range(1, 7).Select(i => Story($"Forecast {i}", section, start.AddHours(i))).ToArray());
        var first = $"/section/{Slug(section)}";

        var forward = new List<string> { first };
        for (var page = await app.GetDocumentAsync(first); page.QuerySelector("a[rel=next]") is { } next; page = await app.GetDocumentAsync(forward[^1]))
        {
            forward.Add(next.GetAttribute("href")!);
        }

        var backward = new List<string> { forward[^1] };
        for (var page = await app.GetDocumentAsync(forward[^1]); page.QuerySelector("a[rel=prev]") is { } previous; page = await app.GetDocumentAsync(backward[^1]))
        {
            Assert.Equal("← Newer stories", previous.TextContent);
            Assert.Equal($"http://localhost{previous.GetAttribute("href")}", page.QuerySelector("link[rel=prev]")!.GetAttribute("href"));
            backward.Add(previous.GetAttribute("href")!);
        }

        Assert.Equal(3, forward.Count);
        Assert.Equal(forward, backward.AsEnumerable().Reverse());
        var firstPage = await app.GetDocumentAsync(first);
        Assert.Null(firstPage.QuerySelector("link[rel=prev]"));
        Assert.Equal($"http://localhost{forward[1]}", firstPage.QuerySelector("link[rel=next]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task ListingPages_AreCachedSeparately_PerCursor()
    {
        var section = Unique.Words("Cache pages");
        var stories = await app.CreateArticlesAsync(Enumerable.Range(1, 5).Select(i => Story($"Cache page story {i}", section, new DateTime(2022, 2, 2, i, 0, 0, DateTimeKind.Utc))).ToArray());
        var first = $"/section/{Slug(section)}";
        var pageOne = Headlines(await app.GetDocumentAsync(first));
        var second = (await app.GetDocumentAsync(first)).QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var pageTwo = Headlines(await app.GetDocumentAsync(second));

        // Rename every story behind the app's back: both pages now come from the cache, each its own copy.
        var ids = stories.Select(s => s.Id).ToList();
        await app.WithServiceAsync<int, BroadsheetDbContext>(db =>
            db.Articles.Where(a => ids.Contains(a.Id)).ExecuteUpdateAsync(s => s.SetProperty(a => a.Headline, "Renamed")));

        Assert.Equal(["Cache page story 5", "Cache page story 4", "Cache page story 3"], pageOne);
        Assert.Equal(["Cache page story 2", "Cache page story 1"], pageTwo);
        Assert.Equal(pageTwo, Headlines(await app.GetDocumentAsync(second)));
        Assert.Equal(pageOne, Headlines(await app.GetDocumentAsync(first)));
    }

    [Fact]
    public async Task AuthorPage_ShowsBioAndPhoto_WithTheAuthorsNameAsAltText()
    {
        var name = Unique.Words("Photographed Writer");
        var article = (await app.CreateArticlesAsync(new ArticleDraft { Headline = Unique.Words("By the photographed writer"), BodyMarkdown = "Body.", Authors = [name], PublishedAt = new DateTime(2023, 3, 3, 0, 0, 0, DateTimeKind.Utc) }))[0];
        await app.WithServiceAsync<int, BroadsheetDbContext>(db =>
            db.Authors.Where(a => a.Slug == Slug(name)).ExecuteUpdateAsync(s => s.SetProperty(a => a.Bio, "Covers the river towns.").SetProperty(a => a.PhotoPath, "/media/writer.jpg")));

        var page = await app.GetDocumentAsync($"/author/{Slug(name)}");

        Assert.Equal(name, page.QuerySelector("h1")!.TextContent);
        Assert.Equal("Covers the river towns.", page.QuerySelector(".author-bio")!.TextContent);
        var photo = page.QuerySelector("img.author-photo")!;
        Assert.Equal("/media/writer.jpg", photo.GetAttribute("src"));
        Assert.Equal(name, photo.GetAttribute("alt"));
        Assert.Contains(article.Headline, Headlines(page));
    }

    private static List<string> Headlines(AngleSharp.Dom.IDocument page) =>
        page.QuerySelectorAll(".article-list-headline").Select(h => h.TextContent).ToList();

    private static ArticleDraft Story(string headline, string section, DateTime publishedAt) => new()
    {
        Headline = headline,
        Dek = $"Dek of {headline}",
        BodyMarkdown = $"Body of {headline}.",
        Section = section,
        Authors = ["Desk Editor"],
        PublishedAt = publishedAt,
    };

    private static string Slug(string name) => Broadsheet.Infrastructure.Text.Slugs.From(name);
}

using System.Net;
using AngleSharp.Dom;
using Broadsheet.Articles;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Articles;

/// <summary>A newsroom five hours behind UTC in winter, so UTC and local months disagree around midnight.</summary>
public sealed class ArchiveFactory : BroadsheetFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:Site:TimeZone"] = "America/New_York",
        ["Broadsheet:Site:ListingPageSize"] = "2",
    };
}

public sealed class ArchiveTests(ArchiveFactory app) : IClassFixture<ArchiveFactory>
{
    [Fact]
    public async Task ArchiveMonth_ListsArticlesByTheNewsroomsCalendar_NotUtcs()
    {
        // 03:00 UTC on 1 March is still 28 February, 22:00, in New York.
        var lateFebruary = Unique.Words("Late February story");
        var earlyMarch = Unique.Words("Early March story");
        await app.CreateArticlesAsync(
            Story(lateFebruary, new DateTime(2011, 3, 1, 3, 0, 0, DateTimeKind.Utc)),
            Story(earlyMarch, new DateTime(2011, 3, 1, 6, 0, 0, DateTimeKind.Utc)));

        var february = await app.GetDocumentAsync("/archive/2011/02");
        var march = await app.GetDocumentAsync("/archive/2011/03");
        var firstOfMarch = await app.GetDocumentAsync("/archive/2011/03/01");

        Assert.Equal("February 2011", february.QuerySelector("h1")!.TextContent);
        Assert.Contains(lateFebruary, Headlines(february));
        Assert.DoesNotContain(earlyMarch, Headlines(february));
        Assert.Contains(earlyMarch, Headlines(march));
        Assert.DoesNotContain(lateFebruary, Headlines(march));
        Assert.Equal("March 1, 2011", firstOfMarch.QuerySelector("h1")!.TextContent);
        Assert.Equal([earlyMarch], Headlines(firstOfMarch));
        Assert.Equal("http://localhost/archive/2011/02", february.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task ArchiveIndex_CountsYearsAndMonths_AndIsLinkedFromEveryPage()
    {
        await app.CreateArticlesAsync(
            Story(Unique.Words("Index one"), new DateTime(2013, 6, 10, 12, 0, 0, DateTimeKind.Utc)),
            Story(Unique.Words("Index two"), new DateTime(2013, 6, 20, 12, 0, 0, DateTimeKind.Utc)),
            Story(Unique.Words("Index three"), new DateTime(2013, 9, 1, 12, 0, 0, DateTimeKind.Utc)));

        var index = await app.GetDocumentAsync("/archive");

        var year = index.QuerySelectorAll(".archive-years > li").Single(li => li.QuerySelector("h2 a")!.TextContent == "2013");
        Assert.Equal("/archive/2013", year.QuerySelector("h2 a")!.GetAttribute("href"));
        Assert.Equal("(3)", year.QuerySelector("h2 .count")!.TextContent);
        var months = year.QuerySelectorAll(".archive-months li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(["September (1)", "June (2)"], months);
        Assert.Contains(index.QuerySelectorAll(".archive-years h2 a"), a => a.TextContent == "2025"); // the sample article

        var yearPage = await app.GetDocumentAsync("/archive/2013");
        Assert.Equal(["September (1)", "June (2)"], yearPage.QuerySelectorAll(".archive-months li").Select(li => li.TextContent.Trim()).ToList());
        var front = await app.GetDocumentAsync("/");
        Assert.Contains(front.QuerySelectorAll(".site-footer a"), a => a.GetAttribute("href") == "/archive" && a.TextContent == "Archive");
    }

    [Theory]
    [InlineData("/archive/2011/13")]
    [InlineData("/archive/2011/00")]
    [InlineData("/archive/2011/02/30")]
    [InlineData("/archive/1850")]
    [InlineData("/archive/3000/01")]
    [InlineData("/archive/1999")]
    [InlineData("/archive/1999/05/05")]
    [InlineData("/archive/2025/08?before=not-a-cursor")]
    public async Task Archive_Returns404_ForAnInvalidOrEmptyPeriod(string path)
    {
        var response = await app.CreateReader().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Archive_RedirectsPermanently_ToItsTwoDigitAddress()
    {
        var response = await app.CreateReader().GetAsync("/archive/2025/8/16");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/archive/2025/08/16", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ArchiveDay_PagesForwardAndBack_WithRelNextAndPrev()
    {
        var start = new DateTime(2014, 4, 4, 13, 0, 0, DateTimeKind.Utc);
        await app.CreateArticlesAsync(Enumerable.Range(1, 5).Select(i => Story($"Fourth of April {i}", start.AddMinutes(i))).ToArray());

        // Forward: 2 + 2 + 1, newest first; the head announces the same neighbours as the visible links.
        var pages = new List<IDocument>();
        for (string? next = "/archive/2014/04/04"; next is not null; next = pages[^1].QuerySelector("a[rel=next]")?.GetAttribute("href"))
        {
            var page = await app.GetDocumentAsync(next);
            Assert.Equal(
                page.QuerySelector("a[rel=next]")?.GetAttribute("href") is { } visible ? $"http://localhost{visible}" : null,
                page.QuerySelector("link[rel=next]")?.GetAttribute("href"));
            Assert.Equal(
                page.QuerySelector("a[rel=prev]")?.GetAttribute("href") is { } newer ? $"http://localhost{newer}" : null,
                page.QuerySelector("link[rel=prev]")?.GetAttribute("href"));
            pages.Add(page);
        }

        Assert.Equal([["Fourth of April 5", "Fourth of April 4"], ["Fourth of April 3", "Fourth of April 2"], ["Fourth of April 1"]], pages.Select(Headlines));
        Assert.Null(pages[0].QuerySelector("a[rel=prev]"));
        Assert.Equal("← Newer stories", pages[2].QuerySelector("a[rel=prev]")!.TextContent);

        // Back: the page before the last is the middle page, and the one before that the archive's own address.
        var middle = await app.GetDocumentAsync(pages[2].QuerySelector("a[rel=prev]")!.GetAttribute("href")!);
        Assert.Equal(["Fourth of April 3", "Fourth of April 2"], Headlines(middle));
        Assert.Equal("/archive/2014/04/04", middle.QuerySelector("a[rel=prev]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task ArchivePage_IsEvicted_WhenAnArticleOfItsPeriodIsPublished()
    {
        var first = Unique.Words("Archived first");
        await app.CreateArticlesAsync(Story(first, new DateTime(2015, 7, 1, 12, 0, 0, DateTimeKind.Utc)));
        Assert.Equal([first], Headlines(await app.GetDocumentAsync("/archive/2015/07")));
        var index = await app.GetDocumentAsync("/archive");
        Assert.Contains(index.QuerySelectorAll(".archive-months a"), a => a.GetAttribute("href") == "/archive/2015/07");

        // Published through the app's writer, which evicts the listings.
        var second = Unique.Words("Archived second");
        await app.CreateArticlesAsync(Story(second, new DateTime(2015, 7, 2, 12, 0, 0, DateTimeKind.Utc)));

        Assert.Equal([second, first], Headlines(await app.GetDocumentAsync("/archive/2015/07")));
        var july = (await app.GetDocumentAsync("/archive")).QuerySelectorAll(".archive-months li")
            .Single(li => li.QuerySelector("a")!.GetAttribute("href") == "/archive/2015/07");
        Assert.Equal("July (2)", july.TextContent.Trim());
    }

    [Fact]
    public async Task ArchivePage_IsServedFromCache_UntilContentChanges()
    {
        var headline = Unique.Words("Cached in the archive");
        var article = (await app.CreateArticlesAsync(Story(headline, new DateTime(2016, 1, 5, 12, 0, 0, DateTimeKind.Utc))))[0];
        Assert.Equal([headline], Headlines(await app.GetDocumentAsync("/archive/2016/01")));

        await app.WithServiceAsync<int, BroadsheetDbContext>(db =>
            db.Articles.Where(a => a.Id == article.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Headline, "Renamed behind the cache")));

        Assert.Equal([headline], Headlines(await app.GetDocumentAsync("/archive/2016/01")));
    }

    [Fact]
    public async Task LatestPage_PagesBackToItsFirstPage_AfterTheFrontPagesOlderLink()
    {
        // Newer than anything else in this class's database, so these lead the front page.
        await app.CreateArticlesAsync(Enumerable.Range(1, 6).Select(i => Story($"Latest back {i}", new DateTime(2040, 1, 1, i, 0, 0, DateTimeKind.Utc))).ToArray());

        // The front page shows a lead and a page (two) more; its older link continues on /latest.
        var older = (await app.GetDocumentAsync("/")).QuerySelector(".latest a[rel=next]")!.GetAttribute("href")!;
        var second = await app.GetDocumentAsync(older);
        Assert.Equal(["Latest back 3", "Latest back 2"], Headlines(second));

        // Three stories are newer than that page (the front page showed one more than a page): the page
        // before holds the two just newer, and only the one before that is /latest itself.
        var newer = await app.GetDocumentAsync(second.QuerySelector("a[rel=prev]")!.GetAttribute("href")!);
        Assert.Equal(["Latest back 5", "Latest back 4"], Headlines(newer));
        Assert.Equal("/latest", newer.QuerySelector("a[rel=prev]")!.GetAttribute("href"));
    }

    private static List<string> Headlines(IDocument page) =>
        page.QuerySelectorAll(".article-list-headline").Select(h => h.TextContent).ToList();

    private static ArticleDraft Story(string headline, DateTime publishedAt) => new()
    {
        Headline = headline,
        BodyMarkdown = $"Body of {headline}.",
        Authors = ["Archive Desk"],
        PublishedAt = publishedAt,
    };
}

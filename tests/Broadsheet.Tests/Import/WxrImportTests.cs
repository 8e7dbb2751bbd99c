using System.Net;
using AngleSharp.Dom;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Import.Wxr;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Import;

/// <summary>The fixture export imported once by the real CLI process; the site then serves it.</summary>
public sealed class ImportedGazette : IAsyncLifetime
{
    public TestDatabase Database { get; } = TestDatabase.Create();

    public BroadsheetProcess.Result Import { get; private set; } = null!;

    public ExistingDatabaseFactory Site { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Import = await BroadsheetProcess.RunAsync(Database, "import", "wxr", WxrFixture.Path);
        Site = new ExistingDatabaseFactory(Database);
    }

    public async Task DisposeAsync()
    {
        await Site.DisposeAsync();
        Database.Dispose();
    }
}

public sealed class WxrImportTests(ImportedGazette gazette) : IClassFixture<ImportedGazette>
{
    private const string BridgePath = "/2024/05/14/harbour-bridge-reopens";

    [Fact]
    public void ImportWxr_SaysWhatItImportedAndWhatItLeftOut()
    {
        Assert.True(gazette.Import.ExitCode == 0, gazette.Import.Error);
        Assert.Contains("Imported from https://gazette.example.org: 6 post(s), 1 page(s), 9 comment(s).", gazette.Import.Output, StringComparison.Ordinal);
        Assert.Contains("1 auto-draft", gazette.Import.Output, StringComparison.Ordinal);
        Assert.Contains("1 revision", gazette.Import.Output, StringComparison.Ordinal);
        Assert.Contains("1 trash", gazette.Import.Output, StringComparison.Ordinal);
        Assert.Contains("1 pingback", gazette.Import.Output, StringComparison.Ordinal);
        Assert.Contains("items stored", gazette.Import.Error, StringComparison.Ordinal); // the progress bar
    }

    [Fact]
    public async Task ImportedPost_ShowsWithBylineSectionTagsAndASanitizedBody()
    {
        var page = await gazette.Site.GetDocumentAsync(BridgePath);

        Assert.Equal("Harbour Bridge Reopens After Two-Year Refit", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("The crossing is open again, with cycle lanes & a wider footpath.", page.QuerySelector(".dek")!.TextContent);
        Assert.Equal(["María Gómez"], page.QuerySelectorAll(".byline .author").Select(a => a.TextContent));
        Assert.Equal("Waterfront", page.QuerySelector(".kicker a")!.TextContent); // the first category
        Assert.Equal(["Bridges", "Transport"], page.QuerySelectorAll(".article-topics li").Select(a => a.TextContent));
        var body = page.QuerySelector(".article-body")!;
        Assert.Contains("the café owners of Quai Zürich said business was “finally back”", body.TextContent, StringComparison.Ordinal);
        Assert.Equal("What changed", body.QuerySelector("h2")!.TextContent);
        Assert.Equal(["Two new cycle lanes", "A footpath for the 東京 delegation’s visit"], body.QuerySelectorAll("ul li").Select(li => li.TextContent));
        Assert.Equal("The bridge at dawn.", body.QuerySelector("figure figcaption")!.TextContent);
        Assert.Empty(page.QuerySelectorAll(".article-body script"));
        Assert.DoesNotContain("pwned-by-import", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("onclick", body.InnerHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("wp:paragraph", body.InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClassicPost_GetsParagraphsLineBreaksAndCaption_WithoutAuthorOrSection()
    {
        var page = await gazette.Site.GetDocumentAsync("/2024/06/02/lighthouse-keepers-diary-storm-night");

        Assert.Equal("Lighthouse Keeper’s Diary: Storm Night", page.QuerySelector("h1")!.TextContent);
        Assert.Empty(page.QuerySelectorAll(".byline .author"));
        Assert.Null(page.QuerySelector(".kicker")); // "Uncategorized" is WordPress's placeholder, not a section
        var paragraphs = page.QuerySelectorAll(".article-body > p").ToList();
        Assert.Equal("The wind rose after dark, and the lamp kept turning.", paragraphs[0].TextContent);
        Assert.Equal(1, paragraphs[1].QuerySelectorAll("br").Length);
        Assert.Equal("“Not a ship lost.”", paragraphs[1].QuerySelector("em")!.TextContent);
        Assert.Equal("The lamp room at midnight.", page.QuerySelector(".article-body figure figcaption")!.TextContent);
        Assert.Contains("wind NW 9\n\nlog 04:00", page.QuerySelector(".article-body pre")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("[caption", page.QuerySelector(".article-body")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportedComments_ShowApprovedOnes_ThreadedAsOnWordPress_WithoutEmails()
    {
        var response = await gazette.Site.CreateReader().GetAsync(BridgePath);
        var html = await response.Content.ReadAsStringAsync();
        var page = await BroadsheetFactory.ParseAsync(response);

        var authors = page.QuerySelectorAll(".comment .comment-author").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(["Ann Reader", "Björn Ström", "Ann Reader", "Orphan Reply", "Late Parent", "Early Reply"], authors);
        Assert.Equal("6 Comments", page.QuerySelector(".comments-title")!.TextContent);
        Assert.Equal("Ann Reader", ParentAuthor(Comment(page, "Björn Ström")));
        Assert.Equal("Björn Ström", ParentAuthor(page.QuerySelectorAll(".comment").Last(c => Author(c) == "Ann Reader")));
        Assert.Equal("Late Parent", ParentAuthor(Comment(page, "Early Reply"))); // listed before its parent in the file
        Assert.Null(ParentAuthor(Comment(page, "Orphan Reply"))); // its parent was deleted on WordPress
        var first = Comment(page, "Ann Reader");
        Assert.Equal("new lanes", first.QuerySelector(".comment-content strong")!.TextContent);
        Assert.Equal("https://example.net/photos", first.QuerySelector(".comment-content a")!.GetAttribute("href"));
        Assert.Equal("https://ann.example.net/", first.QuerySelector(".comment-author a")!.GetAttribute("href"));
        Assert.Null(Comment(page, "Björn Ström").QuerySelector(".comment-author a[href^='javascript']"));
        Assert.Empty(page.QuerySelectorAll(".comment-content script"));

        foreach (var hidden in new[] { "Awaiting moderation text", "Buy spam text", "Trashed comment text", "the bridge reopened" })
        {
            Assert.DoesNotContain(hidden, html, StringComparison.Ordinal);
        }

        foreach (var email in new[] { "ann.reader@example.net", "bjorn@example.se", "early@example.com", "@example" })
        {
            Assert.DoesNotContain(email, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ImportedItems_KeepStatusesDatesFeaturedImageAndCommentData()
    {
        var (articles, comments, bridgeCount) = await SiteDatabase.ReadAsync(gazette.Database, async db => (
            await db.Articles.AsNoTracking().Include(a => a.Section).ToDictionaryAsync(a => a.Headline),
            await db.Comments.AsNoTracking().ToDictionaryAsync(c => c.BodyText),
            await db.Articles.Where(a => a.Slug == "harbour-bridge-reopens").Select(a => a.CommentCount).SingleAsync()));

        Assert.Equal(ArticleStatus.Draft, articles["Draft: Council Budget Leak"].Status);
        Assert.Null(articles["Draft: Council Budget Leak"].PublishedAt);
        Assert.Equal("draft-council-budget-leak", articles["Draft: Council Budget Leak"].Slug); // no post_name: from the title
        Assert.Equal(ArticleStatus.Scheduled, articles["Ferry Timetable for 2031"].Status);
        Assert.Equal(new DateTime(2031, 1, 1, 8, 0, 0, DateTimeKind.Utc), articles["Ferry Timetable for 2031"].PublishedAt);
        Assert.Equal(ArticleStatus.PendingReview, articles["Harbour Master Retires"].Status);
        Assert.Equal(ArticleStatus.Unpublished, articles["Staff Notes on the Regatta"].Status);
        Assert.Equal("Pages", articles["About the Gazette"].Section!.Name);
        Assert.False(articles["About the Gazette"].CommentsOpen);
        Assert.DoesNotContain("Binned Story", articles.Keys);
        Assert.DoesNotContain("Auto Draft", articles.Keys);
        Assert.DoesNotContain("Home", articles.Keys);

        var bridge = articles["Harbour Bridge Reopens After Two-Year Refit"];
        Assert.Equal(new DateTime(2024, 5, 14, 7, 30, 0, DateTimeKind.Utc), bridge.PublishedAt); // wp:post_date_gmt
        Assert.Equal("https://gazette.example.org/wp-content/uploads/2024/05/bridge.jpg", bridge.FeaturedImagePath);
        Assert.Equal("Harbour Bridge lit up at dawn", bridge.FeaturedImageAlt);
        Assert.Equal("The Harbour Bridge at dawn, after the refit.", bridge.FeaturedImageCaption);
        Assert.Equal(6, bridgeCount);

        Assert.Equal(CommentStatus.Pending, comments["Awaiting moderation text."].Status);
        Assert.Equal(CommentStatus.Spam, comments["Buy spam text now."].Status);
        Assert.Equal(CommentStatus.Trash, comments["Trashed comment text."].Status);
        var ann = comments.Values.First(c => c.AuthorName == "Ann Reader" && c.ParentId == null);
        Assert.Equal("ann.reader@example.net", ann.AuthorEmail);
        Assert.Equal("203.0.113.0", ann.IpPrefix); // truncated on import
        Assert.Equal(new DateTime(2024, 5, 14, 8, 2, 0, DateTimeKind.Utc), ann.CreatedAt);
        var bjorn = comments.Values.Single(c => c.AuthorName == "Björn Ström");
        Assert.Equal("2001:db8:85a3::", bjorn.IpPrefix);
        var deepest = comments.Values.Single(c => c.BodyText.StartsWith("Yes, from 6 a.m.", StringComparison.Ordinal));
        Assert.Equal((2, ann.Id, bjorn.Id), (deepest.Depth, deepest.ThreadRootId, deepest.ParentId));
        // Derived the same way as a comment posted on the site: same avatar for the same email.
        Assert.Equal(ann.AvatarKey, deepest.AvatarKey);
        Assert.Matches("^[0-9a-f]{32}$", ann.Fingerprint);
    }

    [Theory]
    [InlineData("/?p=101", BridgePath)]
    [InlineData("/?page_id=102", "/2024/01/01/about")]
    [InlineData("/index.php?p=110", "/2024/06/02/lighthouse-keepers-diary-storm-night")]
    [InlineData("/2024/05/14/harbour-bridge-reopens/", BridgePath)]
    [InlineData("/harbour-bridge-reopens/", BridgePath)]
    [InlineData("/about/", "/2024/01/01/about")]
    [InlineData("/about", "/2024/01/01/about")]
    public async Task WordPressLinks_AnswerPermanentRedirects_ToTheNewAddress(string wordPressUrl, string expected)
    {
        var response = await gazette.Site.CreateReader().GetAsync(wordPressUrl);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/?p=103", HttpStatusCode.OK)] // a draft: no address to send readers to; the front page as usual
    [InlineData("/harbour-master-retires/", HttpStatusCode.NotFound)] // pending review, not public
    [InlineData("/no-such-post/", HttpStatusCode.NotFound)]
    public async Task WordPressLinks_OfUnpublishedOrUnknownPosts_DoNotRedirect(string wordPressUrl, HttpStatusCode expected)
    {
        var response = await gazette.Site.CreateReader().GetAsync(wordPressUrl);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task ImportedPage_IsInThePagesSection()
    {
        var section = await gazette.Site.GetDocumentAsync("/section/pages");

        Assert.Contains(section.QuerySelectorAll(".article-list-headline"), h => h.TextContent == "About the Gazette");
    }

    private static IElement Comment(IDocument page, string author) => page.QuerySelectorAll(".comment").First(c => Author(c) == author);

    private static string Author(IElement comment) => comment.QuerySelector(":scope > .comment-body .comment-author")!.TextContent.Trim();

    private static string? ParentAuthor(IElement comment) =>
        comment.ParentElement is { LocalName: "ol" } list && list.ClassList.Contains("children") ? Author(list.ParentElement!) : null;
}

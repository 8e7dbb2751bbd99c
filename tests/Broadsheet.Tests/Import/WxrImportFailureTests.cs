using System.Xml;
using System.Xml.Linq;
using Broadsheet.Articles.Seeding;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Import;

/// <summary>Imports that repeat, add, fail or round-trip; each test on a database of its own, through the real CLI.</summary>
public sealed class WxrImportFailureTests : IDisposable
{
    private readonly TestDatabase _database = TestDatabase.Create();
    private readonly string _files = TempDirectory.Create("broadsheet-wxr");

    [Fact]
    public async Task ImportWxr_Twice_CreatesNoDuplicates_AndASecondFileAdds()
    {
        var first = await BroadsheetProcess.RunAsync(_database, "import", "wxr", WxrFixture.Path);
        var again = await BroadsheetProcess.RunAsync(_database, "import", "wxr", WxrFixture.Path);
        var counts = await CountsAsync();

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("Already imported before (left as they are): 7 post(s) and page(s), 9 comment(s).", again.Output, StringComparison.Ordinal);
        Assert.Equal((7, 9), counts);

        // A later export of the same blog: one new post, and a new reply to an imported comment.
        var later = Write("later.xml", WxrFixture.Export("https://gazette.example.org/",
            WxrFixture.Post(101, "Harbour Bridge Reopens After Two-Year Refit", "2024-05-14 07:30:00",
                WxrFixture.Comment(1020, 1001, "Carla Late", "Agreed, a fine refit.", "2024-05-20 09:00:00")),
            WxrFixture.Post(120, "Regatta Returns", "2024-06-10 10:00:00")));
        var added = await BroadsheetProcess.RunAsync(_database, "import", "wxr", later);

        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Equal((8, 10), await CountsAsync());
        var (reply, bridgeCount) = await SiteDatabase.ReadAsync(_database, async db => (
            await db.Comments.AsNoTracking().Include(c => c.Parent).SingleAsync(c => c.AuthorName == "Carla Late"),
            await db.Articles.Where(a => a.Slug == "harbour-bridge-reopens").Select(a => a.CommentCount).SingleAsync()));
        Assert.Equal("Ann Reader", reply.Parent!.AuthorName);
        Assert.Equal(7, bridgeCount);
        await using var app = new ExistingDatabaseFactory(_database);
        var page = await app.GetDocumentAsync("/2024/06/10/regatta-returns");
        Assert.Equal("Regatta Returns", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task ImportWxr_KeepsTwoBlogsApart_WhenTheirIdsClash()
    {
        var one = Write("one.xml", WxrFixture.Export("https://one.example", WxrFixture.Post(5, "First Blog Story", "2024-01-02 10:00:00")));
        var two = Write("two.xml", WxrFixture.Export("https://two.example", WxrFixture.Post(5, "Second Blog Story", "2024-01-03 10:00:00")));

        Assert.Equal(0, (await BroadsheetProcess.RunAsync(_database, "import", "wxr", one)).ExitCode);
        Assert.Equal(0, (await BroadsheetProcess.RunAsync(_database, "import", "wxr", two)).ExitCode);

        var headlines = await SiteDatabase.ReadAsync(_database, db => db.Articles.Select(a => a.Headline).ToListAsync());
        Assert.Contains("First Blog Story", headlines);
        Assert.Contains("Second Blog Story", headlines);
    }

    [Fact]
    public async Task ImportWxr_StoresNothing_WhenAnItemIsBad_AndNamesItsLine()
    {
        var xml = BadFixture();
        var file = Write("bad.xml", xml);

        var result = await BroadsheetProcess.RunAsync(_database, "import", "wxr", file);

        Assert.Equal(1, result.ExitCode);
        var itemLine = WxrFixture.ItemLine(xml, "<wp:post_id>105</wp:post_id>");
        var commentLine = WxrFixture.CommentLine(xml, "<wp:comment_id>1004</wp:comment_id>");
        Assert.Contains($"error: line {itemLine}: item \"Harbour Master Retires\" (wp:post_id 105) has wp:status 'archived'", result.Error, StringComparison.Ordinal);
        Assert.Contains($"error: line {commentLine}: comment 1004 has no usable date", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", result.Error, StringComparison.Ordinal);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task ImportWxr_WithSkipInvalid_ImportsTheRest_AndListsTheBadOnes()
    {
        var xml = BadFixture();
        var file = Write("bad.xml", xml);

        var result = await BroadsheetProcess.RunAsync(_database, "import", "wxr", file, "--skip-invalid");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"error: line {WxrFixture.ItemLine(xml, "<wp:post_id>105</wp:post_id>")}:", result.Error, StringComparison.Ordinal);
        Assert.Contains("Skipped 2 invalid item(s) or comment(s)", result.Output, StringComparison.Ordinal);
        var (headlines, comments) = await SiteDatabase.ReadAsync(_database, async db => (
            await db.Articles.Where(a => a.Slug != SampleArticleSeeder.Slug).Select(a => a.Headline).ToListAsync(),
            await db.Comments.Select(c => c.BodyText).ToListAsync()));
        Assert.Equal(6, headlines.Count);
        Assert.DoesNotContain("Harbour Master Retires", headlines);
        Assert.Equal(8, comments.Count);
        Assert.DoesNotContain("Awaiting moderation text.", comments);
    }

    [Theory]
    [InlineData("truncated", "the file is not well-formed XML at line")]
    [InlineData("not-wxr", "this is not a WordPress export (WXR)")]
    public async Task ImportWxr_RefusesAFileThatIsNotAWordPressExport(string kind, string message)
    {
        var text = WxrFixture.Text;
        var file = Write("broken.xml", kind == "truncated"
            ? text[..text.IndexOf("<wp:comment_id>1005", StringComparison.Ordinal)] + "<wp:comment_id>1005</wp:comment_author>"
            : "<?xml version=\"1.0\"?><html><body>Not an export</body></html>");

        var result = await BroadsheetProcess.RunAsync(_database, "import", "wxr", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported.", result.Error, StringComparison.Ordinal);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task ExportWxr_WritesAWordPressExport_WithAuthorsTermsPostsAndComments()
    {
        Assert.Equal(0, (await BroadsheetProcess.RunAsync(_database, "import", "wxr", WxrFixture.Path)).ExitCode);
        var file = Path.Combine(_files, "export.xml");

        var result = await BroadsheetProcess.RunAsync(_database, "export", "wxr", file);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Exported 7 article(s) and 9 comment(s)", result.Output, StringComparison.Ordinal);
        // Without a public address the links name localhost: the command says so rather than leaving it to be found later.
        Assert.Contains("warning: Broadsheet:Site:PublicUrl is not set", result.Error, StringComparison.Ordinal);
        using (var reader = XmlReader.Create(file, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }))
        {
            while (reader.Read())
            {
                // Reads to the end: the file is well-formed XML.
            }
        }

        var document = XDocument.Load(file);
        XNamespace wp = "http://wordpress.org/export/1.2/";
        XNamespace content = "http://purl.org/rss/1.0/modules/content/";
        XNamespace excerpt = "http://wordpress.org/export/1.2/excerpt/";
        XNamespace dc = "http://purl.org/dc/elements/1.1/";
        var rss = document.Root!;
        Assert.Equal("rss", rss.Name.LocalName);
        Assert.Equal("2.0", (string?)rss.Attribute("version"));
        Assert.Equal(wp.NamespaceName, rss.GetNamespaceOfPrefix("wp")!.NamespaceName);
        Assert.Equal(content.NamespaceName, rss.GetNamespaceOfPrefix("content")!.NamespaceName);
        Assert.Equal(excerpt.NamespaceName, rss.GetNamespaceOfPrefix("excerpt")!.NamespaceName);
        Assert.Equal(dc.NamespaceName, rss.GetNamespaceOfPrefix("dc")!.NamespaceName);
        var channel = rss.Element("channel")!;
        Assert.Equal("1.2", channel.Element(wp + "wxr_version")!.Value);
        Assert.Contains(channel.Elements(wp + "author"), a => a.Element(wp + "author_display_name")!.Value == "María Gómez");
        Assert.Contains(channel.Elements(wp + "category"), c => c.Element(wp + "cat_name")!.Value == "Waterfront");
        Assert.Contains(channel.Elements(wp + "tag"), t => t.Element(wp + "tag_slug")!.Value == "bridges");

        var items = channel.Elements("item").ToList();
        Assert.Equal(new[] { "attachment", "page", "post", "post", "post", "post", "post", "post" },
            items.Select(i => i.Element(wp + "post_type")!.Value).Order().ToArray());
        var bridge = items.Single(i => i.Element("title")!.Value == "Harbour Bridge Reopens After Two-Year Refit");
        Assert.Equal("publish", bridge.Element(wp + "status")!.Value);
        Assert.Equal("harbour-bridge-reopens", bridge.Element(wp + "post_name")!.Value);
        Assert.Equal("2024-05-14 07:30:00", bridge.Element(wp + "post_date_gmt")!.Value);
        Assert.Equal("maria-gomez", bridge.Element(dc + "creator")!.Value);
        Assert.Contains("<h2>What changed</h2>", bridge.Element(content + "encoded")!.Value, StringComparison.Ordinal);
        Assert.Equal("The crossing is open again, with cycle lanes & a wider footpath.", bridge.Element(excerpt + "encoded")!.Value);
        Assert.Contains(bridge.Elements("category"), c => (string?)c.Attribute("domain") == "category" && c.Value == "Waterfront");
        Assert.Contains(bridge.Elements("category"), c => (string?)c.Attribute("domain") == "post_tag" && (string?)c.Attribute("nicename") == "transport");
        var thumbnail = bridge.Elements(wp + "postmeta").Single(m => m.Element(wp + "meta_key")!.Value == "_thumbnail_id").Element(wp + "meta_value")!.Value;
        var attachment = items.Single(i => i.Element(wp + "post_id")!.Value == thumbnail);
        Assert.Equal("https://gazette.example.org/wp-content/uploads/2024/05/bridge.jpg", attachment.Element(wp + "attachment_url")!.Value);

        var comments = bridge.Elements(wp + "comment").ToList();
        Assert.Equal(9, comments.Count);
        var ann = comments.First(c => c.Element(wp + "comment_author")!.Value == "Ann Reader");
        Assert.Equal("ann.reader@example.net", ann.Element(wp + "comment_author_email")!.Value); // a staff export keeps emails
        Assert.Equal("203.0.113.0", ann.Element(wp + "comment_author_IP")!.Value);
        Assert.Equal(["0", "1", "spam", "trash"], comments.Select(c => c.Element(wp + "comment_approved")!.Value).Distinct().Order());
        var reply = comments.Single(c => c.Element(wp + "comment_author")!.Value == "Björn Ström");
        Assert.Equal(ann.Element(wp + "comment_id")!.Value, reply.Element(wp + "comment_parent")!.Value);
        Assert.Contains("<![CDATA[", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportThenImport_IntoAFreshSite_ReproducesArticlesAndComments()
    {
        Assert.Equal(0, (await BroadsheetProcess.RunAsync(_database, "import", "wxr", WxrFixture.Path)).ExitCode);
        var file = Path.Combine(_files, "export.xml");
        Assert.Equal(0, (await BroadsheetProcess.RunAsync(_database, "export", "wxr", file)).ExitCode);
        using var fresh = TestDatabase.Create();

        var result = await BroadsheetProcess.RunAsync(fresh, "import", "wxr", file);

        Assert.True(result.ExitCode == 0, result.Error);
        var before = await SnapshotAsync(_database);
        var after = await SnapshotAsync(fresh);
        Assert.Equal(before.Articles, after.Articles);
        Assert.Equal(before.Comments, after.Comments);
    }

    private async Task<(int Articles, int Comments)> CountsAsync() =>
        await SiteDatabase.ReadAsync(_database, async db => (await db.Articles.CountAsync(a => a.Slug != SampleArticleSeeder.Slug), await db.Comments.CountAsync()));

    private static Task<(List<string> Articles, List<string> Comments)> SnapshotAsync(TestDatabase database) =>
        SiteDatabase.ReadAsync(database, async db =>
        {
            var articles = await db.Articles.AsNoTracking()
                .Where(a => a.Slug != SampleArticleSeeder.Slug)
                .Select(a => new
                {
                    a.Slug, a.Headline, a.Dek, a.Status, a.PublishedAt, a.BodyHtml, a.CommentsOpen, a.CommentCount,
                    a.FeaturedImagePath, a.FeaturedImageAlt, a.FeaturedImageCaption,
                    Section = a.Section!.Name,
                    Authors = a.Bylines.OrderBy(b => b.Position).Select(b => b.Author!.Name).ToList(),
                    Tags = a.Tags.OrderBy(t => t.Name).Select(t => t.Name).ToList(),
                })
                .ToListAsync();
            var comments = await db.Comments.AsNoTracking()
                .Select(c => new { Article = c.Article!.Slug, c.AuthorName, c.AuthorEmail, c.AuthorUrl, c.IpPrefix, c.BodyHtml, c.Status, c.CreatedAt, c.Depth, Parent = c.Parent!.AuthorName })
                .ToListAsync();
            return (
                articles.Select(a => $"{a.Slug}|{a.Headline}|{a.Dek}|{a.Status}|{a.PublishedAt:O}|{a.BodyHtml}|{a.CommentsOpen}|{a.CommentCount}|{a.FeaturedImagePath}|{a.FeaturedImageAlt}|{a.FeaturedImageCaption}|{a.Section}|{string.Join(",", a.Authors)}|{string.Join(",", a.Tags)}").Order().ToList(),
                comments.Select(c => $"{c.Article}|{c.AuthorName}|{c.AuthorEmail}|{c.AuthorUrl}|{c.IpPrefix}|{c.BodyHtml}|{c.Status}|{c.CreatedAt:O}|{c.Depth}|{c.Parent}").Order().ToList());
        });

    /// <summary>The fixture with one bad post (unknown status) and one bad comment (no date).</summary>
    private static string BadFixture()
    {
        var xml = WxrFixture.Text.Replace("<wp:status><![CDATA[pending]]></wp:status>", "<wp:status><![CDATA[archived]]></wp:status>", StringComparison.Ordinal);
        var comment = xml.IndexOf("<wp:comment_id>1004</wp:comment_id>", StringComparison.Ordinal);
        var end = xml.IndexOf("</wp:comment>", comment, StringComparison.Ordinal);
        var fixedPart = xml[comment..end]
            .Replace("2024-05-14 11:00:00", "yesterday", StringComparison.Ordinal)
            .Replace("2024-05-14 09:00:00", "", StringComparison.Ordinal);
        return xml[..comment] + fixedPart + xml[end..];
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_files, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        _database.Dispose();
        TempDirectory.Delete(_files);
    }
}

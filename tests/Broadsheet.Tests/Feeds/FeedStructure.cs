using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Broadsheet.Tests.Feeds;

/// <summary>
/// The rules of RSS 2.0 and Atom 1.0 that a feed reader relies on, checked element by element, and
/// validation against the small schemas in TestData (the parts of each format the site uses).
/// </summary>
public static partial class FeedStructure
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private static readonly string[] ChannelElements =
        ["title", "link", "description", "language", "copyright", "managingEditor", "webMaster", "pubDate", "lastBuildDate",
         "category", "generator", "docs", "cloud", "ttl", "image", "rating", "textInput", "skipHours", "skipDays", "item"];

    private static readonly string[] ItemElements =
        ["title", "link", "description", "author", "category", "comments", "enclosure", "guid", "pubDate", "source"];

    public static void AssertRss20(XDocument feed)
    {
        var rss = feed.Root!;
        Assert.Equal(XName.Get("rss"), rss.Name);
        Assert.Equal("2.0", rss.Attribute("version")?.Value);
        var channel = Assert.Single(rss.Elements(), e => e.Name.Namespace == XNamespace.None);
        Assert.Equal("channel", channel.Name.LocalName);

        AssertKnownAndSingle(channel, ChannelElements, repeatable: ["category", "item"]);
        Assert.NotEmpty(channel.Element("title")!.Value);
        AssertHttpUrl(channel.Element("link")!.Value);
        Assert.NotNull(channel.Element("description"));
        foreach (var date in channel.Elements().Where(e => e.Name.LocalName is "pubDate" or "lastBuildDate"))
        {
            AssertRfc822(date.Value);
        }

        var items = channel.Elements("item").ToList();
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            AssertKnownAndSingle(item, ItemElements, repeatable: ["category"]);
            Assert.True(item.Element("title") is not null || item.Element("description") is not null, "An item needs a title or a description.");
            AssertHttpUrl(item.Element("link")!.Value);
            if (item.Element("guid") is { } guid)
            {
                Assert.NotEmpty(guid.Value);
                // isPermaLink defaults to true, and then the guid must be the item's URL.
                if (guid.Attribute("isPermaLink")?.Value is null or "true")
                {
                    AssertHttpUrl(guid.Value);
                }
                else
                {
                    Assert.Equal("false", guid.Attribute("isPermaLink")!.Value);
                }
            }

            if (item.Element("pubDate") is { } published)
            {
                AssertRfc822(published.Value);
            }

            if (item.Element("author") is { } author)
            {
                // RSS's <author> is an email address: the site must never write one.
                Assert.Fail($"An item has an RSS <author> ({author.Value}); names belong in atom:author.");
            }

            foreach (var enclosure in item.Elements("enclosure"))
            {
                AssertHttpUrl(enclosure.Attribute("url")!.Value);
                Assert.True(long.TryParse(enclosure.Attribute("length")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out _), "enclosure length");
                Assert.Matches(MediaType(), enclosure.Attribute("type")?.Value ?? "");
            }
        }
    }

    public static void AssertAtom10(XDocument feed)
    {
        var root = feed.Root!;
        Assert.Equal(Atom + "feed", root.Name);
        AssertAtomMetadata(root);
        var feedHasAuthor = root.Elements(Atom + "author").Any();
        Assert.Contains(root.Elements(Atom + "link"), l => l.Attribute("rel")?.Value == "self");

        var entries = root.Elements(Atom + "entry").ToList();
        Assert.NotEmpty(entries);
        foreach (var entry in entries)
        {
            AssertAtomMetadata(entry);
            Assert.True(feedHasAuthor || entry.Elements(Atom + "author").Any(a => !string.IsNullOrWhiteSpace(a.Element(Atom + "name")?.Value)),
                "Each entry needs an author with a name when the feed has none.");
            Assert.True(entry.Element(Atom + "content") is not null
                || entry.Elements(Atom + "link").Any(l => (l.Attribute("rel")?.Value ?? "alternate") == "alternate"),
                "An entry without content needs an alternate link.");
            Assert.True(entry.Elements(Atom + "published").Count() <= 1);
            foreach (var published in entry.Elements(Atom + "published"))
            {
                AssertRfc3339(published.Value);
            }

            foreach (var enclosure in entry.Elements(Atom + "link").Where(l => l.Attribute("rel")?.Value == "enclosure"))
            {
                Assert.Matches(MediaType(), enclosure.Attribute("type")?.Value ?? "");
            }
        }
    }

    /// <summary>Validates <paramref name="feed"/> against a schema in TestData; every error and warning fails the test.</summary>
    public static void AssertValid(XDocument feed, string schemaFile)
    {
        var schemas = new XmlSchemaSet();
        using (var reader = XmlReader.Create(Path.Combine(AppContext.BaseDirectory, "TestData", schemaFile)))
        {
            schemas.Add(null, reader);
        }

        var problems = new List<string>();
        feed.Validate(schemas, (_, e) => problems.Add($"{e.Severity}: {e.Message}"));
        Assert.Empty(problems);
    }

    /// <summary>id, title and updated exactly once (feed and entry alike), the id an absolute IRI, every link's href absolute.</summary>
    private static void AssertAtomMetadata(XElement element)
    {
        var id = Assert.Single(element.Elements(Atom + "id")).Value;
        Assert.True(Uri.TryCreate(id, UriKind.Absolute, out _), $"atom:id {id} is not an absolute IRI");
        Assert.NotEmpty(Assert.Single(element.Elements(Atom + "title")).Value);
        AssertRfc3339(Assert.Single(element.Elements(Atom + "updated")).Value);
        foreach (var link in element.Elements(Atom + "link"))
        {
            AssertHttpUrl(link.Attribute("href")!.Value);
        }
    }

    private static void AssertKnownAndSingle(XElement parent, string[] known, string[] repeatable)
    {
        var plain = parent.Elements().Where(e => e.Name.Namespace == XNamespace.None).ToList();
        Assert.All(plain, e => Assert.Contains(e.Name.LocalName, known));
        Assert.All(plain.GroupBy(e => e.Name.LocalName).Where(g => !repeatable.Contains(g.Key)), g => Assert.Single(g));
    }

    private static void AssertHttpUrl(string value) =>
        Assert.True(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https", $"{value} is not an absolute http(s) URL");

    /// <summary>RFC 822 (with RFC 1123's four-digit year), and a weekday that matches the date.</summary>
    private static void AssertRfc822(string value)
    {
        var match = Rfc822().Match(value);
        Assert.True(match.Success, $"{value} is not an RFC 822 date");
        var zone = match.Groups["zone"].Value is "Z" or "UT" or "GMT" ? "+0000" : match.Groups["zone"].Value;
        var date = DateTimeOffset.ParseExact(
            $"{match.Groups["date"].Value} {zone.Insert(3, ":")}", ["d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz"], CultureInfo.InvariantCulture, DateTimeStyles.None);
        if (match.Groups["weekday"].Success)
        {
            Assert.Equal(date.ToString("ddd", CultureInfo.InvariantCulture), match.Groups["weekday"].Value);
        }
    }

    private static void AssertRfc3339(string value)
    {
        Assert.Matches(Rfc3339(), value);
        Assert.True(DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _), value);
    }

    [GeneratedRegex(@"^(?:(?<weekday>Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(?<date>\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}(?::\d{2})?) (?<zone>UT|GMT|Z|[+-]\d{4})$")]
    private static partial Regex Rfc822();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^[a-z]+/[a-z0-9.+-]+$")]
    private static partial Regex MediaType();
}

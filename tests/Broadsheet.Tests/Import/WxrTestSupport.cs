using Broadsheet.Infrastructure.Data;
using Broadsheet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Import;

/// <summary>The hand-written WordPress export under TestData, and small helpers to vary it.</summary>
public static class WxrFixture
{
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "wordpress-export.xml");

    public static string Text => File.ReadAllText(Path);

    /// <summary>The 1-based line of the <c>&lt;item&gt;</c> that contains <paramref name="marker"/>.</summary>
    public static int ItemLine(string xml, string marker) => LineOfEnclosing(xml, marker, "<item>");

    /// <summary>The 1-based line of the <c>&lt;wp:comment&gt;</c> that contains <paramref name="marker"/>.</summary>
    public static int CommentLine(string xml, string marker) => LineOfEnclosing(xml, marker, "<wp:comment>");

    /// <summary>A minimal WXR 1.2 file from <paramref name="site"/> around the given items.</summary>
    public static string Export(string site, params string[] items) => $"""
        <?xml version="1.0" encoding="UTF-8" ?>
        <rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
          xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
        <channel>
        <title>Test blog</title>
        <wp:wxr_version>1.2</wp:wxr_version>
        <wp:base_site_url>{site}</wp:base_site_url>
        {string.Join("\n", items)}
        </channel>
        </rss>
        """;

    public static string Post(int id, string title, string date, string comments = "") => $"""
        <item>
          <title><![CDATA[{title}]]></title>
          <dc:creator><![CDATA[mgomez]]></dc:creator>
          <content:encoded><![CDATA[<p>{title}: the story.</p>]]></content:encoded>
          <excerpt:encoded><![CDATA[]]></excerpt:encoded>
          <wp:post_id>{id}</wp:post_id>
          <wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>
          <wp:post_name><![CDATA[]]></wp:post_name>
          <wp:status><![CDATA[publish]]></wp:status>
          <wp:post_type><![CDATA[post]]></wp:post_type>
          {comments}
        </item>
        """;

    public static string Comment(int id, int parent, string author, string text, string date) => $"""
        <wp:comment>
          <wp:comment_id>{id}</wp:comment_id>
          <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
          <wp:comment_author_email><![CDATA[{author.Replace(' ', '.').ToLowerInvariant()}@example.com]]></wp:comment_author_email>
          <wp:comment_date_gmt><![CDATA[{date}]]></wp:comment_date_gmt>
          <wp:comment_content><![CDATA[{text}]]></wp:comment_content>
          <wp:comment_approved><![CDATA[1]]></wp:comment_approved>
          <wp:comment_parent>{parent}</wp:comment_parent>
        </wp:comment>
        """;

    private static int LineOfEnclosing(string xml, string marker, string opening)
    {
        var at = xml.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"marker {marker} not in the fixture");
        var start = xml.LastIndexOf(opening, at, StringComparison.Ordinal);
        return xml.AsSpan(0, start).Count('\n') + 1;
    }
}

/// <summary>Reads what an import stored, straight from the database the site runs on.</summary>
public static class SiteDatabase
{
    public static async Task<T> ReadAsync<T>(TestDatabase database, Func<BroadsheetDbContext, Task<T>> read)
    {
        await using var app = new ExistingDatabaseFactory(database);
        await using var scope = app.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>());
    }
}

using System.Collections.Concurrent;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Broadsheet.Tests.Infrastructure;
using Broadsheet.Tests.Media;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Broadsheet.Tests.Import;

/// <summary>
/// <c>import wxr --fetch-images</c> through the real CLI, against a real web server on loopback
/// standing in for the old WordPress blog: its images end up in data/media and are served from /media/.
/// </summary>
public sealed class WxrFeaturedImageTests : IAsyncLifetime
{
    private readonly TestDatabase _database = TestDatabase.Create();
    private readonly string _files = TempDirectory.Create("broadsheet-wxr-images");
    private readonly OldBlog _blog = new();

    public Task InitializeAsync() => _blog.StartAsync();

    public async Task DisposeAsync()
    {
        await _blog.DisposeAsync();
        _database.Dispose();
        TempDirectory.Delete(_files);
    }

    [Fact]
    public async Task FetchImages_ServesTheFeaturedImageFromMedia_WithTheSameBytes()
    {
        var file = Write(Export(
            Attachment(201, _blog.Url("bridge.jpg"), "The bridge at dawn"),
            PostWithImage(101, "Bridge Reopens", 201),
            PostWithImage(102, "Bridge Traffic Returns", 201)));

        var import = await BroadsheetProcess.RunAsync(_database, "import", "wxr", file, "--fetch-images");

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("Featured images copied into the media library: 2.", import.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", import.Error, StringComparison.Ordinal);
        var path = await FeaturedImageOfAsync("Bridge Reopens");
        Assert.Matches("^/media/[0-9a-f]{64}\\.jpg$", path);
        Assert.Equal(path, await FeaturedImageOfAsync("Bridge Traffic Returns"));
        Assert.Equal(1, _blog.Requests("bridge.jpg")); // one address, fetched once

        await using var site = new ExistingDatabaseFactory(_database);
        var page = await site.GetDocumentAsync("/2024/05/14/bridge-reopens");
        var image = page.QuerySelector<IHtmlImageElement>("article figure.featured-image img")!;
        Assert.Equal(path, image.GetAttribute("src"));
        Assert.Equal("The bridge at dawn", image.GetAttribute("alt"));
        var served = await site.CreateReader().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal(_blog.Bridge, await served.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task FetchImages_WarnsForEachImageThatFails_AndImportsEveryArticle()
    {
        var xml = Export(
            Attachment(201, _blog.Url("missing.jpg"), "Gone"),
            Attachment(202, _blog.Url("page.jpg"), "A web page"),
            Attachment(203, _blog.Url("text.png"), "Text dressed as a picture"),
            Attachment(204, _blog.Url("huge.jpg"), "Too many bytes"),
            Attachment(205, _blog.Url("slow.jpg"), "Never arrives"),
            PostWithImage(101, "Missing Image", 201),
            PostWithImage(102, "Page Instead Of Image", 202),
            PostWithImage(103, "Text Instead Of Image", 203),
            PostWithImage(104, "Huge Image", 204),
            PostWithImage(105, "Slow Image", 205));
        var file = Write(xml);

        var import = await BroadsheetProcess.RunAsync(_database, new Dictionary<string, string> { ["Broadsheet__Media__MaxImageBytes"] = "2048" },
            "import", "wxr", file, "--fetch-images", "--image-timeout", "2");

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("Imported from https://old-blog.example: 5 post(s), 0 page(s), 0 comment(s).", import.Output, StringComparison.Ordinal);
        Assert.Contains("Featured images that could not be fetched (warnings above): 5;", import.Output, StringComparison.Ordinal);
        var warnings = import.Error.Split('\n').Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith($"warning: line {WxrFixture.ItemLine(xml, "<wp:post_id>101<")}: the featured image of \"Missing Image\"", StringComparison.Ordinal)
            && w.Contains("the server answered 404 Not Found.", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("\"Page Instead Of Image\"", StringComparison.Ordinal) && w.Contains("the server sent text/html, not an image.", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("\"Text Instead Of Image\"", StringComparison.Ordinal) && w.Contains("it is not a JPEG, PNG, WebP or GIF image", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("\"Huge Image\"", StringComparison.Ordinal) && w.Contains("it is 4,096 bytes, over the limit of 2,048 bytes", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("\"Slow Image\"", StringComparison.Ordinal) && w.Contains("no complete answer within 2 s (--image-timeout).", StringComparison.Ordinal));

        // Each article is there, still pointing at the old address, and nothing reached the media folder.
        Assert.Equal(_blog.Url("missing.jpg"), await FeaturedImageOfAsync("Missing Image"));
        Assert.Equal(_blog.Url("slow.jpg"), await FeaturedImageOfAsync("Slow Image"));
        var media = Path.Combine(_database.DataDirectory, "media");
        Assert.Empty(Directory.Exists(media) ? Directory.GetFiles(media) : []);
    }

    [Fact]
    public async Task WithoutFetchImages_TheSummaryCountsImagesLeftElsewhere_AndALaterRunWithItFetchesThem()
    {
        var file = Write(Export(
            Attachment(201, _blog.Url("bridge.jpg"), "The bridge at dawn"),
            PostWithImage(101, "Bridge Reopens", 201)));

        var plain = await BroadsheetProcess.RunAsync(_database, "import", "wxr", file);

        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.Contains("Featured images left at the old blog's address, which pages do not show: 1. Run the import again with --fetch-images to copy them here.",
            plain.Output, StringComparison.Ordinal);
        Assert.Equal(_blog.Url("bridge.jpg"), await FeaturedImageOfAsync("Bridge Reopens"));
        Assert.Equal(0, _blog.Requests("bridge.jpg"));

        var again = await BroadsheetProcess.RunAsync(_database, "import", "wxr", file, "--fetch-images");

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("Already imported before (left as they are): 1 post(s) and page(s), 0 comment(s).", again.Output, StringComparison.Ordinal);
        Assert.Contains("Featured images copied into the media library: 1.", again.Output, StringComparison.Ordinal);
        var path = await FeaturedImageOfAsync("Bridge Reopens");
        Assert.Matches("^/media/[0-9a-f]{64}\\.jpg$", path);
        await using var site = new ExistingDatabaseFactory(_database);
        Assert.Equal(_blog.Bridge, await site.CreateReader().GetByteArrayAsync(path));
    }

    [Fact]
    public async Task FetchImages_CopiesTheImagesInsideAPost_AndSaysWhichCouldNotBe()
    {
        var bridge = _blog.Url("bridge.jpg");
        var file = Write(Export(PostWithBody(103, "Harbour Gallery", $"""
            [caption id="attachment_7" align="aligncenter" width="300"]<img class="size-medium" src="{bridge}" alt="The bridge" width="300" height="200" srcset="{bridge} 300w, {bridge}?w=1024 1024w" sizes="(max-width: 300px) 100vw, 300px" /> The bridge at dawn[/caption]

            The harbour, from the old lighthouse. <img src="{_blog.Url("gone.jpg")}" alt="Gone">
            """)));

        var import = await BroadsheetProcess.RunAsync(_database, "import", "wxr", file, "--fetch-images");

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("Images inside articles copied into the media library: 1.", import.Output, StringComparison.Ordinal);
        Assert.Contains("Images inside articles that could not be fetched (warnings above): 1;", import.Output, StringComparison.Ordinal);
        Assert.Contains("an image in \"Harbour Gallery\" (wp:post_id 103) was not fetched from", import.Error, StringComparison.Ordinal);
        await using var site = new ExistingDatabaseFactory(_database);
        var picture = (await site.GetDocumentAsync("/2024/05/14/harbour-gallery")).QuerySelector<IHtmlImageElement>(".article-body figure img")!;
        Assert.Matches("^/media/[0-9a-f]{64}\\.jpg$", picture.GetAttribute("src"));
        Assert.Null(picture.GetAttribute("srcset")); // the other sizes stayed on the old blog
        Assert.Equal("The bridge", picture.GetAttribute("alt"));
        Assert.Equal(_blog.Bridge, await site.CreateReader().GetByteArrayAsync(picture.GetAttribute("src")));
    }

    [Fact]
    public async Task WithoutFetchImages_TheSummaryCountsImagesInsidePostsLeftElsewhere()
    {
        var file = Write(Export(PostWithBody(104, "Harbour Sketches", $"<img src=\"{_blog.Url("bridge.jpg")}\" alt=\"One\"> and <img src='{_blog.Url("bridge.jpg")}' alt='Two'>")));

        var plain = await BroadsheetProcess.RunAsync(_database, "import", "wxr", file);

        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.Contains("Images inside articles left at their old address, which pages do not show: 2.", plain.Output, StringComparison.Ordinal);
        Assert.Equal(0, _blog.Requests("bridge.jpg"));
    }

    private static string PostWithBody(int id, string title, string content) =>
        WxrFixture.Post(id, title, "2024-05-14 07:30:00").Replace($"<p>{title}: the story.</p>", content, StringComparison.Ordinal);

    private Task<string?> FeaturedImageOfAsync(string headline) =>
        SiteDatabase.ReadAsync(_database, db => db.Articles.Where(a => a.Headline == headline).Select(a => a.FeaturedImagePath).SingleAsync());

    private string Write(string xml)
    {
        var path = Path.Combine(_files, $"{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, xml);
        return path;
    }

    private static string Export(params string[] items) => WxrFixture.Export("https://old-blog.example", items);

    private static string PostWithImage(int id, string title, int attachmentId) => WxrFixture.Post(id, title, "2024-05-14 07:30:00", $"""
        <wp:postmeta>
          <wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>
          <wp:meta_value><![CDATA[{attachmentId}]]></wp:meta_value>
        </wp:postmeta>
        """);

    private static string Attachment(int id, string url, string alt) => $"""
        <item>
          <title><![CDATA[image {id}]]></title>
          <wp:post_id>{id}</wp:post_id>
          <wp:post_date_gmt><![CDATA[2024-05-14 07:00:00]]></wp:post_date_gmt>
          <wp:status><![CDATA[inherit]]></wp:status>
          <wp:post_type><![CDATA[attachment]]></wp:post_type>
          <wp:attachment_url><![CDATA[{url}]]></wp:attachment_url>
          <wp:postmeta>
            <wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key>
            <wp:meta_value><![CDATA[{alt}]]></wp:meta_value>
          </wp:postmeta>
        </item>
        """;

    /// <summary>The old blog's upload folder: a real Kestrel server on 127.0.0.1 with a good image and every way of failing.</summary>
    private sealed class OldBlog : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
        private WebApplication? _app;

        public byte[] Bridge { get; } = Images.Jpeg(800, 533);

        public string Url(string name) => $"{_app!.Urls.Single()}/wp-content/uploads/2024/05/{name}";

        public int Requests(string name) => _requests.GetValueOrDefault(name);

        public async Task StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            _app = builder.Build();
            _app.MapGet("/wp-content/uploads/2024/05/{name}", async (string name, HttpContext context) =>
            {
                _requests.AddOrUpdate(name, 1, (_, n) => n + 1);
                switch (name)
                {
                    case "bridge.jpg":
                        return Results.Bytes(Bridge, "image/jpeg");
                    case "page.jpg":
                        return Results.Content("<!DOCTYPE html><title>Not found</title><p>Try our home page.</p>", "text/html");
                    case "text.png":
                        return Results.Bytes("just some text, not a picture"u8.ToArray(), "image/png");
                    case "huge.jpg":
                        var huge = Images.Jpeg(4000, 3000);
                        return Results.Bytes([.. huge, .. new byte[4096 - huge.Length]], "image/jpeg");
                    case "slow.jpg":
                        await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                        return Results.Bytes(Images.Jpeg(10, 10), "image/jpeg");
                    default:
                        return Results.NotFound();
                }
            });
            await _app.StartAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Broadsheet.Accounts;
using Broadsheet.Articles;
using Broadsheet.Tests.Accounts;
using Broadsheet.Tests.Comments;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Media;

/// <summary>
/// The featured image through the real editor form: a multipart POST with the antiforgery token,
/// stored under data/media by content hash, served at /media/{hash}.{ext}, shown on the article page.
/// </summary>
public sealed class FeaturedImageTests(FeaturedImageTests.Factory app) : IClassFixture<FeaturedImageTests.Factory>
{
    private const int MaxBytes = 100 * 1024;

    [Fact]
    public async Task UploadedImage_IsShownOnTheArticle_AndServedWithLongCacheHeaders()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Harbour at dawn");
        var jpeg = Images.Jpeg(640, 480);

        await SaveAsync(editor, "new", Fields(headline, alt: "Fishing boats at the quay", caption: "The quay at 6 a.m. Photo: Desk"), ("holiday photo.JPG", "application/octet-stream", jpeg), "publish");

        var url = await ArticleUrlAsync(headline);
        var page = await app.GetDocumentAsync(url);
        var image = page.QuerySelector<IHtmlImageElement>("article figure.featured-image img")!;
        Assert.Matches("^/media/[0-9a-f]{64}\\.jpg$", image.GetAttribute("src"));
        Assert.Equal("Fishing boats at the quay", image.GetAttribute("alt"));
        Assert.Equal(("640", "480"), (image.GetAttribute("width"), image.GetAttribute("height")));
        Assert.Equal("The quay at 6 a.m. Photo: Desk", page.QuerySelector("article figure.featured-image figcaption")!.TextContent);
        var src = image.GetAttribute("src")!;
        Assert.Equal("http://localhost" + src, page.QuerySelector("meta[property='og:image']")!.GetAttribute("content"));
        Assert.Equal("Fishing boats at the quay", page.QuerySelector("meta[property='og:image:alt']")!.GetAttribute("content"));
        var news = page.QuerySelectorAll("script[type='application/ld+json']").Select(s => JsonDocument.Parse(s.TextContent).RootElement)
            .Single(s => s.GetProperty("@type").GetString() == "NewsArticle");
        Assert.Equal("http://localhost" + src, news.GetProperty("image")[0].GetString());

        var lead = (await app.GetDocumentAsync("/")).QuerySelector<IHtmlImageElement>(".lead-story img.lead-image")!;
        Assert.Equal((src, "Fishing boats at the quay"), (lead.GetAttribute("src"), lead.GetAttribute("alt")));

        var served = await app.CreateReader().GetAsync(src);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", served.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(jpeg, await served.Content.ReadAsByteArrayAsync());
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "media", src["/media/".Length..])));
    }

    [Fact]
    public async Task TheSameFileUploadedTwice_IsStoredOnce_UnderOneUrl()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var png = Images.Png();
        var (first, second) = (Unique.Words("First with the image"), Unique.Words("Second with the image"));

        await SaveAsync(editor, "new", Fields(first, alt: "A dot"), ("a.png", "image/png", png), "publish");
        await SaveAsync(editor, "new", Fields(second, alt: "The same dot"), ("copy-of-a.png", "image/png", png), "publish");

        var paths = await app.WithDbAsync(db => db.Articles.Where(a => a.Headline == first || a.Headline == second).Select(a => a.FeaturedImagePath).ToListAsync());
        Assert.Single(paths.Distinct());
        var name = paths[0]!["/media/".Length..];
        Assert.Equal([name], Directory.GetFiles(Path.Combine(app.DataDirectory, "media"), name[..64] + "*").Select(Path.GetFileName));
    }

    [Fact]
    public async Task AFileIsJudgedByItsContent_NotItsNameOrContentType()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Renamed picture");

        // A PNG called .jpg and sent as image/jpeg is stored and served as the PNG it is.
        await SaveAsync(editor, "new", Fields(headline, alt: "A dot"), ("photo.jpg", "image/jpeg", Images.Png()), "publish");

        var path = await app.WithDbAsync(db => db.Articles.Where(a => a.Headline == headline).Select(a => a.FeaturedImagePath).SingleAsync());
        Assert.EndsWith(".png", path, StringComparison.Ordinal);
        var served = await app.CreateReader().GetAsync(path);
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
    }

    public static TheoryData<string, string, string> NotImages => new()
    {
        { "page.png", "image/png", "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>" },
        { "drawing.gif", "image/gif", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>" },
        { "notes.jpg", "image/jpeg", "just some text, not a picture" },
    };

    [Theory]
    [MemberData(nameof(NotImages))]
    public async Task AFileThatIsNotAnImage_IsRefused_WhateverItsName_AndNothingIsStored(string fileName, string contentType, string content)
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Not a picture");
        var before = MediaFiles();

        var response = await SubmitAsync(editor, "new", Fields(headline, alt: "Something"), (fileName, contentType, Encoding.UTF8.GetBytes(content)), "publish");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await BroadsheetFactory.ParseAsync(response);
        Assert.Contains("is not a JPEG, PNG, WebP or GIF image", page.QuerySelector("[data-valmsg-for='FeaturedImage']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(headline, page.QuerySelector<IHtmlInputElement>("input[name='Edit.Headline']")!.Value);
        Assert.False(await app.WithDbAsync(db => db.Articles.AnyAsync(a => a.Headline == headline)));
        Assert.Equal(before, MediaFiles());
    }

    [Fact]
    public async Task AnImageOverTheLimit_IsRefusedWithTheLimit_AndNothingIsStored()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Huge picture");
        var before = MediaFiles();

        var response = await SubmitAsync(editor, "new", Fields(headline, alt: "A very large dot"), ("big.png", "image/png", Images.Png(padTo: MaxBytes + 1)), "publish");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await BroadsheetFactory.ParseAsync(response);
        Assert.Contains("The image is too large: at most 102,400 bytes", page.QuerySelector("[data-valmsg-for='FeaturedImage']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("A very large dot", page.QuerySelector<IHtmlInputElement>("input[name='Edit.FeaturedImageAlt']")!.Value);
        Assert.False(await app.WithDbAsync(db => db.Articles.AnyAsync(a => a.Headline == headline)));
        Assert.Equal(before, MediaFiles());
    }

    [Fact]
    public async Task AnImageWithoutAltText_IsRefused_KeepingTheTextAndTheUpload_UntilAltTextIsGiven()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("No alt yet");
        var fields = Fields(headline, alt: "  ", caption: "A caption to keep");
        fields["Edit.BodyMarkdown"] = "A body that must *survive* the refusal.";

        var response = await SubmitAsync(editor, "new", fields, ("dot.gif", "image/gif", Images.Gif(3, 2)), "publish");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await BroadsheetFactory.ParseAsync(response);
        Assert.Contains("Please describe the image (alt text)", page.QuerySelector("[data-valmsg-for='Edit.FeaturedImageAlt']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(headline, page.QuerySelector<IHtmlInputElement>("input[name='Edit.Headline']")!.Value);
        Assert.Equal("A body that must *survive* the refusal.", page.QuerySelector<IHtmlTextAreaElement>("textarea[name='Edit.BodyMarkdown']")!.Value);
        Assert.Equal("A caption to keep", page.QuerySelector<IHtmlInputElement>("input[name='Edit.FeaturedImageCaption']")!.Value);
        var pending = page.QuerySelector<IHtmlInputElement>("input[name='Edit.FeaturedImageUpload']")!.Value;
        Assert.Matches("^/media/[0-9a-f]{64}\\.gif$", pending);
        Assert.Equal(pending, page.QuerySelector(".featured-image-preview")!.GetAttribute("src"));
        Assert.False(await app.WithDbAsync(db => db.Articles.AnyAsync(a => a.Headline == headline)));

        // The browser does not send the file again; the form remembers it.
        var saved = await editor.SubmitMultipartAsync(page, "form.article-editor", new Dictionary<string, string> { ["Edit.FeaturedImageAlt"] = "A small dot" }, null, "action", "publish");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var article = await app.WithDbAsync(db => db.Articles.AsNoTracking().SingleAsync(a => a.Headline == headline));
        Assert.Equal((pending, "A small dot", "A caption to keep"), (article.FeaturedImagePath, article.FeaturedImageAlt, article.FeaturedImageCaption));
    }

    [Fact]
    public async Task AForgedPendingUpload_IsRefused()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Forged image");
        var fields = Fields(headline, alt: "Whatever");
        fields["Edit.FeaturedImageUpload"] = "https://evil.example/tracker.png";

        var response = await SubmitAsync(editor, "new", fields, null, "publish");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("could not be found", (await BroadsheetFactory.ParseAsync(response)).QuerySelector("[data-valmsg-for='Edit.FeaturedImageUpload']")!.TextContent, StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.Articles.AnyAsync(a => a.Headline == headline)));
    }

    [Fact]
    public async Task RemovingTheImage_TakesItOffThePage_AndOtherFieldsStillSave()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Picture then none");
        await SaveAsync(editor, "new", Fields(headline, alt: "A dot"), ("dot.png", "image/png", Images.Png()), "publish");
        var url = await ArticleUrlAsync(headline);
        Assert.NotNull((await app.GetDocumentAsync(url)).QuerySelector("article figure.featured-image"));
        var id = await app.WithDbAsync(db => db.Articles.Where(a => a.Headline == headline).Select(a => a.Id).SingleAsync());

        var form = await editor.GetDocumentAsync($"/admin/articles/{id}");
        Assert.Equal("A dot", form.QuerySelector<IHtmlInputElement>("input[name='Edit.FeaturedImageAlt']")!.Value);
        var saved = await editor.SubmitMultipartAsync(form, "form.article-editor",
            new Dictionary<string, string> { ["Edit.RemoveFeaturedImage"] = "true", ["Edit.Dek"] = "Now without a picture" }, null, "action", "save");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = await app.GetDocumentAsync(url);
        Assert.Null(page.QuerySelector("article figure"));
        Assert.Null(page.QuerySelector("meta[property='og:image']"));
        Assert.Equal("Now without a picture", page.QuerySelector(".dek")!.TextContent);
        var article = await app.WithDbAsync(db => db.Articles.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal((null, null), (article.FeaturedImagePath, article.FeaturedImageAlt));
    }

    public static TheoryData<string> NotMediaUrls => new()
    {
        "/media/..%2Fbroadsheet.db",
        "/media/%2e%2e%2f%2e%2e%2fappsettings.json",
        "/media/..%5Cbroadsheet.db",
        "/media/broadsheet.db",
        "/media/" + new string('a', 64) + ".jpg", // the right shape, but no such file
        "/media/" + new string('A', 64) + ".jpg",
        "/media/" + new string('a', 64) + ".html",
        "/media/" + new string('a', 64) + ".jpg.html",
        "/media/" + new string('a', 64) + ".JPG",
        "/media/" + new string('a', 64) + ".svg",
        "/media/.upload-123",
        "/media/planted.txt",
    };

    [Theory]
    [MemberData(nameof(NotMediaUrls))]
    public async Task MediaUrls_ServeNothingButStoredImages(string url)
    {
        // A file beside the images that is not one of them, and the database one folder up.
        Directory.CreateDirectory(Path.Combine(app.DataDirectory, "media"));
        await File.WriteAllTextAsync(Path.Combine(app.DataDirectory, "media", "planted.txt"), "secret");
        await File.WriteAllTextAsync(Path.Combine(app.DataDirectory, "media", new string('a', 64) + ".jpg.html"), "<script>alert(1)</script>");

        var response = await app.CreateReader().GetAsync(url);

        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url} answered {(int)response.StatusCode}");
        Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private string[] MediaFiles()
    {
        var folder = Path.Combine(app.DataDirectory, "media");
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray() : [];
    }

    private static Dictionary<string, string> Fields(string headline, string? alt = null, string? caption = null) => new()
    {
        ["Edit.Headline"] = headline,
        ["Edit.BodyMarkdown"] = "Body.",
        ["Edit.FeaturedImageAlt"] = alt ?? "",
        ["Edit.FeaturedImageCaption"] = caption ?? "",
    };

    private static async Task<HttpResponseMessage> SubmitAsync(
        HttpClient client, string id, Dictionary<string, string> values, (string Name, string ContentType, byte[] Bytes)? file, string action)
    {
        var form = await client.GetDocumentAsync($"/admin/articles/{id}");
        return await client.SubmitMultipartAsync(form, "form.article-editor", values, file, "action", action);
    }

    private static async Task SaveAsync(
        HttpClient client, string id, Dictionary<string, string> values, (string Name, string ContentType, byte[] Bytes)? file, string action)
    {
        var response = await SubmitAsync(client, id, values, file, action);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"{action}: {(int)response.StatusCode} {(await BroadsheetFactory.ParseAsync(response)).QuerySelector(".form-problems, .field-error:not(:empty)")?.TextContent}");
    }

    private Task<string> ArticleUrlAsync(string headline) => app.WithDbAsync(async db =>
    {
        var article = await db.Articles.AsNoTracking().SingleAsync(a => a.Headline == headline);
        return $"/{article.PublishedAt:yyyy}/{article.PublishedAt:MM}/{article.PublishedAt:dd}/{article.Slug}";
    });

    public sealed class Factory : CommentsFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Broadsheet:Media:MaxImageBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

/// <summary>Small images made byte by byte: just the headers the site reads, each with a unique tail so tests never share a file by accident.</summary>
internal static class Images
{
    private static readonly byte[] OnePixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public static byte[] Png(int padTo = 0)
    {
        var bytes = OnePixelPng.Concat(Guid.NewGuid().ToByteArray()).ToList();
        bytes.AddRange(new byte[Math.Max(0, padTo - bytes.Count)]);
        return [.. bytes];
    }

    /// <summary>SOI, an APP0 segment to walk past, and a baseline frame header with the size.</summary>
    public static byte[] Jpeg(int width, int height) =>
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
        0xFF, 0xC0, 0x00, 0x11, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
        .. Guid.NewGuid().ToByteArray(),
        0xFF, 0xD9,
    ];

    public static byte[] Gif(int width, int height) =>
        [.. "GIF89a"u8, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0, 0, 0, .. Guid.NewGuid().ToByteArray(), 0x3B];
}

public static class MultipartForms
{
    /// <summary>
    /// Posts a form as a browser posts a multipart form: every field it has (the antiforgery token
    /// included), some values changed, and at most one file in the form's file input.
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitMultipartAsync(
        this HttpClient client, IDocument page, string formSelector, IDictionary<string, string> values,
        (string Name, string ContentType, byte[] Bytes)? file, string submitName, string submitValue)
    {
        var form = page.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No form {formSelector}.");
        Assert.Equal("multipart/form-data", form.Enctype);
        using var content = new MultipartFormDataContent();
        foreach (var input in form.Elements.OfType<IHtmlInputElement>().Where(i => !string.IsNullOrEmpty(i.Name) && !values.ContainsKey(i.Name!)))
        {
            if (input.Type == "file" || input.Type is "checkbox" or "radio" && !input.IsChecked)
            {
                continue;
            }

            content.Add(new StringContent(input.Value), input.Name!);
        }

        foreach (var textArea in form.Elements.OfType<IHtmlTextAreaElement>().Where(t => !string.IsNullOrEmpty(t.Name) && !values.ContainsKey(t.Name!)))
        {
            content.Add(new StringContent(textArea.Value), textArea.Name!);
        }

        foreach (var (name, value) in values)
        {
            content.Add(new StringContent(value), name);
        }

        content.Add(new StringContent(submitValue), submitName);
        if (file is { } chosen)
        {
            var part = new ByteArrayContent(chosen.Bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(chosen.ContentType);
            content.Add(part, form.QuerySelector<IHtmlInputElement>("input[type=file]")!.Name!, chosen.Name);
        }
        var action = form.GetAttribute("action");
        return await client.PostAsync(string.IsNullOrEmpty(action) ? new Uri(page.Url).PathAndQuery : action, content);
    }
}

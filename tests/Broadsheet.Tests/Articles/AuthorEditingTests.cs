using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Broadsheet.Accounts;
using Broadsheet.Articles;
using Broadsheet.Tests.Accounts;
using Broadsheet.Tests.Comments;
using Broadsheet.Tests.Infrastructure;
using Broadsheet.Tests.Media;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Articles;

/// <summary>Bylines edited through the real form (multipart, antiforgery), and what readers then see on cached pages.</summary>
public sealed class AuthorEditingTests(CommentsFactory app) : IClassFixture<CommentsFactory>
{
    /// <summary>A published article bylined by a new author; the author and the article's address.</summary>
    private async Task<(Author Author, string ArticleUrl)> BylinedArticleAsync(string name)
    {
        var when = app.Clock.GetUtcNow().UtcDateTime.AddHours(-1);
        var article = (await app.CreateArticlesAsync(new ArticleDraft { Headline = Unique.Words("Bylined story"), BodyMarkdown = "Body.", Authors = [name], PublishedAt = when }))[0];
        var author = await app.WithDbAsync(db => db.Authors.AsNoTracking().SingleAsync(a => a.Name == name));
        return (author, $"/{when:yyyy}/{when:MM}/{when:dd}/{article.Slug}");
    }

    private static async Task<HttpResponseMessage> SubmitAsync(
        HttpClient client, int authorId, Dictionary<string, string> values, (string Name, string ContentType, byte[] Bytes)? photo = null)
    {
        var form = await client.GetDocumentAsync($"/admin/authors/{authorId}");
        return await client.SubmitMultipartAsync(form, "#author-form", values, photo, "save", "");
    }

    private Task LinkAsync(int authorId, string email) => app.WithDbAsync(async db =>
    {
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        return await db.Authors.Where(a => a.Id == authorId).ExecuteUpdateAsync(s => s.SetProperty(a => a.StaffUserId, userId));
    });

    [Fact]
    public async Task AuthorPage_ShowsTheEditedBioAndPhoto()
    {
        var (author, _) = await BylinedArticleAsync(Unique.Words("Rhea Lindqvist"));
        var authorPage = $"/author/{author.Slug}";
        Assert.Null((await app.GetDocumentAsync(authorPage)).QuerySelector(".author-bio")); // and now cached
        var editor = await app.SignedInAsync(StaffRoles.Editor);

        var response = await SubmitAsync(editor, author.Id, new()
        {
            ["Edit.Bio"] = "Covers the harbour and the courts.\r\n\r\nBefore that, ten years at <b>the Clarion</b>.",
        }, ("portrait.png", "image/png", Images.Png()));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await editor.GetDocumentAsync(response.Headers.Location!.OriginalString);
        Assert.Equal("Saved.", saved.QuerySelector(".notice")!.TextContent);
        var page = await app.GetDocumentAsync(authorPage);
        Assert.Equal(["Covers the harbour and the courts.", "Before that, ten years at <b>the Clarion</b>."],
            page.QuerySelectorAll(".author-bio p").Select(p => p.TextContent));
        Assert.Null(page.QuerySelector(".author-bio b")); // plain text, shown as typed
        var photo = page.QuerySelector<IHtmlImageElement>("img.author-photo")!;
        Assert.Matches("^/media/[0-9a-f]{64}\\.png$", photo.GetAttribute("src"));
        Assert.Equal(HttpStatusCode.OK, (await app.CreateReader().GetAsync(photo.GetAttribute("src"))).StatusCode);
        var audit = await app.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == "author.edit" && e.TargetId == author.Id.ToString()));
        Assert.StartsWith($"{author.Name}: bio, photo /media/", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rename_ChangesTheBylineOnTheCachedArticlePage_AndTheAuthorPagesAddress()
    {
        var (author, articleUrl) = await BylinedArticleAsync(Unique.Words("Tomas Brandt"));
        Assert.Equal(author.Name, (await app.GetDocumentAsync(articleUrl)).QuerySelector($"a[href='/author/{author.Slug}']")!.TextContent); // cached
        var editor = await app.SignedInAsync(StaffRoles.Administrator);
        var newName = Unique.Words("Tomás Brandt-Olsen");

        var response = await SubmitAsync(editor, author.Id, new() { ["Edit.Name"] = newName });

        var saved = await editor.GetDocumentAsync(response.Headers.Location!.OriginalString);
        var newSlug = Broadsheet.Infrastructure.Text.Slugs.From(newName);
        Assert.Equal($"Saved. The author page's address is now /author/{newSlug}; the old one redirects there.", saved.QuerySelector(".notice")!.TextContent);
        var article = await app.GetDocumentAsync(articleUrl);
        Assert.Equal(newName, article.QuerySelector($"a[href='/author/{newSlug}']")!.TextContent);
        Assert.Equal(newName, (await app.GetDocumentAsync($"/author/{newSlug}")).QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Rename_KeepsTheOldAddressAndFeeds_AsPermanentRedirects_UntilTheNameComesBack()
    {
        var (author, _) = await BylinedArticleAsync(Unique.Words("Wanda Ilić"));
        var oldPage = $"/author/{author.Slug}";
        Assert.Equal(author.Name, (await app.GetDocumentAsync(oldPage)).QuerySelector("h1")!.TextContent); // now cached
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var newName = Unique.Words("Wanda Ilić-Hart");
        var newPage = $"/author/{Broadsheet.Infrastructure.Text.Slugs.From(newName)}";

        Assert.Equal(HttpStatusCode.Redirect, (await SubmitAsync(editor, author.Id, new() { ["Edit.Name"] = newName })).StatusCode);

        var reader = app.CreateReader();
        foreach (var (from, to) in new[] { (oldPage, newPage), ($"{oldPage}?before=638712345678900000-1", $"{newPage}?before=638712345678900000-1"), ($"{oldPage}/feed", $"{newPage}/feed"), ($"{oldPage}/feed/atom", $"{newPage}/feed/atom") })
        {
            var moved = await reader.GetAsync(from);
            Assert.True(moved.StatusCode == HttpStatusCode.MovedPermanently, $"{from} answered {(int)moved.StatusCode}");
            Assert.Equal(to, moved.Headers.Location!.OriginalString);
        }

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"{newPage}/feed")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/author/never-{Guid.NewGuid():N}")).StatusCode);

        // Renamed back, the first address is the byline's own again, and the second one redirects to it.
        Assert.Equal(HttpStatusCode.Redirect, (await SubmitAsync(editor, author.Id, new() { ["Edit.Name"] = author.Name })).StatusCode);
        Assert.Equal(author.Name, (await app.GetDocumentAsync(oldPage)).QuerySelector("h1")!.TextContent);
        var back = await reader.GetAsync(newPage);
        Assert.Equal(HttpStatusCode.MovedPermanently, back.StatusCode);
        Assert.Equal(oldPage, back.Headers.Location!.OriginalString);
        Assert.Equal([Broadsheet.Infrastructure.Text.Slugs.From(newName)], await app.WithDbAsync(db => db.AuthorSlugHistory.Where(h => h.AuthorId == author.Id).Select(h => h.Slug).ToListAsync()));
    }

    [Fact]
    public async Task Rename_ToAnotherBylinesName_IsRefused_WithTheTextKept()
    {
        var (first, _) = await BylinedArticleAsync(Unique.Words("Ines Moreau"));
        var (second, _) = await BylinedArticleAsync(Unique.Words("Pavel Novak"));
        var editor = await app.SignedInAsync(StaffRoles.Editor);

        var response = await SubmitAsync(editor, second.Id, new() { ["Edit.Name"] = first.Name.ToUpperInvariant(), ["Edit.Bio"] = "Kept bio." });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var form = await BroadsheetFactory.ParseAsync(response);
        Assert.Equal($"Another byline already has this name (its page is /author/{first.Slug}). Choose a different name.",
            form.QuerySelector("[data-valmsg-for='Edit.Name']")!.TextContent);
        Assert.Equal("Kept bio.", form.QuerySelector<IHtmlTextAreaElement>("#Edit_Bio")!.Value);
        Assert.Equal(second.Name, (await app.WithDbAsync(db => db.Authors.SingleAsync(a => a.Id == second.Id))).Name);
    }

    [Fact]
    public async Task Photo_ThatIsNotAnImage_IsRefused_AndNothingIsSaved()
    {
        var (author, _) = await BylinedArticleAsync(Unique.Words("Odile Ferrand"));
        var editor = await app.SignedInAsync(StaffRoles.Editor);

        var response = await SubmitAsync(editor, author.Id, new() { ["Edit.Bio"] = "A new bio." },
            ("portrait.jpg", "image/jpeg", Encoding.UTF8.GetBytes("<svg onload=alert(1)>not a picture</svg>")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var form = await BroadsheetFactory.ParseAsync(response);
        Assert.Contains("is not a JPEG, PNG, WebP or GIF image", form.QuerySelector("[data-valmsg-for='Photo']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("A new bio.", form.QuerySelector<IHtmlTextAreaElement>("#Edit_Bio")!.Value);
        var stored = await app.WithDbAsync(db => db.Authors.SingleAsync(a => a.Id == author.Id));
        Assert.Equal((null, null), (stored.Bio, stored.PhotoPath));
    }

    [Fact]
    public async Task Author_EditsTheirOwnLinkedByline_ButNoOtherNorItsLink()
    {
        var (own, _) = await BylinedArticleAsync(Unique.Words("Mara Quill"));
        var (other, _) = await BylinedArticleAsync(Unique.Words("Someone Else"));
        var email = await app.CreateStaffAsync(StaffRoles.Author);
        await LinkAsync(own.Id, email);
        var author = app.CreateReader();
        Assert.Equal(HttpStatusCode.Redirect, (await author.SignInAsync(email, StaffSessions.Password)).StatusCode);

        var list = await author.GetDocumentAsync("/admin/authors");
        Assert.Equal([own.Name], list.QuerySelectorAll("tbody tr td:first-child a").Select(a => a.TextContent));
        Assert.Null((await author.GetDocumentAsync($"/admin/authors/{own.Id}")).QuerySelector("select[name='Edit.StaffUserId']"));
        var response = await SubmitAsync(author, own.Id, new() { ["Edit.Bio"] = "In my own words.", ["Edit.StaffUserId"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await app.WithDbAsync(db => db.Authors.SingleAsync(a => a.Id == own.Id));
        Assert.Equal("In my own words.", saved.Bio);
        Assert.NotNull(saved.StaffUserId); // the forged field did not unlink it

        Assert.Equal(HttpStatusCode.Forbidden, (await author.GetAsync($"/admin/authors/{other.Id}")).StatusCode);
        var token = (await author.GetDocumentAsync("/admin")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var forged = await author.PostAsync($"/admin/authors/{other.Id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Edit.Name"] = other.Name,
            ["Edit.Bio"] = "Hijacked.",
        }));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Null((await app.WithDbAsync(db => db.Authors.SingleAsync(a => a.Id == other.Id))).Bio);
    }

    [Fact]
    public async Task Editor_LinksABylineToAStaffAccount_WhoThenModeratesItsComments()
    {
        var (byline, articleUrl) = await BylinedArticleAsync(Unique.Words("Linked Writer"));
        var authorEmail = await app.CreateStaffAsync(StaffRoles.Author);
        var authorId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == authorEmail).Select(u => u.Id).SingleAsync());
        var editor = await app.SignedInAsync(StaffRoles.Editor);

        var response = await SubmitAsync(editor, byline.Id, new() { ["Edit.StaffUserId"] = authorId });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(authorId, (await app.WithDbAsync(db => db.Authors.SingleAsync(a => a.Id == byline.Id))).StaffUserId);
        var list = await editor.GetDocumentAsync("/admin/authors");
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.QuerySelector("a")!.TextContent == byline.Name);
        Assert.Equal("Author Person", row.QuerySelectorAll("td")[1].TextContent);

        // The comment desk of the linked Author now holds the article's comments.
        var held = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(articleUrl, "A first-time remark.", "Reader", $"{Guid.NewGuid():N}@example.com"));
        var author = app.CreateReader();
        Assert.Equal(HttpStatusCode.Redirect, (await author.SignInAsync(authorEmail, StaffSessions.Password)).StatusCode);
        Assert.NotNull((await author.GetDocumentAsync("/admin/comments?queue=pending")).GetElementById($"moderate-{held}"));
    }
}

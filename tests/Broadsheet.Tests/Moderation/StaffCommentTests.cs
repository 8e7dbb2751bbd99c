using System.Net;
using AngleSharp.Dom;
using Broadsheet.Accounts;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Tests.Accounts;
using Broadsheet.Tests.Comments;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Moderation;

public sealed class StaffCommentTests(CommentsFactory app) : IClassFixture<CommentsFactory>
{
    private async Task<HttpClient> SignInAsync(string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, StaffSessions.Password)).StatusCode);
        return client;
    }

    [Fact]
    public async Task StaffReply_IsPublishedAtOnce_WithTheStaffBadge_AndNeverTheEmail()
    {
        var (_, url) = await app.CreateArticleAsync();
        var parent = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "When does the bridge reopen?", "Curious Reader", $"{Guid.NewGuid():N}@example.com"));
        await app.ApproveAsync(parent);
        Assert.NotNull((await app.GetDocumentAsync(url)).GetElementById($"comment-{parent}")); // the page is now cached
        var editorEmail = await app.CreateStaffAsync(StaffRoles.Editor);
        var editor = await SignInAsync(editorEmail);

        var desk = await editor.GetDocumentAsync("/admin/comments?queue=approved");
        Assert.NotNull(desk.QuerySelector($"#moderate-{parent} a[href='/admin/comments/{parent}']"));
        var page = await editor.GetDocumentAsync($"/admin/comments/{parent}");
        var response = await editor.SubmitAsync(page, "#reply-form", new Dictionary<string, string> { ["ReplyText"] = "On *Monday*, according to the council." });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("Reply posted", (await editor.GetDocumentAsync(response.Headers.Location!.OriginalString)).QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        var reply = await app.WithDbAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.ParentId == parent));
        Assert.Equal(CommentStatus.Approved, reply.Status);
        Assert.NotNull(reply.StaffUserId);
        var publicPage = await app.CreateReader().GetAsync(url);
        var html = await publicPage.Content.ReadAsStringAsync();
        var shown = (await BroadsheetFactoryParse(html)).GetElementById($"comment-{reply.Id}");
        Assert.NotNull(shown);
        Assert.Equal("Editor Person", shown.QuerySelector(".comment-author")!.FirstChild!.TextContent.Trim());
        Assert.Equal("Staff", shown.QuerySelector(".staff-badge")!.TextContent);
        Assert.Equal("On Monday, according to the council.", shown.QuerySelector(".comment-content")!.TextContent.Trim());
        Assert.NotNull(shown.QuerySelector(".comment-content em"));
        Assert.DoesNotContain(editorEmail, html, StringComparison.OrdinalIgnoreCase);
        Assert.Null((await BroadsheetFactoryParse(html)).GetElementById($"comment-{parent}")!.QuerySelector(":scope > article .staff-badge"));
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == "comment.reply" && e.TargetId == reply.Id.ToString())));
    }

    [Fact]
    public async Task StaffReply_IsLinkedToTheStaffAccount_AndStoresNoEmail_NorJoinsTheirDataAsAReader()
    {
        var (_, url) = await app.CreateArticleAsync();
        var parent = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Who checked this figure?", "Sceptic", $"{Guid.NewGuid():N}@example.com"));
        await app.ApproveAsync(parent);
        var editorEmail = await app.CreateStaffAsync(StaffRoles.Editor);
        var editor = await SignInAsync(editorEmail);
        // The same person also comments as a reader, under the same address.
        var ownComment = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Speaking for myself here.", "Ed Person", editorEmail));
        await app.ApproveAsync(ownComment);

        for (var i = 0; i < 2; i++)
        {
            var response = await editor.SubmitAsync(await editor.GetDocumentAsync($"/admin/comments/{parent}"), "#reply-form", new Dictionary<string, string> { ["ReplyText"] = $"Our data desk did, reply {i}." });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var replies = await app.WithDbAsync(db => db.Comments.AsNoTracking().Where(c => c.ParentId == parent).OrderBy(c => c.Id).ToListAsync());
        var editorId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == editorEmail).Select(u => u.Id).SingleAsync());
        Assert.All(replies, reply =>
        {
            Assert.Equal("", reply.AuthorEmail);
            Assert.Equal(editorId, reply.StaffUserId);
        });
        Assert.Single(replies.Select(r => r.AvatarKey).Distinct()); // one avatar per staff member
        var readerKey = (await app.FindCommentAsync(ownComment)).AvatarKey;
        Assert.DoesNotContain(readerKey, replies.Select(r => r.AvatarKey));

        // The desk shows no email for the replies, and their data-rights summary holds only the reader comment.
        var desk = await editor.GetDocumentAsync("/admin/comments?queue=approved");
        Assert.DoesNotContain("<", desk.QuerySelector($"#moderate-{replies[0].Id} .meta")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"<{editorEmail}>", desk.QuerySelector($"#moderate-{ownComment} .meta")!.TextContent, StringComparison.Ordinal);
        var summary = await app.WithServiceAsync<Broadsheet.Privacy.CommenterSummary, Broadsheet.Privacy.CommenterData>(data => data.SummarizeAsync(readerKey, default));
        Assert.Equal(1, summary.Comments);
    }

    [Fact]
    public async Task StaffReply_ToAHeldComment_ApprovesIt_AndAnEmptyReplyIsRefused()
    {
        var (_, url) = await app.CreateArticleAsync();
        var held = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Held question", "Newcomer", $"{Guid.NewGuid():N}@example.com"));
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var page = await editor.GetDocumentAsync($"/admin/comments/{held}");

        var empty = await editor.SubmitAsync(page, "#reply-form", new Dictionary<string, string> { ["ReplyText"] = "   " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("Write the comment's text.", (await Broadsheet.Tests.Infrastructure.BroadsheetFactory.ParseAsync(empty)).GetElementById("ReplyText-error")!.TextContent);
        Assert.Equal(CommentStatus.Pending, (await app.FindCommentAsync(held)).Status);

        await editor.SubmitAsync(page, "#reply-form", new Dictionary<string, string> { ["ReplyText"] = "Thanks, answered." });

        Assert.Equal(CommentStatus.Approved, (await app.FindCommentAsync(held)).Status);
        var publicPage = await app.GetDocumentAsync(url);
        Assert.NotNull(publicPage.GetElementById($"comment-{held}"));
        Assert.Contains("Thanks, answered.", publicPage.GetElementById($"comment-{held}")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_ReRendersTheTextSanitized_OnTheCachedPublicPage_AndAuditsTheOriginal()
    {
        var (_, url) = await app.CreateArticleAsync();
        var id = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Teh mayor is rigth", "Typist", $"{Guid.NewGuid():N}@example.com"));
        await app.ApproveAsync(id);
        Assert.Contains("Teh mayor", (await app.GetDocumentAsync(url)).GetElementById($"comment-{id}")!.TextContent, StringComparison.Ordinal);
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var page = await editor.GetDocumentAsync($"/admin/comments/{id}");
        Assert.Equal("Teh mayor is rigth", page.GetElementById("EditText")!.TextContent);

        var response = await editor.SubmitAsync(page, "#edit-form", new Dictionary<string, string> { ["EditText"] = "The mayor is **right** <script>alert(1)</script>" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var shown = (await app.GetDocumentAsync(url)).GetElementById($"comment-{id}")!;
        Assert.Equal("right", shown.QuerySelector(".comment-content strong")!.TextContent);
        Assert.Null(shown.QuerySelector("script"));
        Assert.DoesNotContain("Teh mayor", shown.TextContent, StringComparison.Ordinal);
        var audit = await app.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == "comment.edit" && e.TargetId == id.ToString()));
        Assert.EndsWith("text before: Teh mayor is rigth", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Author_MayEditAndReply_OnlyOnCommentsOnTheirOwnArticles()
    {
        var authorEmail = await app.CreateStaffAsync(StaffRoles.Author);
        var (own, ownUrl) = await app.CreateArticleAsync();
        var (_, otherUrl) = await app.CreateArticleAsync();
        await app.WithDbAsync(async db =>
        {
            var staffId = await db.Users.Where(u => u.Email == authorEmail).Select(u => u.Id).SingleAsync();
            db.Bylines.Add(new Byline { ArticleId = own.Id, Author = new Author { Name = "Own Byline", Slug = $"own-{Guid.NewGuid():N}", StaffUserId = staffId }, Position = 0 });
            return await db.SaveChangesAsync();
        });
        var onOwn = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(ownUrl, "On yours", "R1", $"{Guid.NewGuid():N}@example.com"));
        var onOther = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(otherUrl, "On someone else's", "R2", $"{Guid.NewGuid():N}@example.com"));
        var author = await SignInAsync(authorEmail);

        var ownPage = await author.GetDocumentAsync($"/admin/comments/{onOwn}");
        Assert.Equal(HttpStatusCode.Forbidden, (await author.GetAsync($"/admin/comments/{onOther}")).StatusCode);
        var token = ownPage.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        foreach (var (handler, field) in new[] { ("reply", "ReplyText"), ("edit", "EditText") })
        {
            using var forged = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, [field] = "Forged" });
            Assert.Equal(HttpStatusCode.Forbidden, (await author.PostAsync($"/admin/comments/{onOther}?handler={handler}", forged)).StatusCode);
        }

        Assert.Equal("On someone else's", (await app.FindCommentAsync(onOther)).BodyText);
        Assert.False(await app.WithDbAsync(db => db.Comments.AnyAsync(c => c.ParentId == onOther)));
        var response = await author.SubmitAsync(ownPage, "#reply-form", new Dictionary<string, string> { ["ReplyText"] = "Author here." });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await app.WithDbAsync(db => db.Comments.AnyAsync(c => c.ParentId == onOwn && c.StaffUserId != null)));
    }

    private static Task<IDocument> BroadsheetFactoryParse(string html) =>
        Task.FromResult<IDocument>(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html));
}

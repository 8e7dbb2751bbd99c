using System.Net;
using Broadsheet.Accounts;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Tests.Accounts;
using Broadsheet.Tests.Comments;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Moderation;

public sealed class ModerationDeskTests(CommentsFactory app) : IClassFixture<CommentsFactory>
{
    [Fact]
    public async Task Approving_AHeldComment_ShowsItOnTheCachedPublicPage_AndIsAudited()
    {
        var (_, url) = await app.CreateArticleAsync();
        var email = $"{Guid.NewGuid():N}@example.com";
        var id = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Please approve me", "Newcomer", email, clientAddress: "192.0.2.44"));
        Assert.Null((await app.GetDocumentAsync(url)).GetElementById($"comment-{id}")); // cached without it
        var editor = await app.SignedInAsync(StaffRoles.Editor);

        var desk = await editor.GetDocumentAsync("/admin/comments?queue=pending");
        var item = desk.GetElementById($"moderate-{id}")!;
        Assert.Contains(email, item.TextContent, StringComparison.Ordinal);
        Assert.Contains("192.0.2.0", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("held: first-time commenter", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("0 approved, 0 spam", item.TextContent, StringComparison.Ordinal);
        var response = await editor.SubmitAsync(desk, "#moderation-form", new Dictionary<string, string>(), "single", $"approve:{id}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await editor.GetDocumentAsync(response.Headers.Location!.OriginalString);
        Assert.Equal("Approved: 1 comment.", after.QuerySelector(".notice")!.TextContent);

        var publicPage = await app.GetDocumentAsync(url);
        Assert.NotNull(publicPage.GetElementById($"comment-{id}"));
        Assert.Equal("1 Comment", publicPage.QuerySelector("#comments-title")!.TextContent);
        var audit = await app.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == "comment.approve" && e.TargetId == id.ToString()));
        Assert.StartsWith("editor.", audit.UserName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkSpam_MovesEverySelectedComment_AndTheHistoryCountsIt()
    {
        var (_, url) = await app.CreateArticleAsync();
        var spammer = $"{Guid.NewGuid():N}@example.com";
        var first = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Buy one", "Spammer", spammer));
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        var second = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Buy two", "Spammer", spammer));
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var desk = await editor.GetDocumentAsync("/admin/comments");

        var response = await editor.SubmitAsync(desk, "#moderation-form", new Dictionary<string, string>(), "action", "spam");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var none = await editor.GetDocumentAsync(response.Headers.Location!.OriginalString);
        Assert.Equal("Select at least one comment first.", none.QuerySelector(".notice")!.TextContent);

        using var content = new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", none.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("queue", "pending"), new("action", "spam"), new("ids", first.ToString()), new("ids", second.ToString()),
        ]);
        await editor.PostAsync("/admin/comments", content);

        Assert.Equal(CommentStatus.Spam, (await app.FindCommentAsync(first)).Status);
        Assert.Equal(CommentStatus.Spam, (await app.FindCommentAsync(second)).Status);
        var spamTab = await editor.GetDocumentAsync("/admin/comments?queue=spam");
        Assert.Contains("0 approved, 2 spam", spamTab.GetElementById($"moderate-{first}")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Author_ModeratesOnlyCommentsOnTheirOwnArticles()
    {
        var authorEmail = await app.CreateStaffAsync(StaffRoles.Author);
        var (own, ownUrl) = await app.CreateArticleAsync();
        var (_, otherUrl) = await app.CreateArticleAsync();
        await app.WithDbAsync(async db =>
        {
            var staffId = await db.Users.Where(u => u.Email == authorEmail).Select(u => u.Id).SingleAsync();
            var byline = new Author { Name = "Own Byline", Slug = $"own-{Guid.NewGuid():N}", StaffUserId = staffId };
            db.Bylines.Add(new Byline { ArticleId = own.Id, Author = byline, Position = 0 });
            return await db.SaveChangesAsync();
        });
        var onOwn = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(ownUrl, "On yours", "R1", $"{Guid.NewGuid():N}@example.com"));
        var onOther = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(otherUrl, "On someone else's", "R2", $"{Guid.NewGuid():N}@example.com"));
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await client.SignInAsync(authorEmail, StaffSessions.Password);

        var desk = await client.GetDocumentAsync("/admin/comments?queue=pending");
        Assert.NotNull(desk.GetElementById($"moderate-{onOwn}"));
        Assert.Null(desk.GetElementById($"moderate-{onOther}"));

        using var forged = new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", desk.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("action", "approve"), new("ids", onOther.ToString()), new("ids", onOwn.ToString()),
        ]);
        await client.PostAsync("/admin/comments", forged);

        Assert.Equal(CommentStatus.Pending, (await app.FindCommentAsync(onOther)).Status);
        Assert.Equal(CommentStatus.Approved, (await app.FindCommentAsync(onOwn)).Status);
    }

    [Fact]
    public async Task DeletingPermanently_WorksOnlyFromTrash_AndRepliesMoveUp()
    {
        var (_, url) = await app.CreateArticleAsync();
        var parent = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Parent", "P", $"{Guid.NewGuid():N}@example.com"));
        await app.ApproveAsync(parent);
        var reply = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Reply", "R", $"{Guid.NewGuid():N}@example.com",
            adjust: f => f["comment_parent"] = parent.ToString()));
        await app.ApproveAsync(reply);
        var grandchild = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Grandchild", "G", $"{Guid.NewGuid():N}@example.com",
            adjust: f => f["comment_parent"] = reply.ToString()));
        await app.ApproveAsync(grandchild);
        var editor = await app.SignedInAsync(StaffRoles.Administrator);

        await Act(editor, "delete", parent);
        Assert.Equal(CommentStatus.Approved, (await app.FindCommentAsync(parent)).Status);

        await Act(editor, "trash", parent);
        await Act(editor, "delete", parent);

        Assert.Equal(0, await app.WithDbAsync(db => db.Comments.CountAsync(c => c.Id == parent)));
        var promoted = await app.FindCommentAsync(reply);
        Assert.Null(promoted.ParentId);
        Assert.Null(promoted.ThreadRootId);
        Assert.Equal(0, promoted.Depth);
        var moved = await app.FindCommentAsync(grandchild);
        Assert.Equal(reply, moved.ThreadRootId);
        Assert.Equal(1, moved.Depth);
        var page = await app.GetDocumentAsync(url);
        Assert.NotNull(page.QuerySelector($"ol.comment-list > #comment-{reply} > ol.children > #comment-{grandchild}"));
    }

    private static async Task Act(HttpClient client, string action, int id)
    {
        var desk = await client.GetDocumentAsync("/admin/comments?queue=approved");
        using var content = new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", desk.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("single", $"{action}:{id}"),
        ]);
        var response = await client.PostAsync("/admin/comments", content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}

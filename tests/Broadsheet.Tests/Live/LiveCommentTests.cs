using System.Net;
using Broadsheet.Comments;
using Broadsheet.Moderation;
using Broadsheet.Tests.Comments;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Live;

public sealed class LiveCommentTests(OpenCommentsFactory app) : IClassFixture<OpenCommentsFactory>
{
    [Fact]
    public async Task ApprovedComment_ReachesAnOpenPage_WithItsHtmlAtTheFragmentUrl()
    {
        var (article, url) = await app.CreateArticleAsync();
        Assert.Equal($"/live/articles/{article.Id}/comments", (await app.GetDocumentAsync(url)).GetElementById("comments")!.GetAttribute("data-live"));
        using var stream = await LiveStream.OpenAsync(app.CreateReader(), article.Id);

        var id = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Live from the scene", "Reporter Fan", $"{Guid.NewGuid():N}@example.com"));

        var (liveId, parentId, fragment) = await stream.NextCommentAsync();
        Assert.Equal((id, (int?)null), (liveId, parentId));
        var html = await app.GetDocumentAsync(fragment);
        var item = html.GetElementById($"comment-{id}")!;
        Assert.Contains("Live from the scene", item.TextContent, StringComparison.Ordinal);
        Assert.Equal("Reporter Fan", item.QuerySelector(".comment-author")!.TextContent.Trim());
    }

    [Fact]
    public async Task Reconnecting_WithTheLastEventId_ReplaysWhatWasMissed()
    {
        var (article, url) = await app.CreateArticleAsync();
        var first = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Before the drop", "A", $"{Guid.NewGuid():N}@example.com"));
        var missed = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "While offline", "B", $"{Guid.NewGuid():N}@example.com"));

        using var stream = await LiveStream.OpenAsync(app.CreateReader(), article.Id, lastEventId: first.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(missed, (await stream.NextCommentAsync()).Id);
    }

    [Fact]
    public async Task Stream_IsNotFound_ForAnUnpublishedOrMissingArticle()
    {
        var response = await app.CreateReader().GetAsync("/live/articles/999999/comments");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>First-time commenters are held: nothing goes out live until a moderator approves.</summary>
public sealed class LiveModerationTests(CommentsFactory app) : IClassFixture<CommentsFactory>
{
    [Fact]
    public async Task HeldComment_GoesLive_OnlyWhenApproved()
    {
        var (article, url) = await app.CreateArticleAsync();
        var held = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Please approve me", "Newcomer", $"{Guid.NewGuid():N}@example.com"));
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateReader().GetAsync($"/comments/{held}/fragment")).StatusCode);

        // Replaying from the start shows only approved comments: none yet, so the next event is the approval.
        using var stream = await LiveStream.OpenAsync(app.CreateReader(), article.Id, lastEventId: "0");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CommentModerator>()
                .ApplyAsync(ModerationAction.Approve, [held], ModerationScope.Everything, default);
        }

        Assert.Equal(held, (await stream.NextCommentAsync()).Id);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateReader().GetAsync($"/comments/{held}/fragment")).StatusCode);
    }
}

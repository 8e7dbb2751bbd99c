using System.Net;
using Broadsheet.Comments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Broadsheet.Tests.Comments;

/// <summary>
/// Comments posted at the same moment are admitted and stored by the writer in one batch (group
/// commit). Each must still be judged as if the others had been posted just before it.
/// </summary>
public sealed class CommentBatchTests(UnthrottledCommentsFactory app) : IClassFixture<UnthrottledCommentsFactory>
{
    [Fact]
    public async Task CommentsPostedAtOnce_AreAllStored_AndACopyAmongThemIsRefusedAsDuplicate()
    {
        var (article, url) = await app.CreateArticleAsync();
        var posts = Enumerable.Range(1, 8)
            .Select(n => app.PostCommentAsync(url, $"Point number {n}.", $"Reader {n}", $"{Guid.NewGuid():N}@example.com"))
            .Append(app.PostCommentAsync(url, "Said twice at once.", "Echo", "echo@example.com"))
            .Append(app.PostCommentAsync(url, "Said twice at once.", "Echo", "echo@example.com"))
            .ToList();

        var answers = await Task.WhenAll(posts);

        Assert.Equal(9, answers.Count(a => a.StatusCode == HttpStatusCode.SeeOther));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var stored = await app.WithDbAsync(db => db.Comments.Where(c => c.ArticleId == article.Id).Select(c => c.Id).ToListAsync());
        Assert.Equal(
            answers.Where(a => a.StatusCode == HttpStatusCode.SeeOther).Select(CommentsFactory.CommentIdFrom).Order(),
            stored.Order());
        var page = await app.GetDocumentAsync(url);
        Assert.Equal("9 Comments", page.QuerySelector("#comments-title")!.TextContent);
        Assert.Equal(9, page.QuerySelectorAll("#comments li.comment").Length);
    }

    [Fact]
    public async Task AComment_ThatCannotBeStored_FailsAlone_AndTheRestOfItsBatchIsStored()
    {
        var (article, _) = await app.CreateArticleAsync();
        var writer = app.Services.GetRequiredService<CommentWriter>();
        // Written together, so they queue before the writer wakes and share a batch; the one for an
        // article that does not exist breaks the batch's insert (a foreign key), as a reply to a
        // comment deleted meanwhile would.
        var writes = new[] { article.Id, article.Id, int.MaxValue, article.Id }
            .Select((articleId, n) => writer.WriteAsync(Draft(articleId, $"Batch comment {n}"), CancellationToken.None))
            .ToList();

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => writes[2]);

        var accepted = new[] { await writes[0], await writes[1], await writes[3] };
        Assert.All(accepted, a => Assert.IsType<PostOutcome.Accepted>(a));
        var stored = await app.WithDbAsync(db => db.Comments.Where(c => c.ArticleId == article.Id).Select(c => c.BodyText).ToListAsync());
        Assert.Equal(["Batch comment 0", "Batch comment 1", "Batch comment 3"], stored.Order());
        Assert.Equal(3, await app.WithDbAsync(db => db.Articles.Where(a => a.Id == article.Id).Select(a => a.CommentCount).SingleAsync()));
    }

    [Fact]
    public async Task ACopyOfAComment_ThatCouldNotBeStored_IsStored_NotRefusedAsADuplicate()
    {
        var (article, _) = await app.CreateArticleAsync();
        var writer = app.Services.GetRequiredService<CommentWriter>();
        // The same words twice in one batch, the first as a reply to a comment that no longer exists:
        // judged together, the second is a copy of the first; but the first is never stored.
        var gone = Draft(article.Id, "Said once, stored once.");
        gone.Comment.ParentId = int.MaxValue;
        var copy = Draft(article.Id, "Said once, stored once.");
        copy.Comment.Fingerprint = gone.Comment.Fingerprint;
        var writes = new[] { gone, copy }.Select(d => writer.WriteAsync(d, CancellationToken.None)).ToList();

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => writes[0]);

        Assert.IsType<PostOutcome.Accepted>(await writes[1]);
        var stored = await app.WithDbAsync(db => db.Comments.Where(c => c.ArticleId == article.Id).Select(c => c.BodyText).ToListAsync());
        Assert.Equal(["Said once, stored once."], stored);
    }

    [Fact]
    public async Task NewThreadsWrittenTogether_AcrossAPageBoundary_EachRedirectToThePageThatShowsThem()
    {
        var (article, url) = await app.CreateArticleAsync();
        var pageSize = app.Services.GetRequiredService<IOptionsMonitor<CommentOptions>>().CurrentValue.PageSize;
        // Two threads short of a full first page, written as earlier comments, then counted as the moderation desk does.
        await app.WithDbAsync(async db =>
        {
            var start = app.Clock.GetUtcNow().UtcDateTime.AddHours(-1);
            db.Comments.AddRange(Enumerable.Range(0, pageSize - 2).Select(n =>
            {
                var earlier = CommentsFactory.NewComment(article.Id, $"Earlier thread {n}", CommentStatus.Approved);
                earlier.CreatedAt = start.AddSeconds(n);
                return earlier;
            }));
            await db.SaveChangesAsync();
            return await CommentCounts.RecountAsync(db, article.Id, default);
        });
        var writer = app.Services.GetRequiredService<CommentWriter>();

        // Queued together, so they share a batch: the first two end the first page, the rest start the second.
        var writes = Enumerable.Range(1, 5).Select(n => writer.WriteAsync(Draft(article.Id, $"New thread {n}"), CancellationToken.None)).ToList();
        var accepted = (await Task.WhenAll(writes)).Cast<PostOutcome.Accepted>().ToList();

        Assert.All(accepted, a => Assert.NotNull(a.Page));
        Assert.Equal([true, true, false, false, false], accepted.Select(a => a.Page!.After is null));
        foreach (var comment in accepted)
        {
            var asked = await app.WithDbAsync(db => new CommentQueries(db).PageOfNewCommentAsync(comment.Comment, pageSize, default));
            Assert.Equal(asked, comment.Page!.After);
            var page = await app.GetDocumentAsync(comment.Page.After is { } after ? $"{url}?{CommentPermalinks.CommentPageQuery}={after}" : url);
            Assert.NotNull(page.QuerySelector($"#comment-{comment.Comment.Id}"));
        }
    }

    private static CommentDraft Draft(int articleId, string text)
    {
        var comment = CommentsFactory.NewComment(articleId, text);
        return new CommentDraft(comment, new CommentCandidate(comment.AuthorName, comment.AuthorEmail, null, text, comment.BodyHtml));
    }
}

/// <summary>Comments appear at once and nobody is rate-limited: many comments can be posted at the same moment.</summary>
public sealed class UnthrottledCommentsFactory : CommentsFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:Comments:HoldFirstTimeCommenters"] = "false",
        ["Broadsheet:Comments:SecondsBetweenComments"] = "0",
    };
}

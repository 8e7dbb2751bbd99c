using Broadsheet.Articles;
using Broadsheet.Comments;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Comments;

/// <summary>The kept comment and thread counts that listings and the comment pages rely on.</summary>
public sealed class CommentCountsTests(CommentsFactory app) : IClassFixture<CommentsFactory>
{
    [Fact]
    public async Task Recount_OfArticlesFarApartById_CountsEachOnesApprovedCommentsAndThreads()
    {
        var (near, _) = await app.CreateArticleAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        // Many articles are recounted a range of ids at a time; this one is a few ranges further on.
        var far = new Article
        {
            Id = near.Id + 25_000,
            Slug = $"far-{Guid.NewGuid():N}",
            Headline = "An article far along the archive",
            Status = ArticleStatus.Published,
            PublishedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await app.WithDbAsync(async db =>
        {
            db.Articles.Add(far);
            await db.SaveChangesAsync();
            var thread = CommentsFactory.NewComment(near.Id, "A thread.", CommentStatus.Approved);
            db.Comments.AddRange(
                thread,
                CommentsFactory.NewComment(near.Id, "Another thread.", CommentStatus.Approved),
                CommentsFactory.NewComment(far.Id, "A thread far along.", CommentStatus.Approved),
                CommentsFactory.NewComment(far.Id, "Held far along."));
            await db.SaveChangesAsync();
            var reply = CommentsFactory.NewComment(near.Id, "A reply.", CommentStatus.Approved);
            (reply.ParentId, reply.ThreadRootId, reply.Depth) = (thread.Id, thread.Id, 1);
            db.Comments.Add(reply);
            return await db.SaveChangesAsync();
        });

        var recounted = await app.WithDbAsync(db => CommentCounts.RecountAsync(db, db.Articles.Where(a => a.Id == near.Id || a.Id == far.Id), default));

        Assert.Equal(2, recounted);
        var counts = await app.WithDbAsync(db => db.Articles.Where(a => a.Id == near.Id || a.Id == far.Id)
            .OrderBy(a => a.Id).Select(a => new { a.CommentCount, a.ThreadCount }).ToListAsync());
        Assert.Equal([(3, 2), (1, 1)], counts.Select(c => (c.CommentCount, c.ThreadCount)));
    }
}

using Broadsheet.Articles;
using Broadsheet.Articles.Seeding;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Articles;

public sealed class SeedDemoTests
{
    [Fact]
    public async Task SeedDemo_FillsTheSiteWithThreadedCommentsAndRightCounts()
    {
        using var database = TestDatabase.Create();

        var result = await BroadsheetProcess.RunAsync(database, "seed-demo", "--articles", "30", "--comments-per-article", "4", "--sample-comments", "5");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Added 30 articles", result.Output, StringComparison.Ordinal);
        Assert.Contains("100 %", result.Error, StringComparison.Ordinal); // the progress bar
        await using var app = new ExistingDatabaseFactory(database);
        var latest = await app.GetDocumentAsync("/latest");
        Assert.Equal(20, latest.QuerySelectorAll(".article-list-headline").Length);
        Assert.NotNull(latest.QuerySelector("a[rel=next]"));
        var sample = await app.GetDocumentAsync("/2025/08/16/" + SampleArticleSeeder.Slug);
        Assert.Equal("5 Comments", sample.QuerySelector("#comments-title")!.TextContent);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        Assert.Equal(31, await db.Articles.CountAsync());
        Assert.Equal(125, await db.Comments.CountAsync());
        Assert.True(await db.Comments.AnyAsync(c => c.ParentId != null && c.ThreadRootId == c.ParentId));
        Assert.True(await db.Comments.AnyAsync(c => c.Status != CommentStatus.Approved));
        var counted = await db.Articles.SumAsync(a => a.CommentCount);
        Assert.Equal(await db.Comments.CountAsync(c => c.Status == CommentStatus.Approved), counted);
        Assert.Equal(
            await db.Comments.CountAsync(c => c.Status == CommentStatus.Approved && c.ParentId == null),
            await db.Articles.SumAsync(a => a.ThreadCount));
        // Every generated article has its byline and topics (separate bulk writes, linked by reserved ids).
        Assert.Equal(30, await db.Articles.CountAsync(a => a.Slug != SampleArticleSeeder.Slug && a.Bylines.Count > 0 && a.Tags.Count > 0));

        // Full-text search (FTS5's triggers on SQLite, the generated tsvector on PostgreSQL) knows the bulk-written articles.
        var seeded = await db.Articles.Where(a => a.Slug != SampleArticleSeeder.Slug).OrderBy(a => a.Id).Skip(17).Select(a => a.Headline).FirstAsync();
        // Its headline's plain words, ANDed (hyphenated words are indexed differently by the two databases).
        var words = string.Join(' ', seeded.Split(' ').Where(w => w.All(char.IsLetter)));
        var found = await app.GetDocumentAsync("/search?q=" + Uri.EscapeDataString(words));
        Assert.Contains(seeded, found.QuerySelectorAll(".search-results .article-list-headline").Select(h => h.TextContent.Trim()));
    }

    [Fact]
    public async Task SeedDemo_WhileTheSiteIsServing_ReachesItsCachedPagesWithinSeconds()
    {
        using var database = TestDatabase.Create();
        await using var app = new ExistingDatabaseFactory(database);
        Assert.Single((await app.GetDocumentAsync("/latest")).QuerySelectorAll(".article-list-headline")); // the sample article, now cached

        var result = await BroadsheetProcess.RunAsync(database, "seed-demo", "--articles", "3", "--comments-per-article", "0");

        Assert.True(result.ExitCode == 0, result.Error);
        // The serving process hears of it through the content version, which it polls every two seconds.
        var listed = await Eventually.ReadAsync(
            async () => (await app.GetDocumentAsync("/latest")).QuerySelectorAll(".article-list-headline").Length, n => n == 4);

        Assert.Equal(4, listed);
    }

    [Fact]
    public async Task SeedDemo_AddsToASiteThatAlreadyHasArticles_AndTheSiteKeepsNumberingAfterIt()
    {
        using var database = TestDatabase.Create();

        var first = await BroadsheetProcess.RunAsync(database, "seed-demo", "--articles", "12", "--comments-per-article", "3");
        var second = await BroadsheetProcess.RunAsync(database, "seed-demo", "--articles", "7", "--comments-per-article", "3", "--sample-comments", "4");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        await using var app = new ExistingDatabaseFactory(database);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        Assert.Equal(20, await db.Articles.CountAsync());
        Assert.Equal((19 * 3) + 4, await db.Comments.CountAsync());
        var approved = await db.Comments.Where(c => c.Status == CommentStatus.Approved).GroupBy(c => c.ArticleId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        var kept = await db.Articles.Select(a => new { a.Id, a.CommentCount }).ToListAsync();
        Assert.All(kept, a => Assert.Equal(approved.SingleOrDefault(c => c.Key == a.Id)?.Count ?? 0, a.CommentCount));

        // The rows carried their own ids: what the site stores next must not collide with them
        // (on PostgreSQL the seeder took them from the identity sequence, on SQLite past sqlite_sequence).
        var article = await db.Articles.FirstAsync(a => a.Slug != SampleArticleSeeder.Slug);
        var comment = new Comment
        {
            ArticleId = article.Id,
            AuthorName = "After the seed",
            AuthorEmail = "after@example.com",
            AvatarKey = "after",
            BodyText = "Stored after seeding.",
            BodyHtml = "<p>Stored after seeding.</p>",
            Status = CommentStatus.Approved,
            CreatedAt = DateTime.UtcNow,
            Fingerprint = "after-the-seed",
        };
        db.Comments.Add(comment);
        db.Articles.Add(new Article { Slug = "after-the-seed", Headline = "After the seed", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        Assert.True(comment.Id > await db.Comments.Where(c => c.Id != comment.Id).MaxAsync(c => c.Id));
    }
}

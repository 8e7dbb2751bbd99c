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
    }
}

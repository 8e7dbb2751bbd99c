using Broadsheet.Articles;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Broadsheet.Tests.Infrastructure;

namespace Broadsheet.Tests.Articles;

public sealed class RelatedArticlesTests(BroadsheetFactory app) : IClassFixture<BroadsheetFactory>
{
    [Fact]
    public async Task ArticlePage_ListsRelatedArticles_MostSharedTopicsFirst()
    {
        var (topicA, topicB) = (Unique.Words("Rivers"), Unique.Words("Bridges"));
        var section = Unique.Words("Regional");
        var when = new DateTime(2032, 4, 1, 12, 0, 0, DateTimeKind.Utc);
        var articles = await app.CreateArticlesAsync(
            Story("The main story", [topicA, topicB], section, when),
            Story("Shares one topic", [topicA], null, when.AddDays(-3)),
            Story("Shares both topics", [topicA, topicB], null, when.AddDays(-5)),
            Story("Same section only", [], section, when.AddDays(-1)),
            Story("Unrelated", [Unique.Words("Other")], null, when.AddDays(-2)));

        var page = await app.GetDocumentAsync($"/2032/04/01/{articles[0].Slug}");

        var related = page.QuerySelectorAll(".related .article-list-headline").Select(h => h.TextContent).ToList();
        Assert.Equal(["Shares both topics", "Shares one topic", "Same section only"], related);
    }

    [Fact]
    public async Task ArticlePage_DropsARelatedArticle_AsSoonAsItIsUnpublished()
    {
        var topic = Unique.Words("Ferries");
        var when = new DateTime(2032, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        var articles = await app.CreateArticlesAsync(
            Story("The ferry story", [topic], null, when),
            Story("Older ferry story", [topic], null, when.AddDays(-2)),
            Story("Withdrawn ferry story", [topic], null, when.AddDays(-1)));
        var path = $"/2032/05/01/{articles[0].Slug}";
        Assert.Equal(["Withdrawn ferry story", "Older ferry story"], await RelatedHeadlinesAsync(path));

        // The choice of related articles is remembered; the articles shown must still be only published ones.
        await app.WithServiceAsync<int, BroadsheetDbContext>(db =>
            db.Articles.Where(a => a.Id == articles[2].Id).ExecuteUpdateAsync(a => a.SetProperty(x => x.Status, ArticleStatus.Unpublished)));
        await app.WithServiceAsync<bool, ContentCache>(async cache =>
        {
            await cache.ArticleChangedAsync(articles[0].Id);
            return true;
        });

        Assert.Equal(["Older ferry story"], await RelatedHeadlinesAsync(path));
    }

    private async Task<List<string>> RelatedHeadlinesAsync(string path)
    {
        var page = await app.GetDocumentAsync(path);
        return page.QuerySelectorAll(".related .article-list-headline").Select(h => h.TextContent).ToList();
    }

    private static ArticleDraft Story(string headline, string[] tags, string? section, DateTime publishedAt) => new()
    {
        Headline = headline,
        BodyMarkdown = "Body.",
        Tags = tags,
        Section = section,
        PublishedAt = publishedAt,
    };
}

using Broadsheet.Articles;
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

    private static ArticleDraft Story(string headline, string[] tags, string? section, DateTime publishedAt) => new()
    {
        Headline = headline,
        BodyMarkdown = "Body.",
        Tags = tags,
        Section = section,
        PublishedAt = publishedAt,
    };
}

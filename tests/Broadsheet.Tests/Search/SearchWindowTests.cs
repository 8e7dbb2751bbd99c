using Broadsheet.Tests.Infrastructure;
using static Broadsheet.Tests.Search.SearchTests;

namespace Broadsheet.Tests.Search;

/// <summary>A site that ranks only its two most recently added matches (the default is 1,000).</summary>
public sealed class NarrowSearchWindowFactory : BroadsheetFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:Search:RankedMatches"] = "2",
    };
}

/// <summary>Runs on SQLite (FTS5) and on PostgreSQL (tsvector) with the same assertions.</summary>
public sealed class SearchWindowTests(NarrowSearchWindowFactory app) : IClassFixture<NarrowSearchWindowFactory>
{
    [Fact]
    public async Task AWordInMoreArticlesThanTheWindow_FindsTheNewest_AndADateRangeReachesOlderOnes()
    {
        var word = Word();
        // Added first, and the best match (the word is its headline's), but older than the window.
        await app.CreateArticlesAsync(Story($"All about {word}", "The body.", new DateTime(2019, 6, 1, 0, 0, 0, DateTimeKind.Utc)));
        await app.CreateArticlesAsync(Story("A later story", $"It mentions {word} once.", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        await app.CreateArticlesAsync(Story("The latest story", $"It mentions {word} too.", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)));

        var newest = await app.GetDocumentAsync($"/search?q={word}");
        Assert.Equal(["A later story", "The latest story"], HeadlinesOn(newest).Order(StringComparer.Ordinal));
        Assert.Contains("To search further back, choose dates", newest.QuerySelector(".search-window")?.TextContent, StringComparison.Ordinal);

        var older = await app.GetDocumentAsync($"/search?q={word}&to=2019-12-31");
        Assert.Equal([$"All about {word}"], HeadlinesOn(older));
        Assert.Null(older.QuerySelector(".search-window")); // one match: all of them ranked
    }

    [Fact]
    public async Task InsideTheWindow_TheBestMatchComesFirst()
    {
        var word = Word();
        await app.CreateArticlesAsync(Story("An aside", $"In passing, {word}.", new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc)));
        await app.CreateArticlesAsync(Story($"The {word} story", "The body.", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)));

        Assert.Equal([$"The {word} story", "An aside"], HeadlinesOn(await app.GetDocumentAsync($"/search?q={word}")));
    }
}

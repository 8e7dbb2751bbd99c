using System.Net;
using Broadsheet.Articles;
using Broadsheet.Search;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Search;

/// <summary>Runs on SQLite (FTS5) and on PostgreSQL (tsvector) with the same assertions.</summary>
public sealed class SearchTests(BroadsheetFactory app) : IClassFixture<BroadsheetFactory>
{
    internal static string Word() => "zq" + Guid.NewGuid().ToString("N")[..10].Replace('0', 'k').Replace('1', 'm');

    [Fact]
    public async Task Search_RanksHeadlineMatchesFirst_AndHighlightsTheSnippet()
    {
        var word = Word();
        await app.CreateArticlesAsync(
            Story($"A story mentioning it in passing", $"Deep in the body we find {word} among other words.", new DateTime(2030, 1, 2, 0, 0, 0, DateTimeKind.Utc)),
            Story($"All about {word}", "The body of the main story.", new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)));

        var page = await app.GetDocumentAsync($"/search?q={word}");

        var results = page.QuerySelectorAll(".search-results .article-list-item").ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal($"All about {word}", results[0].QuerySelector("h2")!.TextContent);
        Assert.Contains(page.QuerySelectorAll(".snippet mark"), m => string.Equals(m.TextContent, word, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Search_RanksTheHeadlineThenTheDekThenTheBody_NewestFirstAmongEquals()
    {
        var word = Word();
        var day = new DateTime(2031, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        await app.CreateArticlesAsync(
            Story($"Oldest, with {word} in the headline", "Body.", day),
            Story("Dek match", "Body.", day.AddDays(1)) with { Dek = $"A dek about {word}" },
            Story("Older body match", $"Somewhere {word} appears.", day.AddDays(2)),
            Story("Newest body match", $"Here too {word} appears.", day.AddDays(3)));

        var page = await app.GetDocumentAsync($"/search?q={word}");

        Assert.Equal([$"Oldest, with {word} in the headline", "Dek match", "Newest body match", "Older body match"], HeadlinesOn(page));
    }

    [Fact]
    public async Task Search_FindsAndQuotesTheWordsReadersSee_NotMarkdownSignsOrAddressesInTags()
    {
        var word = Word();
        var host = Word();
        await app.CreateArticlesAsync(Story(
            "Council budget vote",
            $"The council voted **7–2** on {word} &amp; more.\n\n<figure><img src=\"https://{host}.example/harbour.jpg\" alt=\"Harbour\"></figure>\n\nA [linked report](https://{host}.example/report) followed.",
            new DateTime(2030, 1, 4, 0, 0, 0, DateTimeKind.Utc)));

        var found = await app.GetDocumentAsync($"/search?q={word}");
        var snippet = found.QuerySelector(".snippet")!.TextContent;
        Assert.Contains("voted 7–2 on", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("*", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("&amp;", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("<", snippet, StringComparison.Ordinal);
        // An address inside a tag or a link is not something the article says.
        Assert.Empty((await app.GetDocumentAsync($"/search?q={host}")).QuerySelectorAll(".search-results .article-list-item"));
        Assert.Single((await app.GetDocumentAsync("/search?q=" + Uri.EscapeDataString($"{word} linked report"))).QuerySelectorAll(".search-results .article-list-item"));
    }

    [Fact]
    public async Task ArticlesStoredBeforeTheirTextWasKept_AreSearchableByTheirBody_AfterMigrating()
    {
        var word = Word();
        var article = (await app.CreateArticlesAsync(Story("Stored long ago", $"An old story about {word}.", new DateTime(2030, 1, 5, 0, 0, 0, DateTimeKind.Utc))))[0];
        // As the ArticleBodyText migration leaves an article stored before it: no text yet, the fill not done.
        await Update(article.Id, a => a.SetProperty(x => x.BodyText, ""));
        await app.WithServiceAsync<int, Broadsheet.Infrastructure.Data.BroadsheetDbContext>(
            db => db.SiteSettings.Where(s => s.Key == "upgrade:article-body-text").ExecuteDeleteAsync());
        Assert.Empty((await app.GetDocumentAsync($"/search?q={word}")).QuerySelectorAll(".search-results .article-list-item"));

        await Broadsheet.Infrastructure.Data.DatabaseSetup.MigrateAsync(app.Services);

        Assert.Equal("Stored long ago", Assert.Single(HeadlinesOn(await app.GetDocumentAsync($"/search?q={word}"))));
    }

    [Fact]
    public async Task Snippets_ShowArticleTextAsText_NeverAsMarkup()
    {
        var word = Word();
        await app.CreateArticlesAsync(Story($"Markup {word}", $"{word} <img src=x onerror=alert(1)> <b>bold</b>", new DateTime(2030, 1, 3, 0, 0, 0, DateTimeKind.Utc)));

        var page = await app.GetDocumentAsync($"/search?q={word}");

        var snippet = page.QuerySelector(".snippet")!;
        Assert.Empty(snippet.QuerySelectorAll("img, b"));
        Assert.All(snippet.Children, child => Assert.Equal("MARK", child.TagName));
    }

    [Fact]
    public async Task Snippet_IsTheHighlightedDek_WhenTheHeadlineOrDekMatches_ElseFromTheBody()
    {
        var word = Word();
        var day = new DateTime(2031, 4, 1, 0, 0, 0, DateTimeKind.Utc);
        await app.CreateArticlesAsync(
            Story($"Council and {word}", $"The body says {word} far down, after the news.", day) with { Dek = "What the council decided on Tuesday" },
            Story("Dek match", $"Body text with {word} again.", day.AddDays(1)) with { Dek = $"The summary names {word} first" },
            Story("Body match", $"Only the body holds {word}, in a sentence of its own.", day.AddDays(2)) with { Dek = "A dek without it" });

        var page = await app.GetDocumentAsync($"/search?q={word}");

        var snippets = page.QuerySelectorAll(".search-results .article-list-item")
            .ToDictionary(item => item.QuerySelector("h2")!.TextContent, item => item.QuerySelector(".snippet")!);
        Assert.Equal("What the council decided on Tuesday", snippets[$"Council and {word}"].TextContent.Trim());
        Assert.Equal($"The summary names {word} first", snippets["Dek match"].TextContent.Trim());
        Assert.Equal(word, snippets["Dek match"].QuerySelector("mark")!.TextContent, ignoreCase: true);
        Assert.Contains("Only the body holds", snippets["Body match"].TextContent, StringComparison.Ordinal);
        Assert.Equal(word, snippets["Body match"].QuerySelector("mark")!.TextContent, ignoreCase: true);
    }

    [Fact]
    public async Task QuotedPhrases_MatchOnlyTheWordsTogether()
    {
        var (first, second) = (Word(), Word());
        await app.CreateArticlesAsync(
            Story("Together", $"The {first} {second} stand side by side.", new DateTime(2030, 1, 4, 0, 0, 0, DateTimeKind.Utc)),
            Story("Apart", $"The {second} came before the {first} here.", new DateTime(2030, 1, 5, 0, 0, 0, DateTimeKind.Utc)));

        var both = await Headlines($"{first} {second}");
        var phrase = await Headlines($"\"{first} {second}\"");

        Assert.Equal(["Apart", "Together"], both.Order());
        Assert.Equal(["Together"], phrase);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"unbalanced quote")]
    [InlineData("(((")]
    [InlineData("NEAR(a b) OR NOT * ^ : -")]
    [InlineData("'; DROP TABLE \"Articles\"; --")]
    [InlineData("headline:putin")]
    [InlineData("")]
    public async Task HostileQueries_NeverBreakTheSearch(string query)
    {
        var response = await app.CreateReader().GetAsync($"/search?q={Uri.EscapeDataString(query)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sample = await app.GetDocumentAsync("/2025/08/16/putin-and-trump-discuss-ukraine-war-end-in-alaska-talks");
        Assert.NotNull(sample.QuerySelector("h1"));
    }

    [Fact]
    public async Task AVeryLongQuery_IsCutNotRefused()
    {
        var response = await app.CreateReader().GetAsync($"/search?q={new string('a', 10_000)}%20putin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheIndex_FollowsEditsAndUnpublishing()
    {
        var (before, after) = (Word(), Word());
        var article = (await app.CreateArticlesAsync(Story($"Edited {before}", "Body.", new DateTime(2030, 1, 6, 0, 0, 0, DateTimeKind.Utc))))[0];
        Assert.Single(await Headlines(before));

        await Update(article.Id, a => a.SetProperty(x => x.Headline, $"Edited {after}"));
        Assert.Empty(await Headlines(before));
        Assert.Single(await Headlines(after));

        await Update(article.Id, a => a.SetProperty(x => x.Status, ArticleStatus.Unpublished));
        Assert.Empty(await Headlines(after));
    }

    [Fact]
    public async Task ResultPages_LinkToEachOther_WithRelNextAndPrev()
    {
        var word = Word();
        await app.CreateArticlesAsync(Enumerable.Range(1, 25).Select(i => Story($"Paged {word} {i}", "Body.", new DateTime(2032, 1, 1, 0, i, 0, DateTimeKind.Utc))).ToArray());

        var first = await app.GetDocumentAsync($"/search?q={word}");
        var next = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        Assert.Null(first.QuerySelector("a[rel=prev]"));
        Assert.Equal($"http://localhost{next}", first.QuerySelector("link[rel=next]")!.GetAttribute("href"));

        var second = await app.GetDocumentAsync(next);
        Assert.Equal(5, second.QuerySelectorAll(".search-results .article-list-headline").Length);
        Assert.Null(second.QuerySelector("a[rel=next]"));
        var previous = second.QuerySelector("a[rel=prev]")!;
        Assert.Equal("← Previous results", previous.TextContent);
        Assert.Equal($"/search?q={word}", previous.GetAttribute("href"));
        Assert.Equal($"http://localhost/search?q={word}", second.QuerySelector("link[rel=prev]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task ExactlyAPageOfResults_HasNoNextPage()
    {
        var word = Word();
        await app.CreateArticlesAsync(Enumerable.Range(1, ArticleSearch.PageSize).Select(i => Story($"Full page {word} {i}", "Body.", new DateTime(2032, 2, 1, 0, i, 0, DateTimeKind.Utc))).ToArray());

        var first = await app.GetDocumentAsync($"/search?q={word}");

        Assert.Equal(ArticleSearch.PageSize, first.QuerySelectorAll(".search-results .article-list-headline").Length);
        Assert.Null(first.QuerySelector("a[rel=next]"));
        Assert.Null(first.QuerySelector("link[rel=next]"));
    }

    [Fact]
    public async Task Filters_NarrowBySectionAndDate()
    {
        var word = Word();
        var sport = Unique.Words("Sport");
        await app.CreateArticlesAsync(
            Story($"In sport {word}", "Body.", new DateTime(2031, 3, 10, 12, 0, 0, DateTimeKind.Utc), sport),
            Story($"In world {word}", "Body.", new DateTime(2031, 5, 10, 12, 0, 0, DateTimeKind.Utc), "World"));

        Assert.Equal([$"In sport {word}"], await Headlines(word, $"&section={Broadsheet.Infrastructure.Text.Slugs.From(sport)}"));
        Assert.Equal([$"In world {word}"], await Headlines(word, "&from=2031-04-01&to=2031-12-31"));
        Assert.Equal([$"In sport {word}"], await Headlines(word, "&to=2031-03-10"));
        var bad = await app.CreateReader().GetAsync($"/search?q={word}&from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task NoResults_GetsAHelpfulPage()
    {
        var page = await app.GetDocumentAsync($"/search?q={Word()}");

        var empty = page.QuerySelector(".search-empty")!;
        Assert.Contains("No stories match", empty.TextContent, StringComparison.Ordinal);
        Assert.NotNull(empty.QuerySelector("a[href='/latest']"));
    }

    private async Task<List<string>> Headlines(string query, string filters = "")
    {
        var page = await app.GetDocumentAsync($"/search?q={Uri.EscapeDataString(query)}{filters}");
        return HeadlinesOn(page);
    }

    internal static List<string> HeadlinesOn(AngleSharp.Dom.IDocument page) =>
        page.QuerySelectorAll(".search-results h2").Select(h => h.TextContent).ToList();

    private async Task Update(int id, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Article>> set)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Broadsheet.Infrastructure.Data.BroadsheetDbContext>();
        await db.Articles.Where(a => a.Id == id).ExecuteUpdateAsync(set);
    }

    internal static ArticleDraft Story(string headline, string body, DateTime publishedAt, string? section = null) => new()
    {
        Headline = headline,
        BodyMarkdown = body,
        PublishedAt = publishedAt,
        Section = section,
    };
}

using System.Net;
using Broadsheet.Tests.Infrastructure;

namespace Broadsheet.Tests.Import;

/// <summary>The import CLI, run as a real process against a real SQLite file, then read back through the site.</summary>
public sealed class ImportCommandTests : IAsyncLifetime
{
    private readonly TestDatabase _database = TestDatabase.Create();
    private readonly string _files = TempDirectory.Create("broadsheet-cli-files");

    [Fact]
    public async Task ImportMarkdown_PublishesTheArticle_WithItsFrontMatter()
    {
        var file = Write("budget.md", """
            ---
            title: "City Council Passes a Leaner Budget"
            dek: Spending falls for the first time in a decade
            author: [Maria Gomez, Tom Hale]
            date: 2025-03-04T09:30:00Z
            section: Politics
            tags: [Budget, City Council]
            ---
            The council voted **7–2** on Tuesday.

            > "We listened," the mayor said.
            """);

        var result = await BroadsheetProcess.RunAsync(_database, "import", "markdown", file);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("/2025/03/04/city-council-passes-a-leaner-budget", result.Output, StringComparison.Ordinal);
        await using var app = new ExistingDatabaseFactory(_database);
        var page = await app.GetDocumentAsync("/2025/03/04/city-council-passes-a-leaner-budget");
        Assert.Equal("City Council Passes a Leaner Budget", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("Spending falls for the first time in a decade", page.QuerySelector(".dek")!.TextContent);
        Assert.Equal("7–2", page.QuerySelector(".article-body strong")!.TextContent);
        Assert.NotNull(page.QuerySelector(".article-body blockquote"));
        Assert.Equal(["Maria Gomez", "Tom Hale"], page.QuerySelectorAll(".byline .author").Select(a => a.TextContent));
        Assert.Equal("Politics", page.QuerySelector(".kicker a")!.TextContent);
        Assert.Equal(["Budget", "City Council"], page.QuerySelectorAll(".article-topics li").Select(a => a.TextContent));
    }

    [Fact]
    public async Task ImportMarkdown_StoresNothing_WhenOneFileIsBad()
    {
        var good = Write("good.md", "---\ntitle: A Perfectly Good Story\n---\nBody.\n");
        var bad = Write("bad.md", "---\ndek: Someone forgot the title\n---\nBody.\n");

        var result = await BroadsheetProcess.RunAsync(_database, "import", "markdown", good, bad);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{bad}: front matter has no 'title:'", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(good + ":", result.Error, StringComparison.Ordinal);
        await using var app = new ExistingDatabaseFactory(_database);
        var latest = await app.GetDocumentAsync("/latest");
        Assert.DoesNotContain(latest.QuerySelectorAll(".article-list-headline"), h => h.TextContent == "A Perfectly Good Story");
    }

    [Theory]
    [InlineData("broken.md", "---\ntitle: [unclosed\n---\nBody\n", "front matter is not valid YAML")]
    [InlineData("open.md", "---\ntitle: No end\nBody\n", "front matter is not closed")]
    [InlineData("plain.md", "# Just markdown\n\nNo front matter.\n", "does not start with YAML front matter")]
    [InlineData("nobody.md", "---\ntitle: Empty\n---\n\n", "no body")]
    [InlineData("date.md", "---\ntitle: Bad date\ndate: next tuesday\n---\nBody\n", "'date' value 'next tuesday' is not a date")]
    public async Task ImportMarkdown_NamesTheFileAndTheProblem(string name, string content, string problem)
    {
        var file = Write(name, content);

        var result = await BroadsheetProcess.RunAsync(_database, "import", "markdown", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(file, result.Error, StringComparison.Ordinal);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportText_ImportsTheSamplePage_WithoutItsPageFurniture()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "sample-article.txt"));
        var file = Write("alaska.txt", text.Replace("Putin and Trump Discuss", "Leaders Discuss", StringComparison.Ordinal));

        var result = await BroadsheetProcess.RunAsync(
            _database, "import", "text", file, "--author", "Wire Desk", "--section", "World", "--date", "2025-08-17T06:00:00Z");

        Assert.True(result.ExitCode == 0, result.Error);
        await using var app = new ExistingDatabaseFactory(_database);
        var page = await app.GetDocumentAsync("/2025/08/17/leaders-discuss-ukraine-war-end-in-alaska-talks-no-deal-reached");
        Assert.Equal("Putin tells top officials Alaska talks were 'frank and informative'", page.QuerySelector(".dek")!.TextContent);
        var paragraphs = page.QuerySelectorAll(".article-body p").Select(p => p.TextContent).ToList();
        Assert.Equal(6, paragraphs.Count);
        Assert.StartsWith("The Alaska meeting highlights", paragraphs[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(paragraphs, p => p.Contains("Scroll to Top", StringComparison.Ordinal) || p.Contains("Leave a Comment", StringComparison.Ordinal));
        Assert.Equal("Wire Desk", page.QuerySelector(".byline .author")!.TextContent);
    }

    [Fact]
    public async Task ImportText_KeepsMarkdownLookingTextLiteral()
    {
        var file = Write("literal.txt", "Headline With *Stars*\n\n# not a heading, 1. not a list, <b>not bold</b>\n");

        var result = await BroadsheetProcess.RunAsync(_database, "import", "text", file, "--date", "2025-01-05T00:00:00Z");

        Assert.True(result.ExitCode == 0, result.Error);
        await using var app = new ExistingDatabaseFactory(_database);
        var page = await app.GetDocumentAsync("/2025/01/05/headline-with-stars");
        Assert.Equal("# not a heading, 1. not a list, <b>not bold</b>", page.QuerySelector(".article-body p")!.TextContent);
        Assert.Null(page.QuerySelector(".article-body b"));
    }

    [Fact]
    public async Task ImportText_RejectsAFileThatIsNotUtf8Text()
    {
        var file = Path.Combine(_files, "latin1.txt");
        await File.WriteAllBytesAsync(file, [0x48, 0x65, 0x61, 0x64, 0x0A, 0x0A, 0xE9, 0xE8, 0x0A]);

        var result = await BroadsheetProcess.RunAsync(_database, "import", "text", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{file}: file is not valid UTF-8 text", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_CreatesTheDatabaseInWalMode_AndSeedsTheSampleOnce()
    {
        var result = await BroadsheetProcess.RunAsync(_database, "migrate");
        var again = await BroadsheetProcess.RunAsync(_database, "migrate");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("up to date", result.Output, StringComparison.Ordinal);
        Assert.True(TestDatabase.IsPostgres || File.Exists(Path.Combine(_database.DataDirectory, "broadsheet.db")));
        await using var app = new ExistingDatabaseFactory(_database);
        var latest = await app.GetDocumentAsync("/latest");
        Assert.Single(latest.QuerySelectorAll(".article-list-headline"), h => h.TextContent.StartsWith("Putin and Trump", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_StopsWithAClearMessage_WhenASettingIsWrong()
    {
        var result = await BroadsheetProcess.RunAsync(
            _database, new Dictionary<string, string> { ["Broadsheet__Site__TimeZone"] = "Mars/Olympus_Mons" }, "serve");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Broadsheet:Site:TimeZone 'Mars/Olympus_Mons' is not a known time zone", result.Error, StringComparison.Ordinal);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_files, name);
        File.WriteAllText(path, content);
        return path;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _database.Dispose();
        TempDirectory.Delete(_files);
        return Task.CompletedTask;
    }
}

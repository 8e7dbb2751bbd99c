using Broadsheet.Import;
using Broadsheet.Infrastructure.Text;

namespace Broadsheet.Tests.Articles;

public sealed class SlugTests
{
    [Theory]
    [InlineData("Putin and Trump Discuss Ukraine War End in Alaska Talks", "putin-and-trump-discuss-ukraine-war-end-in-alaska-talks")]
    [InlineData("Café Society: Zürich’s “New” Wave!", "cafe-society-zurichs-new-wave")]
    [InlineData("  --Hello,   World--  ", "hello-world")]
    [InlineData("Putin's 'frank' talks", "putins-frank-talks")]
    [InlineData("ＮＨＫ ﬁnal", "nhk-final")]
    public void From_MakesLowerCaseAsciiWordsJoinedByHyphens(string text, string expected) =>
        Assert.Equal(expected, Slugs.From(text));

    [Theory]
    [InlineData("東京", "東京")]
    [InlineData("Россия Сегодня", "россия-сегодня")]
    [InlineData("हिन्दी समाचार", "हिन्दी-समाचार")] // the vowel signs and virama are part of the words
    [InlineData("서울 소식", "서울-소식")]         // Hangul syllables come back whole
    [InlineData("Zürich — 東京 talks", "zurich-東京-talks")]
    [InlineData("— ★ —", "")]
    public void From_KeepsLettersOfEveryScript(string text, string expected) =>
        Assert.Equal(expected, Slugs.From(text));

    [Fact]
    public void From_GivesOneSlugForAGreekName_HoweverItIsCased_AndNoneForBlankDrawingCharacters()
    {
        Assert.Equal(Slugs.From("Αθήνα"), Slugs.From("ΑΘΗΝΑ"));
        Assert.Equal("ολυμπιακοσ", Slugs.From("Ολυμπιακός")); // final ς is σ
        Assert.Equal("", Slugs.From("\u3164 \u2800"));
    }

    [Fact]
    public void TextOf_GivesTheWordsReadersSee()
    {
        var html = new Broadsheet.Infrastructure.Text.ArticleHtmlRenderer().Render(
            "The council voted[^1] **7–2** &amp; x<sup>2</sup> rose.\n\n![a > b](https://cdn.example/p.jpg)\n\nNext paragraph.\n\n[^1]: A note.");

        var text = Broadsheet.Infrastructure.Text.ArticleHtmlRenderer.TextOf(html);

        Assert.StartsWith("The council voted 7–2 & x 2 rose. Next paragraph.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.example", text, StringComparison.Ordinal);
        Assert.DoesNotContain(">", text, StringComparison.Ordinal);
    }

    [Fact]
    public void From_CutsLongTextBetweenCharacters_NeverInsideOne()
    {
        // 𠀋 is one character written with two UTF-16 units: 81 units would end halfway through one.
        var slug = Slugs.From(string.Concat(Enumerable.Repeat("漢", 79)) + "𠀋𠀋");

        Assert.Equal(string.Concat(Enumerable.Repeat("漢", 79)), slug);
    }

    [Fact]
    public void From_CutsLongTextAtAWordBoundary()
    {
        var slug = Slugs.From(string.Join(' ', Enumerable.Repeat("word", 40)));

        Assert.True(slug.Length <= Slugs.MaxLength);
        Assert.EndsWith("word", slug, StringComparison.Ordinal);
    }
}

public sealed class TextArticleParserTests
{
    [Fact]
    public void Parse_ReadsHeadlineDekAndBody_AndDropsTrailingFurniture()
    {
        var draft = TextArticleParser.Parse("Headline\n\nThe dek\n\nFirst paragraph\nwrapped here.\n\nSecond.\n\nLeave a Comment\n\nScroll to Top\n");

        Assert.Equal("Headline", draft.Headline);
        Assert.Equal("The dek", draft.Dek);
        Assert.Equal("First paragraph wrapped here.\n\nSecond.\n", draft.BodyMarkdown);
    }

    [Fact]
    public void Parse_TreatsTheSecondParagraphAsBody_WhenNothingFollows()
    {
        var draft = TextArticleParser.Parse("Headline\n\nOnly paragraph.");

        Assert.Null(draft.Dek);
        Assert.Equal("Only paragraph.\n", draft.BodyMarkdown);
    }

    [Theory]
    [InlineData("", "file is empty")]
    [InlineData("Scroll to Top\n", "file is empty")]
    [InlineData("Just a headline\n", "no body")]
    public void Parse_ExplainsWhatIsMissing(string text, string problem)
    {
        var error = Assert.Throws<ImportProblemException>(() => TextArticleParser.Parse(text));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsAHeadlineThatIsReallyAParagraph()
    {
        var error = Assert.Throws<ImportProblemException>(() => TextArticleParser.Parse(new string('x', 400) + "\n\nBody"));

        Assert.Contains("400 characters long (limit 300)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EscapedText_RendersAsTheSameText()
    {
        const string text = "5 * 3 = 15, _under_ [link](x) <i>html</i> & `code` | pipe ~strike~";
        var html = new ArticleHtmlRenderer().Render(TextArticleParser.EscapeMarkdown(text));

        var paragraph = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelector("p")!;
        Assert.Equal(text, paragraph.TextContent);
        Assert.Empty(paragraph.Children);
    }
}

public sealed class MarkdownArticleParserTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void Parse_ReadsFrontMatterFieldsAndSynonyms()
    {
        var draft = MarkdownArticleParser.Parse(
            "---\ntitle: Hello\nsubtitle: World\nauthors: Ana, Ben\ncategories: [Local, Other]\ntopics: 'a, b'\ndraft: true\n---\nBody **bold**\n",
            TimeZoneInfo.Utc);

        Assert.Equal("Hello", draft.Headline);
        Assert.Equal("World", draft.Dek);
        Assert.Equal(["Ana", "Ben"], draft.Authors);
        Assert.Equal("Local", draft.Section);
        Assert.Equal(["a", "b"], draft.Tags);
        Assert.Equal(Broadsheet.Articles.ArticleStatus.Draft, draft.Status);
        Assert.Equal("Body **bold**\n", draft.BodyMarkdown);
    }

    [Theory]
    [InlineData("2025-08-16", "2025-08-16T04:00:00Z")]            // midnight in New York (EDT)
    [InlineData("2025-01-16 09:30", "2025-01-16T14:30:00Z")]      // EST
    [InlineData("2025-08-16T09:30:00Z", "2025-08-16T09:30:00Z")]
    [InlineData("2025-08-16T09:30:00+02:00", "2025-08-16T07:30:00Z")]
    public void Parse_ReadsDatesWithoutOffsetInTheNewsroomsZone(string date, string expectedUtc)
    {
        var draft = MarkdownArticleParser.Parse($"---\ntitle: T\ndate: {date}\n---\nBody\n", NewYork);

        Assert.Equal(DateTime.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal), draft.PublishedAt);
        Assert.Equal(DateTimeKind.Utc, draft.PublishedAt!.Value.Kind);
    }

    [Fact]
    public void Parse_RejectsAnUnknownStatus()
    {
        var error = Assert.Throws<ImportProblemException>(() => MarkdownArticleParser.Parse("---\ntitle: T\nstatus: maybe\n---\nBody\n", TimeZoneInfo.Utc));

        Assert.Contains("'status' value 'maybe' is not known", error.Message, StringComparison.Ordinal);
    }
}

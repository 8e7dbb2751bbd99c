using Ganss.Xss;
using Markdig;

namespace Broadsheet.Infrastructure.Text;

/// <summary>
/// Turns staff-written Markdown into HTML that is safe to serve: Markdig renders it, then
/// HtmlSanitizer removes anything that could run script (raw HTML in Markdown is allowed for
/// embeds and tables, so sanitizing is what makes it safe, not the Markdown dialect).
/// </summary>
public sealed partial class ArticleHtmlRenderer
{
    // No SmartyPants: reporters' typographic quotes are kept exactly as written, straight ones too.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseAutoLinks()
        .UseFigures()
        .UseFootnotes()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public string Render(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        return _sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));
    }

    /// <summary>An article body as it is stored: the HTML pages show and the text search indexes.</summary>
    public (string Html, string Text) RenderBody(string markdown)
    {
        var html = Render(markdown);
        return (html, TextOf(html));
    }

    /// <summary>
    /// The text a reader sees in rendered, sanitized HTML: tags gone (a block's end becomes a space, so
    /// paragraphs do not run together; inline tags join as written), entities decoded, spaces collapsed.
    /// </summary>
    public static string TextOf(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = InlineTag().Replace(html, "");
        text = AnyTag().Replace(text, " ");
        return Spaces().Replace(System.Net.WebUtility.HtmlDecode(text), " ").Trim();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"</?(?:a|abbr|b|cite|code|del|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|u|var)\b[^>]*>", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex InlineTag();

    [System.Text.RegularExpressions.GeneratedRegex("<[^>]*>")]
    private static partial System.Text.RegularExpressions.Regex AnyTag();

    [System.Text.RegularExpressions.GeneratedRegex(@"\s+")]
    private static partial System.Text.RegularExpressions.Regex Spaces();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedTags.Add("figure");
        sanitizer.AllowedTags.Add("figcaption");
        sanitizer.AllowedSchemes.Add("mailto");
        // Links leaving the article never hand the reader's page to the target.
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Html.Dom.IHtmlAnchorElement anchor && anchor.GetAttribute("href") is { } href
                && (href.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || href.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            {
                anchor.SetAttribute("rel", "noopener");
            }
        };
        return sanitizer;
    }
}

using AngleSharp;
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

    /// <summary>
    /// An article body as it is stored: the HTML pages show and the text search indexes, both from the
    /// one document the sanitizer builds (what <see cref="Render"/> serializes), so it is parsed once.
    /// </summary>
    public (string Html, string Text) RenderBody(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        using var document = _sanitizer.SanitizeDom(Markdown.ToHtml(markdown, Pipeline));
        if (document.Body is not { } body)
        {
            return ("", "");
        }

        var text = new System.Text.StringBuilder(markdown.Length);
        AppendText(body, text);
        return (body.ChildNodes.ToHtml(_sanitizer.OutputFormatter), Spaces().Replace(text.ToString(), " ").Trim());
    }

    /// <summary>
    /// The text a reader sees in rendered, sanitized HTML: the words of its text nodes, a space at the
    /// edges of every element but the inline ones (so paragraphs and superscripts do not run into the
    /// words before them), footnote markers left out, spaces collapsed.
    /// </summary>
    public static string TextOf(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        // One parser per thread: making one costs more than parsing a body, and a parse keeps nothing in it.
        var parser = _textParser ??= new AngleSharp.Html.Parser.HtmlParser();
        var text = new System.Text.StringBuilder(html.Length);
        AppendText(parser.ParseDocument(html).Body!, text);
        return Spaces().Replace(text.ToString(), " ").Trim();
    }

    [ThreadStatic]
    private static AngleSharp.Html.Parser.HtmlParser? _textParser;

    private static readonly HashSet<string> InlineElements = new(StringComparer.Ordinal)
    {
        "a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "u", "var",
    };

    private static void AppendText(AngleSharp.Dom.INode node, System.Text.StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is AngleSharp.Dom.IText words)
            {
                text.Append(words.Data);
            }
            // A footnote's number and its way back ("#fn:1", "#fnref:1" links) are not words of the text.
            else if (child is AngleSharp.Dom.IElement element
                && !(element.LocalName == "a" && element.GetAttribute("href")?.StartsWith("#fn", StringComparison.Ordinal) == true))
            {
                var inline = InlineElements.Contains(element.LocalName);
                text.Append(inline ? "" : " ");
                AppendText(element, text);
                text.Append(inline ? "" : " ");
            }
        }
    }

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

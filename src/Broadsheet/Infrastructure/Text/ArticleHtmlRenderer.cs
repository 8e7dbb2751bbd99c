using Ganss.Xss;
using Markdig;

namespace Broadsheet.Infrastructure.Text;

/// <summary>
/// Turns staff-written Markdown into HTML that is safe to serve: Markdig renders it, then
/// HtmlSanitizer removes anything that could run script (raw HTML in Markdown is allowed for
/// embeds and tables, so sanitizing is what makes it safe, not the Markdown dialect).
/// </summary>
public sealed class ArticleHtmlRenderer
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

using System.Text.RegularExpressions;
using Ganss.Xss;
using Markdig;
using Markdig.Parsers;
using Markdig.Parsers.Inlines;

namespace Broadsheet.Comments;

/// <summary>
/// Renders what readers type: a small, safe subset of Markdown (paragraphs, line breaks,
/// emphasis, links, quotes, code). Raw HTML is shown as text, everything else is plain text, and
/// the result is sanitized again with an allowlist so nothing that reaches the page can run.
/// </summary>
public sealed partial class CommentText
{
    private static readonly MarkdownPipeline Pipeline = CreatePipeline();
    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public string Render(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _sanitizer.Sanitize(Markdown.ToHtml(text, Pipeline)).Trim();
    }

    /// <summary>Links in rendered comment HTML, for the "hold at N links" policy.</summary>
    public static int CountLinks(string html) => AnchorTag().Count(html);

    private static MarkdownPipeline CreatePipeline()
    {
        var builder = new MarkdownPipelineBuilder()
            .DisableHtml()
            .UseAutoLinks()
            .UseSoftlineBreakAsHardlineBreak();
        builder.BlockParsers.TryRemove<HeadingBlockParser>();
        builder.BlockParsers.TryRemove<ListBlockParser>();
        builder.BlockParsers.TryRemove<ThematicBreakParser>();
        builder.BlockParsers.TryRemove<IndentedCodeBlockParser>();
        builder.BlockParsers.TryRemove<HtmlBlockParser>();
        builder.InlineParsers.TryRemove<HtmlEntityParser>();
        return builder.Build();
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "p", "br", "em", "strong", "a", "blockquote", "code", "pre" },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedCssProperties = new HashSet<string>(),
        })
        {
            KeepChildNodes = true,
        };
        // Readers' links earn no ranking (nofollow ugc) and get no handle on our page (noopener).
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Html.Dom.IHtmlAnchorElement anchor)
            {
                anchor.SetAttribute("rel", "nofollow ugc noopener");
            }
        };
        return sanitizer;
    }

    [GeneratedRegex("<a\\s[^>]*href=", RegexOptions.IgnoreCase)]
    private static partial Regex AnchorTag();
}

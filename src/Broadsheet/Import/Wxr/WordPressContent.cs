using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Broadsheet.Import.Wxr;

/// <summary>
/// WordPress's stored post and comment text, made into what Broadsheet stores. Post content stays
/// HTML (inside the Markdown body, where Markdig passes block-level HTML through untouched and the
/// article renderer sanitizes it): converting to Markdown would lose embeds, tables and classes
/// that readers saw. What WordPress adds only when it displays a post is done here once:
/// block-editor comments are removed and <c>wpautop</c>'s paragraphs are made real.
/// </summary>
public static partial class WordPressContent
{
    // wpautop's list of block-level elements: text is never wrapped in <p> across them.
    private const string BlockTags =
        "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|figcaption|figure|footer|form|"
        + "h[1-6]|header|hgroup|hr|iframe|legend|li|main|map|math|menu|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul|video|audio|embed|object";

    // One parser for every comment: making one costs more than parsing a short comment with it
    // (bench/wxr-import-memory.sh), and a parse keeps nothing in the parser between calls.
    private static readonly HtmlParser CommentParser = new();

    /// <summary>A post's <c>content:encoded</c> as the Markdown body of an article (HTML blocks separated by blank lines).</summary>
    public static string PostBody(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = BlockComment().Replace(content.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'), "");
        // Scripts and styles would be removed by the sanitizer anyway; dropping them here leaves no empty paragraph behind.
        text = ScriptOrStyle().Replace(text, "");
        text = Caption().Replace(text, m => $"<figure>{m.Groups["media"].Value}<figcaption>{m.Groups["text"].Value.Trim()}</figcaption></figure>");

        // <pre> keeps its blank lines and line breaks: set aside while paragraphs are made.
        var kept = new List<string>();
        text = Preformatted().Replace(text, m =>
        {
            kept.Add(m.Value);
            return $"\n\n\u0001{kept.Count - 1}\u0001\n\n";
        });
        text = BlockOpening().Replace(text, "\n\n$0");
        text = BlockClosing().Replace(text, "$0\n\n");

        var blocks = new List<string>();
        foreach (var chunk in BlankLines().Split(text))
        {
            var block = chunk.Trim();
            if (block.Length == 0)
            {
                continue;
            }

            if (KeptMarker().Match(block) is { Success: true } marker)
            {
                blocks.Add(kept[int.Parse(marker.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);
            }
            else if (StartsWithBlockTag().IsMatch(block))
            {
                blocks.Add(block);
            }
            else
            {
                // A paragraph of running text: wpautop turns its single line breaks into <br>.
                blocks.Add("<p>" + string.Join("<br>\n", block.Split('\n').Select(l => l.Trim())) + "</p>");
            }
        }

        return blocks.Count == 0 ? "" : string.Join("\n\n", blocks) + "\n";
    }

    /// <summary>An excerpt or title as plain text: tags dropped, entities decoded, whitespace collapsed.</summary>
    public static string PlainText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        return Whitespace().Replace(WebUtility.HtmlDecode(AnyTag().Replace(BlockComment().Replace(html, ""), " ")), " ").Trim();
    }

    /// <summary>
    /// A comment's HTML as the little Markdown that comments are written in here (paragraphs,
    /// emphasis, links, quotes, code), so the comment text pipeline renders it as WordPress showed it.
    /// Other tags keep only their text.
    /// </summary>
    public static string CommentMarkdown(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        // WordPress keeps comments with their typed line breaks and applies wpautop on display.
        var body = CommentParser.ParseDocument("<body>" + PostBody(html) + "</body>").Body!;
        var markdown = new StringBuilder();
        foreach (var node in body.ChildNodes)
        {
            AppendBlock(markdown, node, "");
        }

        return ExtraBlankLines().Replace(markdown.ToString().Trim('\n'), "\n\n");
    }

    private static void AppendBlock(StringBuilder markdown, INode node, string quote)
    {
        if (node is IElement { LocalName: "blockquote" } blockquote)
        {
            foreach (var child in blockquote.ChildNodes)
            {
                AppendBlock(markdown, child, quote + "> ");
            }

            markdown.Append(quote.TrimEnd()).Append('\n');
            return;
        }

        if (node is IElement { LocalName: "pre" } pre)
        {
            markdown.Append(quote).Append("```\n");
            foreach (var line in pre.TextContent.Trim('\n').Split('\n'))
            {
                markdown.Append(quote).Append(line).Append('\n');
            }

            markdown.Append(quote).Append("```\n").Append(quote.TrimEnd()).Append('\n');
            return;
        }

        var inline = new StringBuilder();
        AppendInline(inline, node);
        var text = inline.ToString().Trim();
        if (text.Length == 0)
        {
            return;
        }

        foreach (var line in text.Split('\n'))
        {
            markdown.Append(quote).Append(line.Trim()).Append('\n');
        }

        markdown.Append(quote.TrimEnd()).Append('\n');
    }

    private static void AppendInline(StringBuilder markdown, INode node)
    {
        switch (node)
        {
            case IText text:
                markdown.Append(Escape(Whitespace().Replace(text.Data, " ")));
                return;
            case IElement { LocalName: "br" }:
                markdown.Append('\n');
                return;
            case IElement { LocalName: "code" } code:
                markdown.Append('`').Append(code.TextContent.Replace("`", "'", StringComparison.Ordinal)).Append('`');
                return;
            case IElement { LocalName: "a" } anchor when anchor.GetAttribute("href") is { Length: > 0 } href && IsWebLink(href):
                markdown.Append('[');
                AppendChildren(markdown, anchor);
                markdown.Append("](").Append(href.Replace(")", "%29", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal)).Append(')');
                return;
            case IElement { LocalName: "strong" or "b" } strong:
                Wrap(markdown, strong, "**");
                return;
            case IElement { LocalName: "em" or "i" } emphasis:
                Wrap(markdown, emphasis, "*");
                return;
            case IElement { LocalName: "p" or "div" or "li" or "ul" or "ol" } block:
                AppendChildren(markdown, block);
                markdown.Append('\n');
                return;
            case IElement other:
                AppendChildren(markdown, other);
                return;
        }
    }

    private static void Wrap(StringBuilder markdown, IElement element, string marker)
    {
        var inner = new StringBuilder();
        AppendChildren(inner, element);
        var text = inner.ToString();
        if (text.Trim().Length == 0)
        {
            markdown.Append(text);
            return;
        }

        // Emphasis markers must touch the text they wrap.
        var leading = text[..(text.Length - text.TrimStart().Length)];
        var trailing = text[text.TrimEnd().Length..];
        markdown.Append(leading).Append(marker).Append(text.Trim()).Append(marker).Append(trailing);
    }

    private static void AppendChildren(StringBuilder markdown, INode node)
    {
        foreach (var child in node.ChildNodes)
        {
            AppendInline(markdown, child);
        }
    }

    private static bool IsWebLink(string href) =>
        href.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || href.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);

    /// <summary>What readers typed stays literal: Markdown's own characters are escaped.</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '`' or '[' or ']')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    // Block-editor markup (<!-- wp:paragraph -->), <!--more--> and any other comment: none is shown to readers.
    [GeneratedRegex(@"<!--[\s\S]*?-->")]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"\[caption[^\]]*\](?<media>\s*(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(?<text>[\s\S]*?)\[/caption\]", RegexOptions.IgnoreCase)]
    private static partial Regex Caption();

    [GeneratedRegex(@"<(script|style)\b[\s\S]*?</\1\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<pre\b[\s\S]*?</pre>", RegexOptions.IgnoreCase)]
    private static partial Regex Preformatted();

    [GeneratedRegex(@"^\u0001(\d+)\u0001$")]
    private static partial Regex KeptMarker();

    [GeneratedRegex(@"<(?:" + BlockTags + @")\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockOpening();

    [GeneratedRegex(@"</(?:" + BlockTags + @")\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockClosing();

    [GeneratedRegex(@"^<(?:" + BlockTags + @"|/(?:" + BlockTags + @"))\b", RegexOptions.IgnoreCase)]
    private static partial Regex StartsWithBlockTag();

    [GeneratedRegex(@"\n[ \t]*\n\s*")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ExtraBlankLines();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

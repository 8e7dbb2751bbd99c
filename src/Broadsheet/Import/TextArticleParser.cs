using System.Text;
using Broadsheet.Articles;

namespace Broadsheet.Import;

/// <summary>
/// Plain text as newsrooms paste it: the first paragraph is the headline, the second the dek (when
/// more follow), the rest the body. Page furniture copied along with a story from a web page
/// ("Leave a Comment", "Scroll to Top", …) is dropped from the end.
/// </summary>
public static class TextArticleParser
{
    public const int MaxHeadlineLength = 300;
    public const int MaxDekLength = 600;

    private static readonly string[] TrailingFurniture =
    [
        "leave a comment",
        "leave a reply",
        "your email address will not be published",
        "required fields are marked",
        "scroll to top",
        "back to top",
        "share this",
    ];

    public static ArticleDraft Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var paragraphs = ImportText.Paragraphs(text);
        while (paragraphs.Count > 0 && IsFurniture(paragraphs[^1]))
        {
            paragraphs.RemoveAt(paragraphs.Count - 1);
        }

        if (paragraphs.Count == 0)
        {
            throw new ImportProblemException("file is empty: expected a headline, a dek and the body's paragraphs.");
        }

        var headline = paragraphs[0];
        if (headline.Length > MaxHeadlineLength)
        {
            throw new ImportProblemException(
                $"the first paragraph is taken as the headline but is {headline.Length} characters long (limit {MaxHeadlineLength}). "
                + "Put the headline alone on the first line, followed by a blank line.");
        }

        if (paragraphs.Count < 2)
        {
            throw new ImportProblemException("file has a headline but no body. Separate paragraphs with blank lines.");
        }

        var hasDek = paragraphs.Count >= 3 && paragraphs[1].Length <= MaxDekLength;
        var body = paragraphs.Skip(hasDek ? 2 : 1).Select(EscapeMarkdown);
        return new ArticleDraft
        {
            Headline = headline,
            Dek = hasDek ? paragraphs[1] : null,
            BodyMarkdown = string.Join("\n\n", body) + "\n",
        };
    }

    private static bool IsFurniture(string paragraph) =>
        paragraph.Length < 120
        && TrailingFurniture.Any(f => paragraph.StartsWith(f, StringComparison.OrdinalIgnoreCase));

    /// <summary>Plain text must read the same after Markdown rendering: escape what Markdown would act on.</summary>
    internal static string EscapeMarkdown(string paragraph)
    {
        var builder = new StringBuilder(paragraph.Length + 8);
        foreach (var c in paragraph)
        {
            if (c is '\\' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '|' or '~' or '&')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        // A paragraph that starts like a heading, list item or numbered list stays a paragraph.
        if (builder.Length > 0 && builder[0] is '#' or '-' or '+' or '=')
        {
            builder.Insert(0, '\\');
        }
        else if (LeadingDigitsThen(builder.ToString(), out var index) && index < builder.Length && builder[index] is '.' or ')')
        {
            builder.Insert(index, '\\');
        }

        return builder.ToString();
    }

    private static bool LeadingDigitsThen(string text, out int index)
    {
        index = 0;
        while (index < text.Length && char.IsAsciiDigit(text[index]))
        {
            index++;
        }

        return index > 0;
    }
}

using System.Globalization;
using Broadsheet.Articles;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Broadsheet.Import;

/// <summary>
/// Markdown with YAML front matter, as static-site generators write it:
/// <code>
/// ---
/// title: Headline
/// dek: The sub-headline
/// author: Jane Doe            # or a list
/// date: 2025-08-16T09:30:00Z  # without an offset: the newsroom's time zone
/// section: World
/// tags: [Russia, Ukraine]     # or "Russia, Ukraine"
/// slug: optional-slug
/// status: published           # or draft
/// ---
/// Body in Markdown.
/// </code>
/// Common synonyms (subtitle, description, authors, category, draft: true) are understood; other keys are ignored.
/// </summary>
public static class MarkdownArticleParser
{
    public static ArticleDraft Parse(string text, TimeZoneInfo newsroomZone)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(newsroomZone);
        var (frontMatter, body) = Split(text);
        var fields = ReadFrontMatter(frontMatter);

        var title = Scalar(fields, "title", "headline");
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new ImportProblemException("front matter has no 'title:' (the headline).");
        }

        if (title.Length > TextArticleParser.MaxHeadlineLength)
        {
            throw new ImportProblemException($"'title' is {title.Length} characters long; the limit is {TextArticleParser.MaxHeadlineLength}.");
        }

        var dek = Scalar(fields, "dek", "subtitle", "description", "summary");
        if (dek is { Length: > TextArticleParser.MaxDekLength })
        {
            throw new ImportProblemException($"'dek' is {dek.Length} characters long; the limit is {TextArticleParser.MaxDekLength}.");
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            throw new ImportProblemException("the article has front matter but no body after the closing '---'.");
        }

        return new ArticleDraft
        {
            Headline = title.Trim(),
            Dek = dek,
            BodyMarkdown = body.Trim('\n') + "\n",
            Slug = Scalar(fields, "slug"),
            Authors = List(fields, "author", "authors"),
            Section = Scalar(fields, "section", "category") ?? List(fields, "categories").FirstOrDefault(),
            Tags = List(fields, "tags", "topics"),
            PublishedAt = Date(fields, newsroomZone),
            Status = Status(fields),
            CorrectionsNote = Scalar(fields, "correction", "corrections"),
        };
    }

    private static (string FrontMatter, string Body) Split(string text)
    {
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            throw new ImportProblemException("file does not start with YAML front matter: put '---', then 'title: …' and the other fields, then '---' above the body.");
        }

        var end = text.IndexOf("\n---\n", 3, StringComparison.Ordinal);
        var endAtEof = text.EndsWith("\n---", StringComparison.Ordinal) ? text.Length - 4 : -1;
        if (end < 0 && endAtEof < 0)
        {
            throw new ImportProblemException("front matter is not closed: add a line '---' after the last field.");
        }

        return end >= 0 ? (text[4..(end + 1)], text[(end + 5)..]) : (text[4..(endAtEof + 1)], "");
    }

    private static YamlMappingNode ReadFrontMatter(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            // Front matter starts on line 2 of the file.
            throw new ImportProblemException($"front matter is not valid YAML at line {e.Start.Line + 1}: {e.InnerException?.Message ?? e.Message}");
        }

        return stream.Documents.Count == 0
            ? new YamlMappingNode()
            : stream.Documents[0].RootNode as YamlMappingNode
                ?? throw new ImportProblemException("front matter must be a list of 'key: value' lines.");
    }

    private static YamlNode? Field(YamlMappingNode fields, params string[] names)
    {
        foreach (var (key, value) in fields.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    private static string? Scalar(YamlMappingNode fields, params string[] names) => Field(fields, names) switch
    {
        null => null,
        YamlScalarNode { Value: var value } => string.IsNullOrWhiteSpace(value) ? null : value.Trim(),
        _ => throw new ImportProblemException($"'{names[0]}' must be a single value, not a list."),
    };

    private static List<string> List(YamlMappingNode fields, params string[] names) => Field(fields, names) switch
    {
        null => [],
        YamlScalarNode { Value: var value } => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
        YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>()
            .Select(n => n.Value?.Trim() ?? "").Where(v => v.Length > 0).ToList(),
        _ => throw new ImportProblemException($"'{names[0]}' must be a name or a list of names."),
    };

    private static DateTime? Date(YamlMappingNode fields, TimeZoneInfo zone)
    {
        var text = Scalar(fields, "date", "published");
        if (text is null)
        {
            return null;
        }

        var styles = DateTimeStyles.AllowWhiteSpaces;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var withOffset) && HasOffset(text))
        {
            return withOffset.UtcDateTime;
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out var local))
        {
            return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
        }

        throw new ImportProblemException($"'date' value '{text}' is not a date. Use e.g. 2025-08-16 or 2025-08-16T09:30:00Z.");
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z')
        || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static ArticleStatus Status(YamlMappingNode fields)
    {
        if (Scalar(fields, "draft") is { } draft)
        {
            return bool.TryParse(draft, out var isDraft) && isDraft ? ArticleStatus.Draft : ArticleStatus.Published;
        }

        return Scalar(fields, "status")?.ToUpperInvariant() switch
        {
            null or "PUBLISHED" or "PUBLISH" => ArticleStatus.Published,
            "DRAFT" => ArticleStatus.Draft,
            "PENDING" or "PENDING-REVIEW" or "REVIEW" => ArticleStatus.PendingReview,
            var other => throw new ImportProblemException($"'status' value '{other!.ToLowerInvariant()}' is not known. Use published, draft or pending."),
        };
    }
}

using Broadsheet.Articles;
using Broadsheet.Site;

namespace Broadsheet.Import;

public enum ImportFormat
{
    Text,
    Markdown,
}

/// <summary>Values for what a file does not say itself (plain text files say nothing but the words).</summary>
public sealed record ImportDefaults
{
    public IReadOnlyList<string> Authors { get; init; } = [];
    public string? Section { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public DateTime? PublishedAt { get; init; }
    public ArticleStatus? Status { get; init; }
}

public sealed record ImportFailure(string File, string Problem);

public sealed record ImportResult(IReadOnlyList<Article> Imported, IReadOnlyList<ImportFailure> Failures);

/// <summary>
/// Imports article files all-or-nothing: every file is read and checked first, and only when
/// all of them are good is the whole batch stored, in one transaction.
/// </summary>
public sealed class ArticleImporter(ArticleWriter writer, SiteOptions site)
{
    public async Task<ImportResult> ImportAsync(
        ImportFormat format, IReadOnlyList<string> files, ImportDefaults defaults, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(defaults);
        var drafts = new List<ArticleDraft>(files.Count);
        var failures = new List<ImportFailure>();
        foreach (var file in files)
        {
            try
            {
                var text = await ImportText.ReadAsync(file, cancellationToken);
                var parsed = format == ImportFormat.Markdown
                    ? MarkdownArticleParser.Parse(text, site.FindTimeZone())
                    : TextArticleParser.Parse(text);
                drafts.Add(WithDefaults(parsed, defaults));
            }
            catch (ImportProblemException e)
            {
                failures.Add(new ImportFailure(file, e.Message));
            }
        }

        if (failures.Count > 0 || drafts.Count == 0)
        {
            return new ImportResult([], failures);
        }

        return new ImportResult(await writer.CreateAsync(drafts, cancellationToken), []);
    }

    private static ArticleDraft WithDefaults(ArticleDraft parsed, ImportDefaults defaults) => parsed with
    {
        Authors = parsed.Authors.Count > 0 ? parsed.Authors : defaults.Authors,
        Section = parsed.Section ?? defaults.Section,
        Tags = parsed.Tags.Count > 0 ? parsed.Tags : defaults.Tags,
        PublishedAt = parsed.PublishedAt ?? defaults.PublishedAt,
        Status = defaults.Status ?? parsed.Status,
    };
}

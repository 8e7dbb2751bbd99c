namespace Broadsheet.Articles;

/// <summary>Model of the shared article-list partial (front page, latest, section pages, archive).</summary>
public sealed record ArticleListPartial(
    IReadOnlyList<ArticleSummary> Articles,
    string? OlderHref,
    int HeadingLevel = 2,
    bool ShowSection = true,
    string? NewerHref = null);

using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles;

/// <summary>An article as it arrives from an importer or the seeder, before it has an id.</summary>
public sealed record ArticleDraft
{
    public required string Headline { get; init; }
    public string? Dek { get; init; }
    public required string BodyMarkdown { get; init; }

    /// <summary>Wanted slug; derived from the headline when absent. Made unique by a numeric suffix.</summary>
    public string? Slug { get; init; }

    public IReadOnlyList<string> Authors { get; init; } = [];
    public string? Section { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public ArticleStatus Status { get; init; } = ArticleStatus.Published;

    /// <summary>UTC; defaults to now for published articles.</summary>
    public DateTime? PublishedAt { get; init; }

    public string? CorrectionsNote { get; init; }
}

/// <summary>
/// Creates articles with their bylines, section and tags. A batch is saved in one transaction,
/// so an import either stores every article of the batch or none.
/// </summary>
public sealed class ArticleWriter(
    BroadsheetDbContext db,
    ArticleHtmlRenderer renderer,
    ContentCache cache,
    ContentVersion contentVersion,
    TimeProvider time)
{
    public async Task<IReadOnlyList<Article>> CreateAsync(IReadOnlyList<ArticleDraft> drafts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        var now = time.GetUtcNow().UtcDateTime;
        var named = await NamedThings.FindOrCreateAsync(
            db, drafts.SelectMany(d => d.Authors), drafts.Select(d => d.Section).OfType<string>(), drafts.SelectMany(d => d.Tags), cancellationToken);
        var slugs = new UniqueSlugs(db);

        var articles = new List<Article>(drafts.Count);
        foreach (var draft in drafts)
        {
            var body = renderer.RenderBody(draft.BodyMarkdown);
            var article = new Article
            {
                Headline = draft.Headline.Trim(),
                Dek = string.IsNullOrWhiteSpace(draft.Dek) ? null : draft.Dek.Trim(),
                BodyMarkdown = draft.BodyMarkdown,
                BodyHtml = body.Html,
                BodyText = body.Text,
                Slug = await slugs.ClaimAsync(draft.Slug ?? draft.Headline, cancellationToken),
                Status = draft.Status,
                PublishedAt = draft.PublishedAt ?? (draft.Status == ArticleStatus.Published ? now : null),
                CreatedAt = now,
                UpdatedAt = draft.PublishedAt is { } published && published < now ? published : now,
                CorrectionsNote = draft.CorrectionsNote,
            };
            named.Assign(article, draft.Authors, draft.Section, draft.Tags);
            db.Articles.Add(article);
            articles.Add(article);
        }

        contentVersion.Stamp(db);
        await db.SaveChangesAsync(cancellationToken);
        await cache.ArticlesChangedAsync(articles.Select(a => a.Id), cancellationToken);

        return articles;
    }

    /// <summary>A slug for <paramref name="wanted"/> that no other article uses now or used before.</summary>
    public Task<string> ClaimSlugAsync(string wanted, int? forArticleId, CancellationToken cancellationToken) =>
        new UniqueSlugs(db, forArticleId).ClaimAsync(wanted, cancellationToken);

    /// <summary>Replaces an article's bylines (in order), section and tags, creating the missing ones.</summary>
    public async Task SetBylinesSectionAndTagsAsync(
        Article article, IReadOnlyList<string> authorNames, string? sectionName, IReadOnlyList<string> tagNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        var sectionNames = string.IsNullOrWhiteSpace(sectionName) ? [] : new[] { sectionName };
        var named = await NamedThings.FindOrCreateAsync(db, authorNames, sectionNames, tagNames, cancellationToken);
        named.Assign(article, authorNames, sectionName, tagNames);
    }

    /// <summary>Hands out slugs not used by another article (now or as an old URL) nor earlier in this batch.</summary>
    private sealed class UniqueSlugs(BroadsheetDbContext db, int? forArticleId = null)
    {
        private readonly HashSet<string> _claimed = [];

        public async Task<string> ClaimAsync(string wanted, CancellationToken cancellationToken)
        {
            var stem = Slugs.From(wanted);
            if (stem.Length == 0)
            {
                stem = "article";
            }

            var taken = await db.Articles.Where(a => (a.Slug == stem || a.Slug.StartsWith(stem + "-")) && a.Id != forArticleId)
                .Select(a => a.Slug).ToListAsync(cancellationToken);
            taken.AddRange(await db.ArticleSlugHistory.Where(h => (h.Slug == stem || h.Slug.StartsWith(stem + "-")) && h.ArticleId != forArticleId)
                .Select(h => h.Slug).ToListAsync(cancellationToken));
            taken.AddRange(_claimed);
            var candidate = stem;
            for (var n = 2; taken.Contains(candidate); n++)
            {
                candidate = $"{stem}-{n}";
            }

            _claimed.Add(candidate);
            return candidate;
        }
    }
}

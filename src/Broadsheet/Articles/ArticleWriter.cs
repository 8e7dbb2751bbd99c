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
        var authors = await FindOrCreateAsync(db.Authors, drafts.SelectMany(d => d.Authors), name => new Author { Name = name, Slug = Slugs.From(name) }, cancellationToken);
        var sections = await FindOrCreateAsync(db.Sections, drafts.Select(d => d.Section).OfType<string>(), name => new Section { Name = name, Slug = Slugs.From(name) }, cancellationToken);
        var tags = await FindOrCreateAsync(db.Tags, drafts.SelectMany(d => d.Tags), name => new Tag { Name = name, Slug = Slugs.From(name) }, cancellationToken);
        var slugs = new UniqueSlugs(db);

        var articles = new List<Article>(drafts.Count);
        foreach (var draft in drafts)
        {
            var article = new Article
            {
                Headline = draft.Headline.Trim(),
                Dek = string.IsNullOrWhiteSpace(draft.Dek) ? null : draft.Dek.Trim(),
                BodyMarkdown = draft.BodyMarkdown,
                BodyHtml = renderer.Render(draft.BodyMarkdown),
                Slug = await slugs.ClaimAsync(draft.Slug ?? draft.Headline, cancellationToken),
                Status = draft.Status,
                PublishedAt = draft.PublishedAt ?? (draft.Status == ArticleStatus.Published ? now : null),
                CreatedAt = now,
                UpdatedAt = draft.PublishedAt is { } published && published < now ? published : now,
                CorrectionsNote = draft.CorrectionsNote,
                Section = draft.Section is null ? null : sections[Slugs.From(draft.Section)],
                Tags = draft.Tags.Select(t => tags[Slugs.From(t)]).Distinct().ToList(),
            };
            article.Bylines = draft.Authors
                .Select(name => authors[Slugs.From(name)])
                .Distinct()
                .Select((author, position) => new Byline { Author = author, Position = position })
                .ToList();
            db.Articles.Add(article);
            articles.Add(article);
        }

        contentVersion.Stamp(db);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var article in articles)
        {
            await cache.ArticleChangedAsync(article.Id, cancellationToken);
        }

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
        var authors = await FindOrCreateAsync(db.Authors, authorNames, name => new Author { Name = name, Slug = Slugs.From(name) }, cancellationToken);
        var sections = await FindOrCreateAsync(db.Sections, string.IsNullOrWhiteSpace(sectionName) ? [] : [sectionName], name => new Section { Name = name, Slug = Slugs.From(name) }, cancellationToken);
        var tags = await FindOrCreateAsync(db.Tags, tagNames, name => new Tag { Name = name, Slug = Slugs.From(name) }, cancellationToken);
        article.Bylines.Clear();
        foreach (var (author, position) in authorNames.Select(n => authors.GetValueOrDefault(Slugs.From(n))).OfType<Author>().Distinct().Select((a, i) => (a, i)))
        {
            article.Bylines.Add(new Byline { Author = author, Position = position });
        }

        article.Section = string.IsNullOrWhiteSpace(sectionName) ? null : sections[Slugs.From(sectionName)];
        if (article.Section is null)
        {
            article.SectionId = null;
        }

        article.Tags.Clear();
        article.Tags.AddRange(tagNames.Select(n => tags.GetValueOrDefault(Slugs.From(n))).OfType<Tag>().Distinct());
    }

    /// <summary>Looks up named things by slug and creates the missing ones, keyed by slug.</summary>
    private static async Task<Dictionary<string, T>> FindOrCreateAsync<T>(
        DbSet<T> set, IEnumerable<string> names, Func<string, T> create, CancellationToken cancellationToken)
        where T : class, INamedBySlug
    {
        var wanted = names
            .Select(n => n.Trim())
            .Where(n => n.Length > 0)
            .DistinctBy(Slugs.From)
            .ToDictionary(Slugs.From);
        var slugs = wanted.Keys.ToList();
        var bySlug = await set.Where(e => slugs.Contains(e.Slug)).ToDictionaryAsync(e => e.Slug, cancellationToken);
        foreach (var (slug, name) in wanted)
        {
            if (!bySlug.ContainsKey(slug))
            {
                var created = create(name);
                set.Add(created);
                bySlug[slug] = created;
            }
        }

        return bySlug;
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

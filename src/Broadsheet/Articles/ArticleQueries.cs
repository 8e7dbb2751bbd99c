using System.Linq.Expressions;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Site;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles;

/// <summary>An author as a byline links to them; <see cref="PhotoPath"/> only where a page shows it (the article page's JSON-LD).</summary>
public sealed record PersonLink(string Name, string Slug, string? PhotoPath = null);

public sealed record TopicLink(string Name, string Slug);

/// <summary>Everything the article page shows, read in one round trip.</summary>
public sealed record ArticleView(
    int Id,
    string Slug,
    string Headline,
    string? Dek,
    string BodyHtml,
    DateTime PublishedAt,
    DateTime UpdatedAt,
    string? CorrectionsNote,
    TopicLink? Section,
    IReadOnlyList<PersonLink> Authors,
    IReadOnlyList<TopicLink> Tags,
    string? FeaturedImagePath,
    string? FeaturedImageAlt,
    string? FeaturedImageCaption,
    bool CommentsOpen,
    int CommentCount);

/// <summary>An article as listings show it.</summary>
public sealed record ArticleSummary(
    int Id,
    string Slug,
    string Headline,
    string? Dek,
    DateTime PublishedAt,
    TopicLink? Section,
    IReadOnlyList<PersonLink> Authors,
    int CommentCount,
    string? FeaturedImagePath,
    string? FeaturedImageAlt);

public sealed record SectionRef(int Id, string Name, string Slug);

/// <summary>Just what posting a comment needs to know about its article.</summary>
public sealed record CommentTarget(int Id, string Slug, DateTime PublishedAt, bool CommentsOpen);

/// <summary>A month of the archive (newsroom time) and how many articles were published in it.</summary>
public sealed record ArchiveMonth(int Year, int Month, int Count);

public sealed record AuthorProfile(int Id, string Name, string Slug, string? Bio, string? PhotoPath);

/// <summary>
/// Which published articles a listing shows: all of them, one section's, topic's or author's, or
/// those published in [<see cref="FromUtc"/>, <see cref="ToUtc"/>) (the archive).
/// </summary>
public sealed record ListingFilter(int? SectionId = null, int? TagId = null, int? AuthorId = null, DateTime? FromUtc = null, DateTime? ToUtc = null)
{
    public static readonly ListingFilter All = new();
}

/// <summary>One page of a newest-first listing, with the cursors of the pages after (older) and before (newer) it.</summary>
public sealed record ArticleListing(IReadOnlyList<ArticleSummary> Articles, ListingCursor? Next, PreviousPage Previous = default)
{
    public const string OlderQuery = "before";

    public string? OlderHref(string path) => Next is { } next ? $"{path}?{OlderQuery}={next}" : null;

    public string? NewerHref(string path) => Previous.Href(path, OlderQuery);
}

/// <summary>A section's, topic's or author's articles: what the collection page and its feeds list.</summary>
public sealed record CollectionListing(ListingFilter Filter, string Name, string Path, string? Bio, string? PhotoPath = null);

/// <summary>The conditions every public read path shares, written once.</summary>
public static class PublishedArticles
{
    /// <summary>Only what readers may see: published, with a publication date (also for compiled queries, which cannot call <see cref="Published"/>).</summary>
    public static readonly Expression<Func<Article, bool>> IsPublished = a => a.Status == ArticleStatus.Published && a.PublishedAt != null;

    public static IQueryable<Article> Published(this IQueryable<Article> articles) => articles.Where(IsPublished);

    public static IQueryable<Article> Matching(this IQueryable<Article> articles, ListingFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.SectionId is { } section)
        {
            articles = articles.Where(a => a.SectionId == section);
        }

        if (filter.TagId is { } tag)
        {
            articles = articles.Where(a => a.Tags.Any(t => t.Id == tag));
        }

        if (filter.AuthorId is { } author)
        {
            articles = articles.Where(a => a.Bylines.Any(b => b.AuthorId == author));
        }

        if (filter.FromUtc is { } from)
        {
            articles = articles.Where(a => a.PublishedAt >= from);
        }

        if (filter.ToUtc is { } to)
        {
            articles = articles.Where(a => a.PublishedAt < to);
        }

        return articles;
    }
}

/// <summary>Read paths of the reading side. Only published articles are ever returned.</summary>
public sealed class ArticleQueries(BroadsheetDbContext db, ArticleLinks links, SiteClock clock, RelatedArticleChoices relatedChoices, ContentMemo memo)
{
    private static readonly Expression<Func<Article, ArticleSummary>> ToSummary = a => new ArticleSummary(
        a.Id,
        a.Slug,
        a.Headline,
        a.Dek,
        a.PublishedAt!.Value,
        a.Section == null ? null : new TopicLink(a.Section.Name, a.Section.Slug),
        a.Bylines.OrderBy(b => b.Position).Select(b => new PersonLink(b.Author!.Name, b.Author.Slug, null)).ToList(),
        a.CommentCount,
        a.FeaturedImagePath,
        a.FeaturedImageAlt);

    // Compiled once, like the other queries every article page asks (see CommentQueries).
    private static readonly Func<BroadsheetDbContext, string, CancellationToken, Task<ArticleView?>> PublishedBySlug =
        EF.CompileAsyncQuery((BroadsheetDbContext db, string slug, CancellationToken _) =>
            db.Articles.AsNoTracking()
                .Where(PublishedArticles.IsPublished)
                .Where(a => a.Slug == slug)
                .Select(a => new ArticleView(
                    a.Id,
                    a.Slug,
                    a.Headline,
                    a.Dek,
                    a.BodyHtml,
                    a.PublishedAt!.Value,
                    a.UpdatedAt,
                    a.CorrectionsNote,
                    a.Section == null ? null : new TopicLink(a.Section.Name, a.Section.Slug),
                    a.Bylines.OrderBy(b => b.Position).Select(b => new PersonLink(b.Author!.Name, b.Author.Slug, b.Author.PhotoPath)).ToList(),
                    a.Tags.OrderBy(t => t.Name).Select(t => new TopicLink(t.Name, t.Slug)).ToList(),
                    a.FeaturedImagePath,
                    a.FeaturedImageAlt,
                    a.FeaturedImageCaption,
                    a.CommentsOpen,
                    a.CommentCount))
                // Split, not single: SQLite materialises a single query's LEFT JOIN subqueries (every
                // byline with its author, every topic link of the site) before joining them; split, each
                // is looked up by the article's id (67-117 ms against about 0.1 ms at 10 k articles).
                .AsSplitQuery()
                .FirstOrDefault());

    private static readonly Func<BroadsheetDbContext, string, CancellationToken, Task<CommentTarget?>> CommentTargetBySlug =
        EF.CompileAsyncQuery((BroadsheetDbContext db, string slug, CancellationToken _) =>
            db.Articles.AsNoTracking()
                .Where(PublishedArticles.IsPublished)
                .Where(a => a.Slug == slug)
                .Select(a => new CommentTarget(a.Id, a.Slug, a.PublishedAt!.Value, a.CommentsOpen))
                .FirstOrDefault());

    private static readonly Func<BroadsheetDbContext, int[], IAsyncEnumerable<ArticleSummary>> PublishedSummaries =
        EF.CompileAsyncQuery((BroadsheetDbContext db, int[] ids) =>
            db.Articles.AsNoTracking()
                .Where(PublishedArticles.IsPublished)
                .Where(a => ids.Contains(a.Id))
                .Select(ToSummary)
                .AsSplitQuery());

    private static readonly Func<BroadsheetDbContext, IAsyncEnumerable<TopicLink>> SectionsWithArticles =
        EF.CompileAsyncQuery((BroadsheetDbContext db) =>
            db.Sections.AsNoTracking()
                .Where(s => db.Articles.Any(a => a.SectionId == s.Id && a.Status == ArticleStatus.Published))
                .OrderBy(s => s.Position).ThenBy(s => s.Name)
                .Select(s => new TopicLink(s.Name, s.Slug)));

    private static readonly Func<BroadsheetDbContext, int, CancellationToken, Task<int>> CommentCountOf =
        EF.CompileAsyncQuery((BroadsheetDbContext db, int id, CancellationToken _) =>
            db.Articles.Where(a => a.Id == id).Select(a => a.CommentCount).FirstOrDefault());

    private IQueryable<Article> Published => db.Articles.AsNoTracking().Published();

    /// <summary>
    /// The published article at <paramref name="slug"/> as kept by <see cref="ContentMemo"/> since the
    /// last content change. Comments do not start a new generation, so its comment count may be older:
    /// a page that shows the count reads it with the comments (<see cref="Comments.CommentPage.ArticleCommentCount"/>)
    /// or from <see cref="CommentCountAsync"/>.
    /// </summary>
    public Task<ArticleView?> FindPublishedAsync(string slug, CancellationToken cancellationToken) =>
        memo.GetOrReadAsync(
            ("article", slug),
            () => PublishedBySlug(db, slug, cancellationToken),
            a => (a.BodyHtml.Length + a.Headline.Length + (a.Dek?.Length ?? 0)) / 512);

    /// <summary>The article's kept count of approved comments.</summary>
    public Task<int> CommentCountAsync(int articleId, CancellationToken cancellationToken) => CommentCountOf(db, articleId, cancellationToken);

    /// <summary>
    /// Up to <paramref name="count"/> published articles related to <paramref name="article"/>: most shared
    /// topics first, then same section, then the newest. The choice is remembered for a while
    /// (<see cref="RelatedArticleChoices"/>); the articles are read again after every content change
    /// (<see cref="ContentMemo"/>), so an edit or an unpublish shows at once.
    /// </summary>
    public async Task<List<ArticleSummary>> RelatedAsync(ArticleView article, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        var chosen = await relatedChoices.GetOrRankAsync(article.Id, count, () => RankRelatedAsync(article.Id, count, cancellationToken));
        if (chosen.Count == 0)
        {
            return [];
        }

        return await memo.GetOrReadAsync("related:" + string.Join(',', chosen), async () =>
        {
            var summaries = await PublishedSummaries(db, [.. chosen]).ToListAsync(cancellationToken);
            return chosen.Select(id => summaries.Find(s => s.Id == id)).OfType<ArticleSummary>().ToList();
        }, _ => 1) ?? [];
    }

    /// <summary>
    /// Ranks in steps that each read through an index: the topic links of the article's topics
    /// (grouped, so only articles that share a topic are counted), then, when those are too few, the
    /// newest of the section. (Ranking every published article by a correlated count cost a full
    /// scan per page view.)
    /// </summary>
    private async Task<List<int>> RankRelatedAsync(int articleId, int count, CancellationToken cancellationToken)
    {
        // Two lookups by key: a projection of the article with its topics made SQLite copy every topic link.
        var tagIds = await TopicLinksOf(articleId).ToListAsync(cancellationToken);
        var sectionId = await db.Articles.Where(a => a.Id == articleId).Select(a => a.SectionId).FirstOrDefaultAsync(cancellationToken);
        var sharingTopics = db.Set<Dictionary<string, object>>(ArticleConfiguration.TopicLinks).AsNoTracking()
            .Where(link => tagIds.Contains(EF.Property<int>(link, ArticleConfiguration.TopicLinkTag)))
            .GroupBy(link => EF.Property<int>(link, ArticleConfiguration.TopicLinkArticle))
            .Select(shared => new { ArticleId = shared.Key, Count = shared.Count() });
        var ranked = tagIds.Count == 0 ? [] : await sharingTopics
            .Join(Published.Where(a => a.Id != articleId), shared => shared.ArticleId, a => a.Id,
                (shared, a) => new { a.Id, Shared = shared.Count, SameSection = a.SectionId == sectionId, a.PublishedAt })
            .OrderByDescending(r => r.Shared).ThenByDescending(r => r.SameSection).ThenByDescending(r => r.PublishedAt)
            .Take(count)
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);

        // Fewer than asked means every article sharing a topic is already in; the rest come from the section.
        if (ranked.Count < count && sectionId is { } section)
        {
            ranked.AddRange(await Published
                .Where(a => a.SectionId == section && a.Id != articleId && !ranked.Contains(a.Id))
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
                .Take(count - ranked.Count)
                .Select(a => a.Id)
                .ToListAsync(cancellationToken));
        }

        return ranked;
    }

    private IQueryable<int> TopicLinksOf(int articleId) =>
        db.Set<Dictionary<string, object>>(ArticleConfiguration.TopicLinks).AsNoTracking()
            .Where(link => EF.Property<int>(link, ArticleConfiguration.TopicLinkArticle) == articleId)
            .Select(link => EF.Property<int>(link, ArticleConfiguration.TopicLinkTag));

    /// <summary>The current path of the published article that once had <paramref name="slug"/>, if any.</summary>
    public async Task<string?> CurrentAddressForOldSlugAsync(string slug, CancellationToken cancellationToken)
    {
        var current = await db.ArticleSlugHistory.AsNoTracking()
            .Where(h => h.Slug == slug)
            .Join(Published, h => h.ArticleId, a => a.Id, (h, a) => new { a.Slug, a.PublishedAt })
            .FirstOrDefaultAsync(cancellationToken);
        return current is null ? null : links.Article(current.Slug, current.PublishedAt!.Value);
    }

    /// <summary>The current slug of the byline that once had <paramref name="slug"/>, if any (see <see cref="AuthorSlugHistory"/>).</summary>
    public Task<string?> CurrentAuthorSlugForOldSlugAsync(string slug, CancellationToken cancellationToken) =>
        db.AuthorSlugHistory.AsNoTracking()
            .Where(h => h.Slug == slug)
            .Join(db.Authors, h => h.AuthorId, a => a.Id, (h, a) => a.Slug)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Asked by every comment POST: remembered until the next content change like the article page's
    /// furniture (whether comments are open is an edit of the article), so a POST reads nothing
    /// before the writer's transaction.
    /// </summary>
    public Task<CommentTarget?> FindCommentTargetAsync(string slug, CancellationToken cancellationToken) =>
        memo.GetOrReadAsync(("comment-target", slug), () => CommentTargetBySlug(db, slug, cancellationToken), _ => 1);

    /// <summary>
    /// Newest first, <paramref name="pageSize"/> at a time, after <paramref name="before"/> when given.
    /// Every listing shows comment counts, so every new comment evicts the cached listings: a
    /// listing's first page is kept by <see cref="ContentMemo"/> until the next content change, and
    /// only its counts are read again (like the article page's).
    /// </summary>
    public async Task<ArticleListing> ListAsync(
        ListingFilter filter, ListingCursor? before, int pageSize, CancellationToken cancellationToken)
    {
        if (before is not null || filter.FromUtc is not null || filter.ToUtc is not null)
        {
            // Not remembered: any cursor or archive period a visitor makes up would take room from the
            // pages every reader sees (sections, topics and authors are only those the site has).
            return await ReadListingAsync(filter, before, pageSize, cancellationToken);
        }

        return (await memo.GetOrReadAsync(
            ("listing", filter, pageSize),
            async () => await ReadListingAsync(filter, before: null, pageSize, cancellationToken),
            l => 1 + (l.Articles.Count / 4),
            async l =>
            {
                var counts = await CommentCountsOf(db, [.. l.Articles.Select(a => a.Id)])
                    .ToDictionaryAsync(row => row.Id, row => row.CommentCount, cancellationToken: cancellationToken);
                return l with { Articles = [.. l.Articles.Select(a => a with { CommentCount = counts.GetValueOrDefault(a.Id, a.CommentCount) })] };
            }))!;
    }

    // Compiled, with the ids as one array parameter (json_each on SQLite, = ANY on PostgreSQL; see
    // DataServiceCollectionExtensions), so that every listing asks one SQL text prepared once by EF Core.
    private static readonly Func<BroadsheetDbContext, int[], IAsyncEnumerable<(int Id, int CommentCount)>> CommentCountsOf =
        EF.CompileAsyncQuery((BroadsheetDbContext db, int[] ids) =>
            db.Articles.Where(a => ids.Contains(a.Id)).Select(a => new ValueTuple<int, int>(a.Id, a.CommentCount)));

    private async Task<ArticleListing> ReadListingAsync(
        ListingFilter filter, ListingCursor? before, int pageSize, CancellationToken cancellationToken)
    {
        var query = Published.Matching(filter);
        if (before is { } cursor)
        {
            query = query.Where(a => a.PublishedAt <= cursor.PublishedAt && (a.PublishedAt < cursor.PublishedAt || a.Id < cursor.Id));
        }

        var page = await query
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Take(pageSize + 1)
            .Select(ToSummary)
            // Bylines in a second query keyed by this page's ids: a single query would join a subquery over every byline.
            .AsSplitQuery()
            .ToListAsync(cancellationToken);

        ListingCursor? next = null;
        if (page.Count > pageSize)
        {
            page.RemoveAt(page.Count - 1);
            next = new ListingCursor(page[^1].PublishedAt, page[^1].Id);
        }

        var previous = before is null || page.Count == 0
            ? PreviousPage.None
            : await PreviousPageAsync(filter, new ListingCursor(page[0].PublishedAt, page[0].Id), pageSize, cancellationToken);
        return new ArticleListing(page, next, previous);
    }

    /// <summary>
    /// The page before one that starts at <paramref name="first"/>: the <paramref name="pageSize"/>
    /// articles just newer than it. Read oldest first (one more than a page, cursor fields only): if
    /// there is no more than a page, the page before is the listing's first; otherwise it is "before"
    /// the one article past it, the same kind of address paging forward uses.
    /// </summary>
    private async Task<PreviousPage> PreviousPageAsync(ListingFilter filter, ListingCursor first, int pageSize, CancellationToken cancellationToken)
    {
        var newer = await Published.Matching(filter)
            .Where(a => a.PublishedAt >= first.PublishedAt && (a.PublishedAt > first.PublishedAt || a.Id > first.Id))
            .OrderBy(a => a.PublishedAt).ThenBy(a => a.Id)
            .Take(pageSize + 1)
            .Select(a => new { PublishedAt = a.PublishedAt!.Value, a.Id })
            .ToListAsync(cancellationToken);
        return newer.Count switch
        {
            0 => PreviousPage.None,
            var n when n <= pageSize => PreviousPage.First,
            _ => new PreviousPage(true, new ListingCursor(newer[pageSize].PublishedAt, newer[pageSize].Id)),
        };
    }

    /// <summary>The section, topic or author called <paramref name="slug"/>, as a listing.</summary>
    public async Task<CollectionListing?> FindCollectionAsync(CollectionKind kind, string slug, CancellationToken cancellationToken) => kind switch
    {
        CollectionKind.Section when await FindSectionAsync(slug, cancellationToken) is { } section =>
            new(new ListingFilter(SectionId: section.Id), section.Name, ArticleLinks.Section(section.Slug), null),
        CollectionKind.Topic when await FindTagAsync(slug, cancellationToken) is { } tag =>
            new(new ListingFilter(TagId: tag.Id), tag.Name, ArticleLinks.Topic(tag.Slug), null),
        CollectionKind.Author when await FindAuthorAsync(slug, cancellationToken) is { } author =>
            new(new ListingFilter(AuthorId: author.Id), author.Name, ArticleLinks.Author(author.Slug), author.Bio, author.PhotoPath),
        _ => null,
    };

    public Task<SectionRef?> FindSectionAsync(string slug, CancellationToken cancellationToken) =>
        db.Sections.AsNoTracking()
            .Where(s => s.Slug == slug)
            .Select(s => new SectionRef(s.Id, s.Name, s.Slug))
            .FirstOrDefaultAsync(cancellationToken);

    public Task<SectionRef?> FindTagAsync(string slug, CancellationToken cancellationToken) =>
        db.Tags.AsNoTracking()
            .Where(t => t.Slug == slug)
            .Select(t => new SectionRef(t.Id, t.Name, t.Slug))
            .FirstOrDefaultAsync(cancellationToken);

    public Task<AuthorProfile?> FindAuthorAsync(string slug, CancellationToken cancellationToken) =>
        db.Authors.AsNoTracking()
            .Where(a => a.Slug == slug)
            .Select(a => new AuthorProfile(a.Id, a.Name, a.Slug, a.Bio, a.PhotoPath))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// How many articles were published in each month (newsroom time) of [<paramref name="fromUtc"/>,
    /// <paramref name="toUtc"/>), newest month first. Months are the newsroom's, not UTC's, so the
    /// grouping is done here over the publication times alone (one narrow column, read as a stream);
    /// the archive pages that show it are output-cached until the next publish.
    /// </summary>
    public async Task<List<ArchiveMonth>> ArchiveMonthsAsync(DateTime? fromUtc, DateTime? toUtc, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(int Year, int Month), int>();
        var times = Published.Matching(new ListingFilter(FromUtc: fromUtc, ToUtc: toUtc)).Select(a => a.PublishedAt!.Value).AsAsyncEnumerable();
        await foreach (var publishedAt in times.WithCancellation(cancellationToken))
        {
            var local = clock.ToLocal(publishedAt);
            counts[(local.Year, local.Month)] = counts.GetValueOrDefault((local.Year, local.Month)) + 1;
        }

        return counts.OrderByDescending(c => c.Key.Year).ThenByDescending(c => c.Key.Month)
            .Select(c => new ArchiveMonth(c.Key.Year, c.Key.Month, c.Value))
            .ToList();
    }

    /// <summary>Sections that have something to read, in navigation order.</summary>
    public async Task<List<TopicLink>> NavigationSectionsAsync(CancellationToken cancellationToken) =>
        await memo.GetOrReadAsync<List<TopicLink>>("navigation", async () => await SectionsWithArticles(db).ToListAsync(cancellationToken), _ => 1) ?? [];
}

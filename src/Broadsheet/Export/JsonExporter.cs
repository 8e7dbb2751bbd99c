using System.Data;
using System.Diagnostics;
using System.Text.Json;
using Broadsheet.Accounts;
using Broadsheet.Articles;
using Broadsheet.Articles.Seeding;
using Broadsheet.Import.Wxr;
using Broadsheet.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Export;

/// <summary>
/// Writes the whole site as one JSON document (<see cref="ExportFormat"/>). Reads one snapshot of
/// the database (a read transaction) so the file is consistent while the site keeps serving, and
/// walks each table a page at a time by key, flushing after every page: memory stays flat
/// however large the site.
/// </summary>
public sealed class JsonExporter(BroadsheetDbContext db)
{
    private const int ArticlePage = 100;
    private const int RowPage = 1000;

    public async Task<ExportCounts> ExportAsync(Stream output, IProgress<SeedProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var transaction = await BeginSnapshotAsync(cancellationToken);
        var counts = await CountAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        long done = 0;
        void Advance(int records)
        {
            done += records;
            progress?.Report(new SeedProgress((int)Math.Min(done, int.MaxValue), (int)Math.Min(counts.Records, int.MaxValue), clock.Elapsed));
        }

        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = ExportFormat.Json.Encoder });
        json.WriteStartObject();
        json.WriteString("format", ExportFormat.Name);
        json.WriteNumber("version", ExportFormat.Version);
        json.WritePropertyName("counts");
        JsonSerializer.Serialize(json, counts, ExportFormat.Json);

        await WriteArrayAsync(json, "settings", SettingsAsync(cancellationToken), Advance, cancellationToken);
        await WriteArrayAsync(json, "users", UsersAsync(cancellationToken), Advance, cancellationToken);
        await WriteArrayAsync(json, "authors", PagesAsync(after => AuthorsAfterAsync(after, cancellationToken), r => r.Id), Advance, cancellationToken);
        await WriteArrayAsync(json, "sections", PagesAsync<SectionRecord>(
            after => db.Sections.AsNoTracking().Where(s => s.Id > after).OrderBy(s => s.Id).Take(RowPage)
                .Select(s => new SectionRecord(s.Id, s.Name, s.Slug, s.Position)).ToListAsync(cancellationToken),
            r => r.Id), Advance, cancellationToken);
        await WriteArrayAsync(json, "tags", PagesAsync<TagRecord>(
            after => db.Tags.AsNoTracking().Where(t => t.Id > after).OrderBy(t => t.Id).Take(RowPage)
                .Select(t => new TagRecord(t.Id, t.Name, t.Slug)).ToListAsync(cancellationToken),
            r => r.Id), Advance, cancellationToken);
        await WriteArrayAsync(json, "articles", PagesAsync(after => ArticlesAfterAsync(after, cancellationToken), r => r.Id), Advance, cancellationToken);
        await WriteArrayAsync(json, "comments", PagesAsync(after => CommentsAfterAsync(after, cancellationToken), r => r.Id), Advance, cancellationToken);
        await WriteArrayAsync(json, "auditLog", PagesAsync<AuditRecord>(
            after => db.AuditEntries.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).Take(RowPage)
                .Select(e => new AuditRecord(e.Id, e.At, e.UserId, e.UserName, e.Action, e.TargetType, e.TargetId, e.Details, e.IpPrefix))
                .ToListAsync(cancellationToken),
            r => r.Id), Advance, cancellationToken);
        await WriteArrayAsync(json, "erasures", PagesAsync<ErasureRecord>(
            after => db.CommenterErasures.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).Take(RowPage)
                .Select(e => new ErasureRecord(e.Id, e.ErasedAt, e.RequestedBy, e.CommentsDeleted, e.CommentsAnonymised))
                .ToListAsync(cancellationToken),
            r => r.Id), Advance, cancellationToken);
        await WriteArrayAsync(json, "wordPressPosts", PagesAsync(after => WordPressPostsAfterAsync(after, cancellationToken), r => r.ArticleId), Advance, cancellationToken);
        await WriteArrayAsync(json, "wordPressComments", PagesAsync(after => WordPressCommentsAfterAsync(after, cancellationToken), r => r.CommentId), Advance, cancellationToken);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
        output.WriteByte((byte)'\n');
        return counts;
    }

    /// <summary>
    /// One consistent view for every query. On SQLite a deferred transaction is a plain read
    /// snapshot (WAL lets the site keep writing); EF's default would be BEGIN IMMEDIATE, which takes
    /// the write lock and would stall every comment for the length of the export.
    /// </summary>
    private async Task<IAsyncDisposable> BeginSnapshotAsync(CancellationToken cancellationToken)
    {
        if (db is SqliteBroadsheetDbContext)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            var transaction = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
            await db.Database.UseTransactionAsync(transaction, cancellationToken);
            return transaction;
        }

        return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
    }

    private async Task<ExportCounts> CountAsync(CancellationToken cancellationToken) => new(
        await db.SiteSettings.CountAsync(ExportFormat.IsSiteData, cancellationToken),
        await db.Users.CountAsync(cancellationToken),
        await db.Authors.CountAsync(cancellationToken),
        await db.Sections.CountAsync(cancellationToken),
        await db.Tags.CountAsync(cancellationToken),
        await db.Articles.CountAsync(cancellationToken),
        await db.ArticleRevisions.CountAsync(cancellationToken),
        await db.Comments.CountAsync(cancellationToken),
        await db.CommentReports.CountAsync(cancellationToken),
        await db.AuditEntries.LongCountAsync(cancellationToken),
        await db.CommenterErasures.CountAsync(cancellationToken),
        await db.Set<WordPressPostLink>().CountAsync(cancellationToken),
        await db.Set<WordPressCommentLink>().CountAsync(cancellationToken));

    private static async Task WriteArrayAsync<T>(
        Utf8JsonWriter json, string name, IAsyncEnumerable<IReadOnlyList<T>> pages, Action<int> advance, CancellationToken cancellationToken)
    {
        json.WritePropertyName(name);
        json.WriteStartArray();
        await foreach (var page in pages.WithCancellation(cancellationToken))
        {
            foreach (var record in page)
            {
                JsonSerializer.Serialize(json, record, ExportFormat.Json);
            }

            await json.FlushAsync(cancellationToken);
            advance(page.Count);
        }

        json.WriteEndArray();
    }

    /// <summary>Keyset paging: each page starts after the last key of the one before, so page N costs what page 1 does.</summary>
    private static async IAsyncEnumerable<IReadOnlyList<T>> PagesAsync<T>(Func<long, Task<List<T>>> pageAfter, Func<T, long> key)
    {
        long after = long.MinValue;
        while (true)
        {
            var page = await pageAfter(after);
            if (page.Count == 0)
            {
                yield break;
            }

            yield return page;
            after = key(page[^1]);
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<SettingRecord>> SettingsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A handful of rows; sorted here because databases order text by their own collations.
        var settings = await db.SiteSettings.AsNoTracking()
            .Where(ExportFormat.IsSiteData)
            .Select(s => new SettingRecord(s.Key, s.Value)).ToListAsync(cancellationToken);
        yield return settings.OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
    }

    private async IAsyncEnumerable<IReadOnlyList<UserRecord>> UsersAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Staff accounts are a newsroom, not a readership: one page.
        var users = await db.Users.AsNoTracking()
            .Select(u => new { u.Id, u.UserName, u.Email, u.DisplayName, u.CreatedAt, u.LockoutEnd }).ToListAsync(cancellationToken);
        var roles = (await (from userRole in db.UserRoles.AsNoTracking()
                            join role in db.Roles.AsNoTracking() on userRole.RoleId equals role.Id
                            select new { userRole.UserId, role.Name }).ToListAsync(cancellationToken))
            .ToLookup(r => r.UserId, r => r.Name!, StringComparer.Ordinal);
        yield return users
            .OrderBy(u => u.Id, StringComparer.Ordinal)
            .Select(u => new UserRecord(u.Id, u.UserName ?? u.Email ?? "", u.Email ?? "", u.DisplayName, u.CreatedAt,
                roles[u.Id].Order(StringComparer.Ordinal).ToList(), StaffAccounts.IsDisabled(u.LockoutEnd)))
            .ToList();
    }

    private async Task<List<ArticleRecord>> ArticlesAfterAsync(long after, CancellationToken cancellationToken)
    {
        var articles = await db.Articles.AsNoTracking().Where(a => a.Id > after).OrderBy(a => a.Id).Take(ArticlePage).ToListAsync(cancellationToken);
        if (articles.Count == 0)
        {
            return [];
        }

        var (first, last) = (articles[0].Id, articles[^1].Id);
        var bylines = (await db.Bylines.AsNoTracking().Where(b => b.ArticleId >= first && b.ArticleId <= last)
                .OrderBy(b => b.Position).ThenBy(b => b.AuthorId).ToListAsync(cancellationToken))
            .ToLookup(b => b.ArticleId, b => new BylineRecord(b.AuthorId, b.Position));
        var tags = (await db.Set<Dictionary<string, object>>(ArticleConfiguration.TopicLinks).AsNoTracking()
                .Select(t => new { ArticleId = EF.Property<int>(t, ArticleConfiguration.TopicLinkArticle), TagId = EF.Property<int>(t, ArticleConfiguration.TopicLinkTag) })
                .Where(t => t.ArticleId >= first && t.ArticleId <= last)
                .OrderBy(t => t.TagId).ToListAsync(cancellationToken))
            .ToLookup(t => t.ArticleId, t => t.TagId);
        var oldSlugs = (await db.ArticleSlugHistory.AsNoTracking().Where(h => h.ArticleId >= first && h.ArticleId <= last).ToListAsync(cancellationToken))
            .ToLookup(h => h.ArticleId, h => h.Slug);
        var revisions = (await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId >= first && r.ArticleId <= last)
                .OrderBy(r => r.Id).ToListAsync(cancellationToken))
            .ToLookup(r => r.ArticleId, r => new RevisionRecord(r.Id, r.CreatedAt, r.UserName, r.Headline, r.Dek, r.BodyMarkdown, r.CorrectionsNote, r.IsAutosave));

        return articles.Select(a => new ArticleRecord(
            a.Id, a.Slug, a.Headline, a.Dek, a.BodyMarkdown, a.Status, a.SectionId, a.PublishedAt, a.CreatedAt, a.UpdatedAt,
            a.CorrectionsNote, a.CommentsOpen, a.CommentCount, a.FeaturedImagePath, a.FeaturedImageAlt, a.FeaturedImageCaption,
            a.CreatedByUserId, a.UpdatedByName, a.ConcurrencyStamp,
            bylines[a.Id].ToList(), tags[a.Id].ToList(), oldSlugs[a.Id].Order(StringComparer.Ordinal).ToList(), revisions[a.Id].ToList())).ToList();
    }

    private async Task<List<AuthorRecord>> AuthorsAfterAsync(long after, CancellationToken cancellationToken)
    {
        var authors = await db.Authors.AsNoTracking().Where(a => a.Id > after).OrderBy(a => a.Id).Take(RowPage).ToListAsync(cancellationToken);
        if (authors.Count == 0)
        {
            return [];
        }

        var (first, last) = (authors[0].Id, authors[^1].Id);
        var oldSlugs = (await db.AuthorSlugHistory.AsNoTracking().Where(h => h.AuthorId >= first && h.AuthorId <= last).ToListAsync(cancellationToken))
            .ToLookup(h => h.AuthorId, h => h.Slug);
        return authors.Select(a => new AuthorRecord(a.Id, a.Name, a.Slug, a.Bio, a.StaffUserId, a.PhotoPath, oldSlugs[a.Id].Order(StringComparer.Ordinal).ToList())).ToList();
    }

    /// <summary>
    /// WordPress links are keyed by (blog address, WordPress id); paged by the article they point at
    /// instead, taking whole articles (a page may run a little past <see cref="RowPage"/>), and sorted
    /// here so that two databases' text collations give the same file.
    /// </summary>
    private async Task<List<WordPressPostRecord>> WordPressPostsAfterAsync(long after, CancellationToken cancellationToken)
    {
        var links = db.Set<WordPressPostLink>().AsNoTracking();
        var last = await links.Where(l => l.ArticleId > after).OrderBy(l => l.ArticleId).Skip(RowPage - 1).Select(l => (int?)l.ArticleId).FirstOrDefaultAsync(cancellationToken);
        return (await links.Where(l => l.ArticleId > after && (last == null || l.ArticleId <= last))
                .Select(l => new WordPressPostRecord(l.Site, l.WordPressId, l.PostType, l.Slug, l.ArticleId)).ToListAsync(cancellationToken))
            .OrderBy(l => l.ArticleId).ThenBy(l => l.Site, StringComparer.Ordinal).ThenBy(l => l.WordPressId).ToList();
    }

    private async Task<List<WordPressCommentRecord>> WordPressCommentsAfterAsync(long after, CancellationToken cancellationToken)
    {
        var links = db.Set<WordPressCommentLink>().AsNoTracking();
        var last = await links.Where(l => l.CommentId > after).OrderBy(l => l.CommentId).Skip(RowPage - 1).Select(l => (int?)l.CommentId).FirstOrDefaultAsync(cancellationToken);
        return (await links.Where(l => l.CommentId > after && (last == null || l.CommentId <= last))
                .Select(l => new WordPressCommentRecord(l.Site, l.WordPressId, l.CommentId)).ToListAsync(cancellationToken))
            .OrderBy(l => l.CommentId).ThenBy(l => l.Site, StringComparer.Ordinal).ThenBy(l => l.WordPressId).ToList();
    }

    private async Task<List<CommentRecord>> CommentsAfterAsync(long after, CancellationToken cancellationToken)
    {
        var comments = await db.Comments.AsNoTracking().Where(c => c.Id > after).OrderBy(c => c.Id).Take(RowPage).ToListAsync(cancellationToken);
        if (comments.Count == 0)
        {
            return [];
        }

        var (first, last) = (comments[0].Id, comments[^1].Id);
        var reports = (await db.CommentReports.AsNoTracking().Where(r => r.CommentId >= first && r.CommentId <= last).OrderBy(r => r.Id).ToListAsync(cancellationToken))
            .ToLookup(r => r.CommentId, r => new ReportRecord(r.Id, r.Reason, r.Note, r.CreatedAt, r.IpHash));
        return comments.Select(c => new CommentRecord(
            c.Id, c.ArticleId, c.ParentId, c.ThreadRootId, c.Depth, c.AuthorName, c.AuthorEmail, c.AuthorUrl, c.AvatarKey, c.BodyText,
            c.Status, c.StatusReason, c.CreatedAt, c.IpPrefix, c.IpHash, c.Fingerprint, c.UserAgent, reports[c.Id].ToList(), c.StaffUserId)).ToList();
    }
}

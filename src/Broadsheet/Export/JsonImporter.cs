using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Articles;
using Broadsheet.Articles.Seeding;
using Broadsheet.Comments;
using Broadsheet.Import.Wxr;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Text;
using Broadsheet.Privacy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Broadsheet.Export;

/// <summary>What became of a JSON import.</summary>
public abstract record JsonImportOutcome
{
    private JsonImportOutcome()
    {
    }

    public sealed record Imported(ExportCounts Counts) : JsonImportOutcome;

    /// <summary>The site already holds content of its own; nothing was changed.</summary>
    public sealed record SiteNotEmpty(string What) : JsonImportOutcome;

    /// <summary>The file is not a complete, valid export; nothing was stored. <see cref="Column"/> is known for JSON syntax errors.</summary>
    public sealed record Invalid(long Line, long? Column, string Problem) : JsonImportOutcome;
}

/// <summary>
/// Restores an export (<see cref="ExportFormat"/>) into a fresh site, keeping every id so that
/// comment threads, <c>/comments/{id}</c> permalinks, revisions and audit entries still point at the
/// right rows. All or nothing: one transaction, written in batches with the change tracker cleared
/// between them so memory stays flat. Article and comment HTML is rendered again from the Markdown
/// and text (never taken from the file), so a hand-edited file cannot put markup on the site.
/// </summary>
public sealed class JsonImporter(
    BroadsheetDbContext db,
    ArticleHtmlRenderer articleHtml,
    CommentText commentText,
    ILookupNormalizer normalizer,
    ContentVersion contentVersion)
{
    private const int BatchSize = 500;

    public async Task<JsonImportOutcome> ImportAsync(Stream input, IProgress<SeedProgress>? progress, CancellationToken cancellationToken)
    {
        var reader = new ExportFileReader(input);
        try
        {
            var (version, counts) = ReadHeader(reader);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await WhatIsThereAsync(cancellationToken) is { } what)
            {
                return new JsonImportOutcome.SiteNotEmpty(what);
            }

            await ClearFreshSiteAsync(cancellationToken);
            var roles = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Name!, r => r.Id, StringComparer.Ordinal, cancellationToken);
            var clock = Stopwatch.StartNew();
            long done = 0;
            void Advance(int records)
            {
                done += records;
                progress?.Report(new SeedProgress((int)Math.Min(done, int.MaxValue), (int)Math.Min(counts.Records, int.MaxValue), clock.Elapsed));
            }

            var found = new Tally();
            foreach (var section in ExportFormat.SectionsOf(version))
            {
                Expect(reader, JsonTokenType.PropertyName, section);
                Expect(reader, JsonTokenType.StartArray, section);
                switch (section)
                {
                    case "settings":
                        found.Settings = await ImportArrayAsync<SettingRecord>(reader, AddSetting, Advance, cancellationToken);
                        break;
                    case "users":
                        found.Users = await ImportArrayAsync<UserRecord>(reader, user => AddUser(user, roles, reader.ItemLine), Advance, cancellationToken);
                        break;
                    case "authors":
                        found.Authors = await ImportArrayAsync<AuthorRecord>(reader, AddAuthor, Advance, cancellationToken);
                        break;
                    case "sections":
                        found.Sections = await ImportArrayAsync<SectionRecord>(reader, AddSection, Advance, cancellationToken);
                        break;
                    case "tags":
                        found.Tags = await ImportArrayAsync<TagRecord>(reader, AddTag, Advance, cancellationToken);
                        break;
                    case "articles":
                        found.Articles = await ImportArrayAsync<ArticleRecord>(reader, article => found.Revisions += AddArticle(article), Advance, cancellationToken);
                        break;
                    case "comments":
                        found.Comments = await ImportArrayAsync<CommentRecord>(reader, comment => found.Reports += AddComment(comment), Advance, cancellationToken);
                        break;
                    case "auditLog":
                        found.AuditLog = await ImportArrayAsync<AuditRecord>(reader, AddAuditEntry, Advance, cancellationToken);
                        break;
                    case "erasures":
                        found.Erasures = await ImportArrayAsync<ErasureRecord>(reader, AddErasure, Advance, cancellationToken);
                        break;
                    case "wordPressPosts":
                        found.WordPressPosts = await ImportArrayAsync<WordPressPostRecord>(reader, AddWordPressPost, Advance, cancellationToken);
                        break;
                    case "wordPressComments":
                        found.WordPressComments = await ImportArrayAsync<WordPressCommentRecord>(reader, AddWordPressComment, Advance, cancellationToken);
                        break;
                    default:
                        throw new UnreachableException(section);
                }
            }

            Expect(reader, JsonTokenType.EndObject, "the end of the export");
            Expect(reader, JsonTokenType.None, "the end of the file");
            var actual = found.ToCounts();
            if (actual != counts)
            {
                throw new ExportFileException(
                    $"the file's \"counts\" say {Describe(counts)}, but it holds {Describe(actual)}: it was cut or edited", reader.Line);
            }

            await ResetIdentitySequencesAsync(cancellationToken);
            contentVersion.Stamp(db);
            await db.SaveChangesAsync(cancellationToken);
            // The file's counts are what its site had kept; the thread counts are not in it. Both follow from the comments.
            await CommentCounts.RecountAsync(db, db.Articles, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new JsonImportOutcome.Imported(counts);
        }
        catch (JsonException e)
        {
            var problem = reader.EndsAt(e) ? $"the file ends in the middle of the export (was it cut short?): {JsonProblem(e)}" : JsonProblem(e);
            return new JsonImportOutcome.Invalid((e.LineNumber ?? reader.Line - 1) + 1, e.BytePositionInLine + 1, problem);
        }
        catch (ExportFileException e)
        {
            return new JsonImportOutcome.Invalid(e.Line, null, e.Message);
        }
        catch (DbUpdateException e)
        {
            // A broken reference (a comment on an article the file lacks) or a duplicate id: the database names it.
            return new JsonImportOutcome.Invalid(reader.ItemLine, null,
                $"the records before this line could not be stored: {(e.InnerException ?? e).Message}");
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    private static (int Version, ExportCounts Counts) ReadHeader(ExportFileReader reader)
    {
        Expect(reader, JsonTokenType.StartObject, "the start of the export");
        Expect(reader, JsonTokenType.PropertyName, "format");
        if (reader.Read(out var format) != JsonTokenType.String || format != ExportFormat.Name)
        {
            throw new ExportFileException($"this is not a Broadsheet export (\"format\" should be \"{ExportFormat.Name}\")", reader.Line);
        }

        Expect(reader, JsonTokenType.PropertyName, "version");
        var versionToken = reader.Read(out var text);
        if (versionToken != JsonTokenType.Number || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            || version < ExportFormat.OldestReadable || version > ExportFormat.Version)
        {
            throw new ExportFileException(
                $"this export is format version {text}; this Broadsheet reads versions {ExportFormat.OldestReadable} to {ExportFormat.Version} "
                + "(a newer file needs the Broadsheet version that wrote it, or a later one)", reader.Line);
        }

        Expect(reader, JsonTokenType.PropertyName, "counts");
        var counts = reader.ReadValue<ExportCounts>();
        if (version == 1 && (counts.Erasures, counts.WordPressPosts, counts.WordPressComments) != (0, 0, 0))
        {
            throw new ExportFileException("a version 1 export has no erasures or WordPress links, but its \"counts\" list some", reader.Line);
        }

        return (version, counts);
    }

    private static void Expect(ExportFileReader reader, JsonTokenType expected, string what)
    {
        var token = reader.Read(out var text);
        if (token != expected || expected == JsonTokenType.PropertyName && text != what)
        {
            var saw = token switch
            {
                JsonTokenType.None => "the end of the file",
                JsonTokenType.PropertyName => $"\"{text}\"",
                _ => token.ToString(),
            };
            var wanted = expected switch
            {
                JsonTokenType.PropertyName => $"\"{what}\"",
                JsonTokenType.StartArray => $"the array of {what}",
                _ => what,
            };
            throw new ExportFileException($"expected {wanted} here but found {saw}", reader.Line);
        }
    }

    /// <summary>Null when the site is fresh: nothing but the untouched sample article, its names, and settings.</summary>
    private async Task<string?> WhatIsThereAsync(CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        void Add(int count, string one, string many)
        {
            if (count > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}"));
            }
        }

        Add(await db.Articles.CountAsync(a => a.Slug != SampleArticleSeeder.Slug, cancellationToken), "article besides the sample article", "articles besides the sample article");
        Add(await db.ArticleRevisions.CountAsync(cancellationToken), "article revision", "article revisions");
        Add(await db.Comments.CountAsync(cancellationToken), "comment", "comments");
        Add(await db.Users.CountAsync(cancellationToken), "staff account", "staff accounts");
        Add(await db.AuditEntries.CountAsync(cancellationToken), "audit log entry", "audit log entries");
        Add(await db.CommenterErasures.CountAsync(cancellationToken), "erasure record", "erasure records");
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    /// <summary>
    /// A fresh site's own sample article, its byline, section and tags, and its settings (hashing
    /// key, "sample seeded") give way to the file's, which include the exported site's own.
    /// </summary>
    private async Task ClearFreshSiteAsync(CancellationToken cancellationToken)
    {
        await db.Articles.ExecuteDeleteAsync(cancellationToken);
        await db.Authors.ExecuteDeleteAsync(cancellationToken);
        await db.Sections.ExecuteDeleteAsync(cancellationToken);
        await db.Tags.ExecuteDeleteAsync(cancellationToken);
        // Not the serving nodes' content-version rows: this import's own stamp tells them of it.
        await db.SiteSettings.Where(ExportFormat.IsSiteData).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<int> ImportArrayAsync<T>(ExportFileReader reader, Action<T> add, Action<int> advance, CancellationToken cancellationToken)
        where T : class
    {
        var (count, pending) = (0, 0);
        while (reader.TryReadItem<T>(out var item))
        {
            add(item);
            (count, pending) = (count + 1, pending + 1);
            if (pending == BatchSize)
            {
                await SaveBatchAsync(cancellationToken);
                advance(pending);
                pending = 0;
            }
        }

        if (pending > 0)
        {
            await SaveBatchAsync(cancellationToken);
            advance(pending);
        }

        return count;
    }

    private async Task SaveBatchAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private void AddSetting(SettingRecord setting) => db.SiteSettings.Add(new SiteSetting { Key = setting.Key, Value = setting.Value });

    private void AddUser(UserRecord record, Dictionary<string, string> roles, long line)
    {
        // No password: the person sets one with `user password` (see README). A new security stamp, since the old one is not exported.
        db.Users.Add(new StaffUser
        {
            Id = record.Id,
            UserName = record.UserName,
            NormalizedUserName = normalizer.NormalizeName(record.UserName),
            Email = record.Email,
            NormalizedEmail = normalizer.NormalizeEmail(record.Email),
            EmailConfirmed = true,
            DisplayName = record.DisplayName,
            CreatedAt = record.CreatedAt,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            LockoutEnabled = true,
            // A disabled account stays disabled: without this a restore would let it ask for a password link.
            LockoutEnd = record.Disabled ? StaffAccounts.DisabledUntil : null,
        });
        foreach (var role in record.Roles)
        {
            if (!roles.TryGetValue(role, out var roleId))
            {
                throw new ExportFileException($"user {record.Email} has the role \"{role}\", which is not one of {string.Join(", ", StaffRoles.All)}", line);
            }

            db.UserRoles.Add(new IdentityUserRole<string> { UserId = record.Id, RoleId = roleId });
        }
    }

    private void AddAuthor(AuthorRecord author)
    {
        db.Authors.Add(new Author { Id = author.Id, Name = author.Name, Slug = author.Slug, Bio = author.Bio, StaffUserId = author.StaffUserId, PhotoPath = author.PhotoPath });
        foreach (var slug in author.OldSlugs ?? [])
        {
            db.AuthorSlugHistory.Add(new AuthorSlugHistory { Slug = slug, AuthorId = author.Id });
        }
    }

    private void AddSection(SectionRecord section) =>
        db.Sections.Add(new Section { Id = section.Id, Name = section.Name, Slug = section.Slug, Position = section.Position });

    private void AddTag(TagRecord tag) => db.Tags.Add(new Tag { Id = tag.Id, Name = tag.Name, Slug = tag.Slug });

    private int AddArticle(ArticleRecord a)
    {
        var body = articleHtml.RenderBody(a.BodyMarkdown);
        db.Articles.Add(new Article
        {
            Id = a.Id,
            Slug = a.Slug,
            Headline = a.Headline,
            Dek = a.Dek,
            BodyMarkdown = a.BodyMarkdown,
            BodyHtml = body.Html,
            BodyText = body.Text,
            Status = a.Status,
            SectionId = a.SectionId,
            PublishedAt = a.PublishedAt,
            CreatedAt = a.CreatedAt,
            UpdatedAt = a.UpdatedAt,
            CorrectionsNote = a.CorrectionsNote,
            CommentsOpen = a.CommentsOpen,
            CommentCount = a.CommentCount,
            FeaturedImagePath = a.FeaturedImagePath,
            FeaturedImageAlt = a.FeaturedImageAlt,
            FeaturedImageCaption = a.FeaturedImageCaption,
            CreatedByUserId = a.CreatedByUserId,
            UpdatedByName = a.UpdatedByName,
            ConcurrencyStamp = a.ConcurrencyStamp,
        });
        foreach (var byline in a.Bylines)
        {
            db.Bylines.Add(new Byline { ArticleId = a.Id, AuthorId = byline.AuthorId, Position = byline.Position });
        }

        var articleTags = db.Set<Dictionary<string, object>>(ArticleConfiguration.TopicLinks);
        foreach (var tagId in a.TagIds)
        {
            articleTags.Add(new Dictionary<string, object> { [ArticleConfiguration.TopicLinkArticle] = a.Id, [ArticleConfiguration.TopicLinkTag] = tagId });
        }

        foreach (var slug in a.OldSlugs)
        {
            db.ArticleSlugHistory.Add(new ArticleSlugHistory { Slug = slug, ArticleId = a.Id });
        }

        foreach (var r in a.Revisions)
        {
            db.ArticleRevisions.Add(new ArticleRevision
            {
                Id = r.Id,
                ArticleId = a.Id,
                CreatedAt = r.CreatedAt,
                UserName = r.UserName,
                Headline = r.Headline,
                Dek = r.Dek,
                BodyMarkdown = r.BodyMarkdown,
                CorrectionsNote = r.CorrectionsNote,
                IsAutosave = r.IsAutosave,
            });
        }

        return a.Revisions.Count;
    }

    private int AddComment(CommentRecord c)
    {
        db.Comments.Add(new Comment
        {
            Id = c.Id,
            ArticleId = c.ArticleId,
            ParentId = c.ParentId,
            ThreadRootId = c.ThreadRootId,
            Depth = c.Depth,
            AuthorName = c.AuthorName,
            AuthorEmail = c.AuthorEmail,
            AuthorUrl = c.AuthorUrl,
            AvatarKey = c.AvatarKey,
            BodyText = c.BodyText,
            BodyHtml = commentText.Render(c.BodyText),
            Status = c.Status,
            StatusReason = c.StatusReason,
            CreatedAt = c.CreatedAt,
            IpPrefix = c.IpPrefix,
            IpHash = c.IpHash,
            Fingerprint = c.Fingerprint,
            UserAgent = c.UserAgent,
            StaffUserId = c.StaffUserId,
        });
        foreach (var r in c.Reports)
        {
            db.CommentReports.Add(new CommentReport { Id = r.Id, CommentId = c.Id, Reason = r.Reason, Note = r.Note, CreatedAt = r.CreatedAt, IpHash = r.IpHash });
        }

        return c.Reports.Count;
    }

    private void AddAuditEntry(AuditRecord e) => db.AuditEntries.Add(new AuditEntry
    {
        Id = e.Id,
        At = e.At,
        UserId = e.UserId,
        UserName = e.UserName,
        Action = e.Action,
        TargetType = e.TargetType,
        TargetId = e.TargetId,
        Details = e.Details,
        IpPrefix = e.IpPrefix,
    });

    private void AddErasure(ErasureRecord e) => db.CommenterErasures.Add(new CommenterErasure
    {
        Id = e.Id,
        ErasedAt = e.ErasedAt,
        RequestedBy = e.RequestedBy,
        CommentsDeleted = e.CommentsDeleted,
        CommentsAnonymised = e.CommentsAnonymised,
    });

    private void AddWordPressPost(WordPressPostRecord l) => db.Set<WordPressPostLink>().Add(new WordPressPostLink
    {
        Site = l.Site,
        WordPressId = l.WordPressId,
        PostType = l.PostType,
        Slug = l.Slug,
        ArticleId = l.ArticleId,
    });

    private void AddWordPressComment(WordPressCommentRecord l) =>
        db.Set<WordPressCommentLink>().Add(new WordPressCommentLink { Site = l.Site, WordPressId = l.WordPressId, CommentId = l.CommentId });

    /// <summary>
    /// Rows inserted with explicit ids leave PostgreSQL's identity sequences where they were, and
    /// the next new article would collide with an imported one. SQLite needs nothing: a new rowid
    /// is always past the largest one.
    /// </summary>
    private async Task ResetIdentitySequencesAsync(CancellationToken cancellationToken)
    {
        if (db is not PostgresBroadsheetDbContext)
        {
            return;
        }

        foreach (var entity in db.Model.GetEntityTypes())
        {
            if (entity.FindPrimaryKey() is not { Properties: [var key] } || key.ValueGenerated != ValueGenerated.OnAdd
                || key.ClrType != typeof(int) && key.ClrType != typeof(long) || entity.GetTableName() is not { } table)
            {
                continue;
            }

            var column = key.GetColumnName();
            var sql = $"""SELECT setval(pg_get_serial_sequence('"{table}"', '{column}'), coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, false)""";
            await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
        }
    }

    private static string JsonProblem(JsonException e)
    {
        // The reader's and serializer's messages end with their own "Path: … | LineNumber: …"; we give the position once, in the user's terms.
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        var text = (cut > 0 ? message[..cut] : message).TrimEnd('.');
        return e.Path is { Length: > 1 } path ? $"{path} of the record: {text}" : text;
    }

    private static string Describe(ExportCounts c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.Articles} articles, {c.Revisions} revisions, {c.Comments} comments, {c.Reports} reports, {c.Users} users, {c.AuditLog} audit entries, {c.Settings} settings, {c.Authors} authors, {c.Sections} sections, {c.Tags} tags, {c.Erasures} erasures, {c.WordPressPosts} WordPress posts, {c.WordPressComments} WordPress comments");

    private sealed class Tally
    {
        public int Settings { get; set; }
        public int Users { get; set; }
        public int Authors { get; set; }
        public int Sections { get; set; }
        public int Tags { get; set; }
        public int Articles { get; set; }
        public int Revisions { get; set; }
        public int Comments { get; set; }
        public int Reports { get; set; }
        public long AuditLog { get; set; }
        public int Erasures { get; set; }
        public int WordPressPosts { get; set; }
        public int WordPressComments { get; set; }

        public ExportCounts ToCounts() =>
            new(Settings, Users, Authors, Sections, Tags, Articles, Revisions, Comments, Reports, AuditLog, Erasures, WordPressPosts, WordPressComments);
    }
}

/// <summary>Valid JSON that is not a valid export (wrong shape, an unknown role, counts that do not add up), with the line it was found on.</summary>
public sealed class ExportFileException : Exception
{
    public ExportFileException(string message, long line)
        : base(message) => Line = line;

    public ExportFileException()
    {
    }

    public ExportFileException(string message)
        : base(message)
    {
    }

    public ExportFileException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public long Line { get; }
}

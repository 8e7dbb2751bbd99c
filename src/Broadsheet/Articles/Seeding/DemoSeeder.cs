using System.Diagnostics;
using Bogus;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Security;
using Broadsheet.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles.Seeding;

/// <summary>How much demo content to make.</summary>
public sealed record DemoSize(int Articles, int CommentsPerArticle, int SampleArticleComments, int Seed = 7);

/// <summary>Progress of a long seeding run, for the CLI's progress bar.</summary>
public readonly record struct SeedProgress(int Done, int Total, TimeSpan Elapsed);

/// <summary>What a seeding run stored, and where its time went.</summary>
public sealed record SeededRows(int Articles, int Comments, int Bylines, int TopicLinks, TimeSpan Elapsed, TimeSpan Writing)
{
    public int Total => Articles + Comments + Bylines + TopicLinks;
}

/// <summary>
/// Generates a realistic-looking newsroom for demos and load tests (<c>seed-demo</c>): articles
/// with bylines, sections and topics, and threaded comments with mixed statuses. Rows go to the
/// database in bulk (<see cref="BulkRows"/>: binary COPY on PostgreSQL, prepared inserts on
/// SQLite), one transaction per batch of articles with their comments, so a run stopped half-way
/// leaves whole articles; memory stays flat because a batch is dropped once written.
/// </summary>
public sealed class DemoSeeder(
    BroadsheetDbContext db, ArticleHtmlRenderer renderer, CommentText commentText, SiteKeys keys, ContentVersion contentVersion, TimeProvider time)
{
    /// <summary>
    /// Articles per transaction: with 10 comments each, about 7,500 rows, so a commit (a disk
    /// flush on either database) per few thousand rows, and a batch's text stays a few MB.
    /// </summary>
    private const int BatchSize = 500;

    private static readonly string[] SectionNames = ["World", "Politics", "Business", "Science", "Culture", "Sport", "Opinion", "Local"];

    public async Task<SeededRows> SeedAsync(DemoSize size, IProgress<SeedProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(size);
        var faker = new Faker("en") { Random = new Randomizer(size.Seed) };
        var clock = Stopwatch.StartNew();
        var named = await NamedThings.FindOrCreateAsync(
            db,
            Enumerable.Range(0, 40).Select(_ => faker.Name.FullName()).ToList(),
            SectionNames,
            Enumerable.Range(0, 60).Select(_ => faker.Commerce.Department() + " " + faker.Hacker.Noun()).ToList(),
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var newsroom = new Newsroom([.. named.Sections.Values], [.. named.Authors.Values], [.. named.Tags.Values], time.GetUtcNow().UtcDateTime, Guid.NewGuid().ToString("N")[..6]);

        // One connection for the whole run: the bulk writers' prepared statements live on it.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await SeedArticlesAsync(faker, newsroom, size, progress, clock, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<SeededRows> SeedArticlesAsync(
        Faker faker, Newsroom newsroom, DemoSize size, IProgress<SeedProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        var writing = new Stopwatch();
        await using var rows = BulkRows.For(db);
        var stored = new SeededRows(0, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero);
        int? firstArticleId = null;
        for (var start = 0; start < size.Articles; start += BatchSize)
        {
            var batch = MakeBatch(faker, newsroom, start, Math.Min(BatchSize, size.Articles - start), size.CommentsPerArticle);
            writing.Start();
            var first = await WriteAsync(rows, batch, cancellationToken);
            firstArticleId ??= first;
            writing.Stop();
            stored = batch.AddTo(stored);
            progress?.Report(new SeedProgress(start + batch.Articles.Count, size.Articles, clock.Elapsed));
        }

        var sample = size.SampleArticleComments > 0
            ? await db.Articles.Where(a => a.Slug == SampleArticleSeeder.Slug).Select(a => new { a.Id, a.PublishedAt }).FirstOrDefaultAsync(cancellationToken)
            : null;
        if (sample is not null)
        {
            var batch = new DemoBatch([], []);
            AddComments(faker, batch, [(null, sample.Id, sample.PublishedAt!.Value)], size.SampleArticleComments, approvedOnly: true);
            writing.Start();
            await WriteAsync(rows, batch, cancellationToken);
            writing.Stop();
            stored = batch.AddTo(stored);
        }

        // Counts are kept, never computed per request: one statement recounts the articles written here.
        writing.Start();
        var firstId = firstArticleId ?? int.MaxValue;
        var sampleId = sample?.Id ?? 0;
        await CommentCounts.RecountAsync(db, db.Articles.Where(a => a.Id >= firstId || a.Id == sampleId), cancellationToken);
        // A site serving meanwhile learns of the new articles from the version (ContentVersionWatcher).
        contentVersion.Stamp(db);
        await db.SaveChangesAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            // Fresh statistics, as after a pg_restore: autovacuum would get there within minutes,
            // but until it does the planner takes the new tables for nearly empty.
            await db.Database.ExecuteSqlRawAsync("""ANALYZE "Articles", "Bylines", "ArticleTags", "Comments";""", cancellationToken);
        }

        writing.Stop();
        return stored with { Elapsed = clock.Elapsed, Writing = writing.Elapsed };
    }

    /// <summary>
    /// Gives the batch's rows their ids (reserved from the database, inside the batch's
    /// transaction) and writes them; returns the first article id.
    /// </summary>
    private async Task<int?> WriteAsync(BulkRows rows, DemoBatch batch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var articleIds = await rows.ReserveIdsAsync<Article>(db, batch.Articles.Count, cancellationToken);
        for (var i = 0; i < batch.Articles.Count; i++)
        {
            var article = batch.Articles[i];
            article.Id = articleIds[i];
            article.Bylines.ForEach(b => b.ArticleId = article.Id);
        }

        // Top-level comments come before their replies in the list, so a parent's id is known first.
        var commentIds = await rows.ReserveIdsAsync<Comment>(db, batch.Comments.Count, cancellationToken);
        for (var i = 0; i < batch.Comments.Count; i++)
        {
            var comment = batch.Comments[i];
            comment.Id = commentIds[i];
            comment.ArticleId = comment.Article?.Id ?? comment.ArticleId;
            comment.ParentId = comment.Parent?.Id;
            comment.ThreadRootId = comment.Parent is { } parent ? parent.ThreadRootId ?? parent.Id : null;
        }

        await rows.WriteAsync(db, batch.Articles, cancellationToken);
        await rows.WriteAsync(db, batch.Articles.SelectMany(a => a.Bylines), cancellationToken);
        await rows.WriteAsync(
            db.Model.FindEntityType(ArticleConfiguration.TopicLinks)!,
            batch.Articles.SelectMany(a => a.Tags.Select(t => new Dictionary<string, object>
            {
                [ArticleConfiguration.TopicLinkArticle] = a.Id,
                [ArticleConfiguration.TopicLinkTag] = t.Id,
            })),
            cancellationToken);
        await rows.WriteAsync(db, batch.Comments, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return batch.Articles.Count > 0 ? batch.Articles[0].Id : null;
    }

    private DemoBatch MakeBatch(Faker faker, Newsroom newsroom, int start, int count, int commentsPerArticle)
    {
        var batch = new DemoBatch(new List<Article>(count), new List<Comment>(count * commentsPerArticle));
        for (var i = 0; i < count; i++)
        {
            var headline = Headline(faker);
            var body = string.Join("\n\n", faker.Lorem.Paragraphs(faker.Random.Int(5, 12), "\n\n").Split("\n\n").Select(p => p.Trim()));
            var published = newsroom.Now.AddMinutes(-faker.Random.Int(60, 60 * 24 * 700));
            var rendered = renderer.RenderBody(body);
            var article = new Article
            {
                Headline = headline,
                Dek = faker.Lorem.Sentence(faker.Random.Int(8, 16)),
                Slug = $"{Slugs.From(headline)}-{newsroom.RunId}-{start + i}",
                BodyMarkdown = body,
                BodyHtml = rendered.Html,
                BodyText = rendered.Text,
                Status = ArticleStatus.Published,
                PublishedAt = published,
                CreatedAt = published,
                UpdatedAt = published,
                SectionId = faker.PickRandom(newsroom.Sections).Id,
            };
            foreach (var (author, position) in faker.PickRandom(newsroom.Authors, faker.Random.Int(1, 2)).Select((a, p) => (a, p)))
            {
                article.Bylines.Add(new Byline { AuthorId = author.Id, Position = position });
            }

            article.Tags.AddRange(faker.PickRandom(newsroom.Tags, faker.Random.Int(1, 4)));
            batch.Articles.Add(article);
        }

        AddComments(faker, batch, batch.Articles.Select(a => ((Article?)a, 0, a.PublishedAt!.Value)).ToList(), commentsPerArticle, approvedOnly: false);
        return batch;
    }

    /// <summary>
    /// Threads for each article: 70 % top-level comments, the rest replies to them; all top-level
    /// comments of the batch first, then the replies (see <see cref="WriteAsync(BulkRows, DemoBatch, CancellationToken)"/>).
    /// An article is either in the batch (ids not known yet) or already stored (its id).
    /// </summary>
    private void AddComments(
        Faker faker, DemoBatch batch, IReadOnlyList<(Article? Article, int StoredId, DateTime PublishedAt)> articles, int perArticle, bool approvedOnly)
    {
        if (perArticle == 0)
        {
            return;
        }

        var topLevel = Math.Max(1, (int)Math.Ceiling(perArticle * 0.7));
        var roots = articles
            .Select(a => Enumerable.Range(0, topLevel).Select(_ => NewComment(faker, a.Article, a.StoredId, a.PublishedAt, approvedOnly)).ToList())
            .ToList();
        batch.Comments.AddRange(roots.SelectMany(r => r));
        batch.Comments.AddRange(roots.SelectMany(threads => Enumerable.Range(0, perArticle - topLevel).Select(_ =>
        {
            var parent = faker.PickRandom(threads);
            var reply = NewComment(faker, parent.Article, parent.ArticleId, parent.CreatedAt, approvedOnly);
            reply.Parent = parent;
            reply.Depth = 1;
            return reply;
        })));
    }

    private Comment NewComment(Faker faker, Article? article, int storedArticleId, DateTime after, bool approvedOnly)
    {
        var text = faker.Lorem.Paragraphs(faker.Random.Int(1, 3), "\n\n");
        var email = faker.Internet.Email();
        var roll = faker.Random.Double();
        var status = approvedOnly || roll < 0.85 ? CommentStatus.Approved : roll < 0.95 ? CommentStatus.Pending : CommentStatus.Spam;
        return new Comment
        {
            Article = article,
            ArticleId = storedArticleId,
            AuthorName = faker.Name.FullName(),
            AuthorEmail = email,
            AuthorUrl = faker.Random.Bool(0.2f) ? faker.Internet.Url() : null,
            AvatarKey = CommentDerivedFields.AvatarKey(keys, email),
            BodyText = text,
            BodyHtml = commentText.Render(text),
            Status = status,
            StatusReason = status == CommentStatus.Approved ? null : "demo data",
            CreatedAt = after.AddMinutes(faker.Random.Int(1, 60 * 48)),
            IpPrefix = "192.0.2.0",
            Fingerprint = Guid.NewGuid().ToString("N"),
        };
    }

    private static string Headline(Faker faker)
    {
        var phrase = faker.Company.CatchPhrase();
        return $"{char.ToUpperInvariant(phrase[0])}{phrase[1..]} as {faker.Address.City()} {faker.Hacker.Verb()}s {faker.Commerce.ProductName().ToLowerInvariant()}";
    }

    /// <summary>The stored sections, bylines and topics new articles pick from, and the run's clock and slug suffix.</summary>
    private sealed record Newsroom(List<Section> Sections, List<Author> Authors, List<Tag> Tags, DateTime Now, string RunId);

    /// <summary>Articles (with their bylines and topics) and comments, top-level ones before replies, not yet stored.</summary>
    private sealed record DemoBatch(List<Article> Articles, List<Comment> Comments)
    {
        public SeededRows AddTo(SeededRows rows) => rows with
        {
            Articles = rows.Articles + Articles.Count,
            Comments = rows.Comments + Comments.Count,
            Bylines = rows.Bylines + Articles.Sum(a => a.Bylines.Count),
            TopicLinks = rows.TopicLinks + Articles.Sum(a => a.Tags.Count),
        };
    }
}


using System.Diagnostics;
using Bogus;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Security;
using Broadsheet.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles.Seeding;

/// <summary>How much demo content to make.</summary>
public sealed record DemoSize(int Articles, int CommentsPerArticle, int SampleArticleComments, int Seed = 7);

/// <summary>Progress of a long seeding run, for the CLI's progress bar.</summary>
public readonly record struct SeedProgress(int Done, int Total, TimeSpan Elapsed);

/// <summary>
/// Generates a realistic-looking newsroom for demos and load tests (<c>seed-demo</c>): articles
/// with bylines, sections and topics, and threaded comments with mixed statuses. Inserts in
/// batches, one transaction each, with change tracking cleared between batches so memory stays flat.
/// </summary>
public sealed class DemoSeeder(BroadsheetDbContext db, ArticleHtmlRenderer renderer, CommentText commentText, SiteKeys keys, TimeProvider time)
{
    private const int BatchSize = 500;
    private static readonly string[] SectionNames = ["World", "Politics", "Business", "Science", "Culture", "Sport", "Opinion", "Local"];

    public async Task SeedAsync(DemoSize size, IProgress<SeedProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(size);
        var faker = new Faker("en") { Random = new Randomizer(size.Seed) };
        var clock = Stopwatch.StartNew();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var named = await NamedThings.FindOrCreateAsync(
            db,
            Enumerable.Range(0, 40).Select(_ => faker.Name.FullName()).ToList(),
            SectionNames,
            Enumerable.Range(0, 60).Select(_ => faker.Commerce.Department() + " " + faker.Hacker.Noun()).ToList(),
            cancellationToken);
        var (sections, authors, tags) = (named.Sections.Values.ToList(), named.Authors.Values.ToList(), named.Tags.Values.ToList());
        var now = time.GetUtcNow().UtcDateTime;
        var runId = Guid.NewGuid().ToString("N")[..6];

        for (var start = 0; start < size.Articles; start += BatchSize)
        {
            var count = Math.Min(BatchSize, size.Articles - start);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var articles = new List<Article>(count);
            for (var i = 0; i < count; i++)
            {
                var headline = Headline(faker);
                var body = string.Join("\n\n", faker.Lorem.Paragraphs(faker.Random.Int(5, 12), "\n\n").Split("\n\n").Select(p => p.Trim()));
                var published = now.AddMinutes(-faker.Random.Int(60, 60 * 24 * 700));
                var article = new Article
                {
                    Headline = headline,
                    Dek = faker.Lorem.Sentence(faker.Random.Int(8, 16)),
                    Slug = $"{Slugs.From(headline)}-{runId}-{start + i}",
                    BodyMarkdown = body,
                    BodyHtml = renderer.Render(body),
                    Status = ArticleStatus.Published,
                    PublishedAt = published,
                    CreatedAt = published,
                    UpdatedAt = published,
                    Section = faker.PickRandom(sections),
                };
                foreach (var (author, position) in faker.PickRandom(authors, faker.Random.Int(1, 2)).Select((a, p) => (a, p)))
                {
                    article.Bylines.Add(new Byline { Author = author, Position = position });
                }

                article.Tags.AddRange(faker.PickRandom(tags, faker.Random.Int(1, 4)));
                articles.Add(article);
            }

            db.Articles.AddRange(articles);
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
            await AddCommentsAsync(faker, articles.Select(a => (a.Id, a.PublishedAt!.Value)).ToList(), size.CommentsPerArticle, approvedOnly: false, cancellationToken);

            await transaction.CommitAsync(cancellationToken);
            // Forget this batch (memory stays flat), but keep the shared sections, authors and tags attached.
            db.ChangeTracker.Clear();
            tags.ForEach(t => t.Articles.Clear());
            db.AttachRange(sections);
            db.AttachRange(authors);
            db.AttachRange(tags);
            progress?.Report(new SeedProgress(start + count, size.Articles, clock.Elapsed));
        }

        if (size.SampleArticleComments > 0
            && await db.Articles.Where(a => a.Slug == SampleArticleSeeder.Slug).Select(a => new { a.Id, a.PublishedAt }).FirstOrDefaultAsync(cancellationToken) is { } sample)
        {
            await AddCommentsAsync(faker, [(sample.Id, sample.PublishedAt!.Value)], size.SampleArticleComments, approvedOnly: true, cancellationToken);
        }

        // One statement recounts every article: counts are kept, never computed per request.
        await CommentCounts.RecountAsync(db, db.Articles, cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = true;
    }

    /// <summary>Top-level comments of every article first (their ids are needed), then replies to them: two statements batches in all.</summary>
    private async Task AddCommentsAsync(
        Faker faker, IReadOnlyList<(int Id, DateTime PublishedAt)> articles, int perArticle, bool approvedOnly, CancellationToken cancellationToken)
    {
        if (perArticle == 0)
        {
            return;
        }

        var topLevel = Math.Max(1, (int)Math.Ceiling(perArticle * 0.7));
        var roots = articles.ToDictionary(
            a => a.Id,
            a => Enumerable.Range(0, topLevel).Select(_ => NewComment(faker, a.Id, a.PublishedAt, approvedOnly)).ToList());
        db.Comments.AddRange(roots.Values.SelectMany(r => r));
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        var replies = roots.Values.SelectMany(threads => Enumerable.Range(0, perArticle - topLevel).Select(_ =>
        {
            var parent = faker.PickRandom(threads);
            var reply = NewComment(faker, parent.ArticleId, parent.CreatedAt, approvedOnly);
            reply.ParentId = parent.Id;
            reply.ThreadRootId = parent.Id;
            reply.Depth = 1;
            return reply;
        })).ToList();
        db.Comments.AddRange(replies);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
    }

    private Comment NewComment(Faker faker, int articleId, DateTime after, bool approvedOnly)
    {
        var text = faker.Lorem.Paragraphs(faker.Random.Int(1, 3), "\n\n");
        var email = faker.Internet.Email();
        var roll = faker.Random.Double();
        var status = approvedOnly || roll < 0.85 ? CommentStatus.Approved : roll < 0.95 ? CommentStatus.Pending : CommentStatus.Spam;
        return new Comment
        {
            ArticleId = articleId,
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
}

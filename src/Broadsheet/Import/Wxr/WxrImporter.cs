using System.Diagnostics;
using Broadsheet.Articles;
using Broadsheet.Articles.Seeding;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Security;
using Broadsheet.Infrastructure.Text;
using Broadsheet.Media;
using Broadsheet.Site;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Broadsheet.Import.Wxr;

/// <summary>Choices for what a WordPress export does not say itself.</summary>
public sealed record WxrImportOptions
{
    /// <summary>Import the valid items and list the bad ones, instead of storing nothing.</summary>
    public bool SkipInvalid { get; init; }

    /// <summary>The blog's time zone, for dates WordPress recorded without a GMT twin; default the site's.</summary>
    public TimeZoneInfo? TimeZone { get; init; }

    /// <summary>The section WordPress pages go into (pages have no category).</summary>
    public string PagesSection { get; init; } = "Pages";

    /// <summary>
    /// Download each featured image into the media store (<see cref="FeaturedImageFetcher"/>) instead of
    /// keeping the old blog's address, which the pages' Content-Security-Policy does not show.
    /// </summary>
    public bool FetchImages { get; init; }

    /// <summary>How long one image's download may take, answer and body together.</summary>
    public TimeSpan ImageTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Told at once of each featured image that could not be fetched (the import goes on without it).</summary>
    public Action<WxrProblem>? Warning { get; init; }
}

/// <summary>What an import did, for the summary the command prints.</summary>
public sealed class WxrImportSummary
{
    public string Site { get; set; } = "";
    public int Articles { get; set; }
    public int Pages { get; set; }
    public int Comments { get; set; }
    public int ArticlesAlreadyImported { get; set; }
    public int CommentsAlreadyImported { get; set; }

    /// <summary>Featured images downloaded into the media store (<see cref="WxrImportOptions.FetchImages"/>).</summary>
    public int FeaturedImagesFetched { get; set; }

    /// <summary>Featured images of the imported articles still at another site's address: not fetched, or failed to.</summary>
    public int FeaturedImagesElsewhere { get; set; }

    /// <summary>Images inside the imported articles' text downloaded into the media store.</summary>
    public int InlineImagesFetched { get; set; }

    /// <summary>Images inside the imported articles' text still at another site's address: not fetched, or failed to.</summary>
    public int InlineImagesElsewhere { get; set; }

    /// <summary>Items not imported by design, by reason ("revision", "trash", "attachment", "pingback", …).</summary>
    public SortedDictionary<string, int> Skipped { get; } = new(StringComparer.Ordinal);

    public List<WxrProblem> Problems { get; } = [];

    /// <summary>False when problems stopped the import (nothing was stored).</summary>
    public bool Stored { get; set; }

    internal void Skip(string reason) => Skipped[reason] = Skipped.GetValueOrDefault(reason) + 1;
}

/// <summary>
/// Imports a WordPress export (WXR 1.0–1.2) in two streaming passes. The first checks every item
/// and collects what later items need (attachments for featured images, the authors' names); if
/// anything is wrong, nothing is stored unless <see cref="WxrImportOptions.SkipInvalid"/> says to
/// store the rest. The second stores the items in batches, all in one transaction (a failure half
/// way stores nothing), forgetting each batch once saved so memory stays flat. Every article and
/// comment is linked to its WordPress id, so importing a file again adds only what is new.
/// </summary>
public sealed partial class WxrImporter(
    BroadsheetDbContext db,
    ArticleWriter writer,
    ArticleHtmlRenderer renderer,
    CommentText commentText,
    SiteKeys keys,
    IOptionsMonitor<CommentOptions> commentOptions,
    SiteOptions siteOptions,
    ContentVersion contentVersion,
    ContentCache cache,
    FeaturedImageFetcher images,
    TimeProvider time)
{
    private const int BatchSize = 100;

    public async Task<WxrImportSummary> ImportAsync(
        string path, WxrImportOptions options, IProgress<SeedProgress>? checking, IProgress<SeedProgress>? storing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var zone = options.TimeZone ?? siteOptions.FindTimeZone();
        var scan = Check(path, zone, checking);
        var summary = new WxrImportSummary { Site = scan.Site };
        summary.Problems.AddRange(scan.Problems);
        foreach (var (reason, count) in scan.Skipped)
        {
            summary.Skipped[reason] = count;
        }

        if (summary.Problems.Count > 0 && !options.SkipInvalid)
        {
            return summary;
        }

        // Created now, outside the transaction: creating it inside would wait on our own write lock (SQLite).
        keys.EnsureLoaded();
        var clock = Stopwatch.StartNew();
        var done = 0;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Every entity is complete when it is added and never changed after, so scanning the
            // tracked ones for changes before each save (a third of the time) finds nothing.
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            try
            {
                using var reader = WxrReader.Open(path);
                var batch = new List<WxrItem>(BatchSize);
                foreach (var raw in reader.Items())
                {
                    var item = WxrItemParser.Parse(raw, reader.Names, zone);
                    if (item.Kind != WxrItemKind.Article || !item.IsValid || scan.DuplicateLines.Contains(item.Line))
                    {
                        continue;
                    }

                    item.Comments.RemoveAll(c => c.Problems.Count > 0 || scan.DuplicateLines.Contains(c.Line));
                    batch.Add(item);
                    if (batch.Count == BatchSize)
                    {
                        await StoreAsync(batch, scan, options, summary, cancellationToken);
                        done += batch.Count;
                        batch.Clear();
                        storing?.Report(new SeedProgress(done, scan.Articles, clock.Elapsed));
                    }
                }

                if (batch.Count > 0)
                {
                    await StoreAsync(batch, scan, options, summary, cancellationToken);
                    done += batch.Count;
                    storing?.Report(new SeedProgress(done, scan.Articles, clock.Elapsed));
                }
            }
            finally
            {
                db.ChangeTracker.AutoDetectChangesEnabled = true;
            }

            // A site that is serving (another process) sees the new version and drops its cached pages.
            contentVersion.Stamp(db);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        summary.Stored = true;
        await cache.EverythingChangedAsync(cancellationToken);
        return summary;
    }

    /// <summary>The first pass: every item parsed and checked, nothing kept but what the second pass needs.</summary>
    private static WxrScan Check(string path, TimeZoneInfo zone, IProgress<SeedProgress>? progress)
    {
        var scan = new WxrScan();
        var clock = Stopwatch.StartNew();
        var posts = new Dictionary<long, int>();
        var comments = new Dictionary<long, int>();
        using var reader = WxrReader.Open(path);
        var total = (int)Math.Min(int.MaxValue, reader.Length / 1024);
        var items = 0;
        foreach (var raw in reader.Items())
        {
            var item = WxrItemParser.Parse(raw, reader.Names, zone);
            switch (item.Kind)
            {
                case WxrItemKind.Attachment:
                    scan.Attachments[item.WordPressId] = item.Attachment!;
                    scan.Skipped[item.SkipReason!] = scan.Skipped.GetValueOrDefault(item.SkipReason!) + 1;
                    break;
                case WxrItemKind.Skipped:
                    scan.Skipped[item.SkipReason!] = scan.Skipped.GetValueOrDefault(item.SkipReason!) + 1;
                    break;
                default:
                    scan.Articles++;
                    if (item.WordPressId > 0 && !posts.TryAdd(item.WordPressId, item.Line))
                    {
                        scan.DuplicateLines.Add(item.Line);
                        scan.Problems.Add(new(item.Line, $"wp:post_id {item.WordPressId} appears twice; the first is at line {posts[item.WordPressId]}."));
                    }

                    foreach (var comment in item.Comments.Where(c => c.SkipReason is null && c.WordPressId > 0))
                    {
                        if (!comments.TryAdd(comment.WordPressId, comment.Line))
                        {
                            scan.DuplicateLines.Add(comment.Line);
                            scan.Problems.Add(new(comment.Line, $"wp:comment_id {comment.WordPressId} appears twice; the first is at line {comments[comment.WordPressId]}."));
                        }
                    }

                    scan.Problems.AddRange(item.AllProblems);
                    break;
            }

            if (++items % 200 == 0)
            {
                progress?.Report(new SeedProgress((int)Math.Min(total, reader.Position / 1024), total, clock.Elapsed));
            }
        }

        progress?.Report(new SeedProgress(total, total, clock.Elapsed));
        scan.Site = reader.Channel.Site;
        foreach (var (login, name) in reader.Channel.Authors)
        {
            scan.Authors[login] = name;
        }

        scan.Problems.Sort((a, b) => a.Line.CompareTo(b.Line));
        return scan;
    }

    private async Task StoreAsync(List<WxrItem> items, WxrScan scan, WxrImportOptions options, WxrImportSummary summary, CancellationToken cancellationToken)
    {
        var articleIds = await StoreArticlesAsync(items, scan, options, summary, cancellationToken);
        await StoreCommentsAsync(items, articleIds, scan, summary, cancellationToken);
        // Forget the batch: a large file must not pile up in the change tracker.
        db.ChangeTracker.Clear();
    }

    /// <summary>New articles for the posts not imported before; returns every post's article id.</summary>
    private async Task<Dictionary<long, int>> StoreArticlesAsync(
        List<WxrItem> items, WxrScan scan, WxrImportOptions options, WxrImportSummary summary, CancellationToken cancellationToken)
    {
        var ids = items.Select(i => i.WordPressId).ToList();
        var articleIds = await db.Set<WordPressPostLink>().AsNoTracking()
            .Where(l => l.Site == scan.Site && ids.Contains(l.WordPressId))
            .ToDictionaryAsync(l => l.WordPressId, l => l.ArticleId, cancellationToken);
        var fresh = items.Where(i => !articleIds.ContainsKey(i.WordPressId)).ToList();
        summary.ArticlesAlreadyImported += items.Count - fresh.Count;
        if (options.FetchImages && fresh.Count < items.Count)
        {
            await FetchImagesImportedBeforeAsync(items.Where(i => articleIds.ContainsKey(i.WordPressId)), articleIds, scan, options, summary, cancellationToken);
        }

        if (fresh.Count == 0)
        {
            return articleIds;
        }

        string? Byline(WxrItem item) => item.Creator is null ? null : Named(scan.Authors.GetValueOrDefault(item.Creator, item.Creator));
        string? SectionOf(WxrItem item) => Named(item.PostType == "page" ? options.PagesSection : item.Category);
        // Sections, topics and bylines are found by their slug: a name with no letter or digit has
        // none (it would merge with every other such name), so it is left out.
        static string? Named(string? name) => name is not null && Slugs.From(name).Length > 0 ? name : null;
        var named = await NamedThings.FindOrCreateAsync(
            db, fresh.Select(Byline).OfType<string>(), fresh.Select(SectionOf).OfType<string>(), fresh.SelectMany(TagsOf), cancellationToken);

        IEnumerable<string> TagsOf(WxrItem item) => item.Tags.Select(Named).OfType<string>();
        var now = time.GetUtcNow().UtcDateTime;
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var created = new List<(WxrItem Item, Article Article)>(fresh.Count);
        foreach (var item in fresh)
        {
            var featured = FeaturedImageOf(item, scan);
            var markdown = await WithInlineImagesAsync(item, options, summary, cancellationToken);
            // The same renderer and sanitizer as every article: a <script> in an export never reaches a page.
            var body = renderer.RenderBody(markdown);
            var article = new Article
            {
                Headline = item.Title,
                Dek = item.Excerpt,
                BodyMarkdown = markdown,
                BodyHtml = body.Html,
                BodyText = body.Text,
                Slug = await ClaimSlugAsync(item.Slug.Length > 0 ? item.Slug : item.Title, claimed, cancellationToken),
                Status = item.Status,
                PublishedAt = item.Status is ArticleStatus.Draft or ArticleStatus.PendingReview ? null : item.Date,
                CreatedAt = item.Date ?? item.Modified ?? now,
                UpdatedAt = Latest(item.Modified, item.Date) ?? now,
                CommentsOpen = item.CommentsOpen,
                FeaturedImagePath = await FeaturedImagePathAsync(item, featured, options, summary, cancellationToken),
                FeaturedImageAlt = Fit(featured?.Alt, 400),
                FeaturedImageCaption = Fit(featured?.Caption, 1000),
            };
            named.Assign(article, Byline(item) is { } byline ? [byline] : [], SectionOf(item), TagsOf(item));
            db.Articles.Add(article);
            db.Set<WordPressPostLink>().Add(new WordPressPostLink
            {
                Site = scan.Site,
                WordPressId = item.WordPressId,
                PostType = item.PostType,
                Slug = Fit(item.Slug, 200) ?? "",
                Article = article,
            });
            created.Add((item, article));
            if (item.PostType == "page")
            {
                summary.Pages++;
            }
            else
            {
                summary.Articles++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await KeepWordPressSlugsAsync(created, cancellationToken);
        foreach (var (item, article) in created)
        {
            articleIds[item.WordPressId] = article.Id;
        }

        return articleIds;
    }

    private static WxrAttachment? FeaturedImageOf(WxrItem item, WxrScan scan) =>
        item.ThumbnailId is { } thumbnail ? scan.Attachments.GetValueOrDefault(thumbnail) : null;

    /// <summary>Where the article's featured image is: copied here when asked and possible, else the old address.</summary>
    private async Task<string?> FeaturedImagePathAsync(
        WxrItem item, WxrAttachment? featured, WxrImportOptions options, WxrImportSummary summary, CancellationToken cancellationToken)
    {
        if (featured is null || MediaStore.IsServedHere(featured.Url))
        {
            return Fit(featured?.Url, 400);
        }

        if (options.FetchImages && await FetchAsync(item, featured, options, cancellationToken) is { } stored)
        {
            summary.FeaturedImagesFetched++;
            return stored;
        }

        summary.FeaturedImagesElsewhere++;
        return Fit(featured.Url, 400);
    }

    /// <summary>
    /// The post's body with the images inside it (<c>&lt;img src&gt;</c> at another site, what WordPress
    /// writes for every picture in a post) copied here with <c>--fetch-images</c> and pointed at their
    /// <c>/media/</c> address; their <c>srcset</c> and <c>sizes</c> go, since the other sizes stay behind.
    /// Without the option, or when a download fails, the image keeps its address, which the pages'
    /// Content-Security-Policy does not load: counted for the summary either way.
    /// </summary>
    private async Task<string> WithInlineImagesAsync(WxrItem item, WxrImportOptions options, WxrImportSummary summary, CancellationToken cancellationToken)
    {
        var tags = InlineImage().Matches(item.Body);
        if (tags.Count == 0)
        {
            return item.Body;
        }

        var body = new System.Text.StringBuilder(item.Body.Length);
        var copied = 0;
        foreach (System.Text.RegularExpressions.Match tag in tags)
        {
            body.Append(item.Body, copied, tag.Index - copied);
            copied = tag.Index + tag.Length;
            var url = System.Net.WebUtility.HtmlDecode(tag.Groups["url"].Value);
            if (!options.FetchImages)
            {
                summary.InlineImagesElsewhere++;
                body.Append(tag.Value);
                continue;
            }

            switch (await images.FetchAsync(url, options.ImageTimeout, cancellationToken))
            {
                case ImageUploadOutcome.Stored stored:
                    summary.InlineImagesFetched++;
                    var src = tag.Groups["url"];
                    body.Append(SizesAttribute().Replace(tag.Value[..(src.Index - tag.Index)] + stored.Url + tag.Value[(src.Index - tag.Index + src.Length)..], ""));
                    break;
                case ImageUploadOutcome.Refused refused:
                    summary.InlineImagesElsewhere++;
                    options.Warning?.Invoke(new WxrProblem(item.Line,
                        $"an image in \"{item.Title}\" (wp:post_id {item.WordPressId}) was not fetched from {url}: {refused.Problem} It keeps that address, which the page does not show."));
                    body.Append(tag.Value);
                    break;
                default:
                    throw new InvalidOperationException("An image outcome that is neither stored nor refused.");
            }
        }

        body.Append(item.Body, copied, item.Body.Length - copied);
        return body.ToString();
    }

    [System.Text.RegularExpressions.GeneratedRegex("""<img\b[^>]*?\ssrc\s*=\s*(?<q>["'])(?<url>https?://[^"'<>\s]+)\k<q>[^>]*>""", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex InlineImage();

    [System.Text.RegularExpressions.GeneratedRegex("""\s(?:srcset|sizes)\s*=\s*(?:"[^"]*"|'[^']*')""", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex SizesAttribute();

    /// <summary>The image's <c>/media/…</c> address, or null after telling why it could not be fetched.</summary>
    private async Task<string?> FetchAsync(WxrItem item, WxrAttachment featured, WxrImportOptions options, CancellationToken cancellationToken)
    {
        switch (await images.FetchAsync(featured.Url, options.ImageTimeout, cancellationToken))
        {
            case ImageUploadOutcome.Stored stored:
                return stored.Url;
            case ImageUploadOutcome.Refused refused:
                options.Warning?.Invoke(new WxrProblem(item.Line,
                    $"the featured image of \"{item.Title}\" (wp:post_id {item.WordPressId}) was not fetched from {featured.Url}: {refused.Problem} The article keeps that address, which its page does not show."));
                return null;
            default:
                throw new InvalidOperationException("An image outcome that is neither stored nor refused.");
        }
    }

    /// <summary>
    /// A file imported before without <c>--fetch-images</c>: its articles still at the attachment's old
    /// address (not changed since by an editor) get the image now, so running the import again with
    /// the option is how to bring the images over.
    /// </summary>
    private async Task FetchImagesImportedBeforeAsync(
        IEnumerable<WxrItem> known, Dictionary<long, int> articleIds, WxrScan scan, WxrImportOptions options, WxrImportSummary summary, CancellationToken cancellationToken)
    {
        var wanted = known
            .Select(item => (Item: item, Featured: FeaturedImageOf(item, scan)))
            .Where(w => w.Featured is not null && !MediaStore.IsServedHere(w.Featured.Url))
            .ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var ids = wanted.Select(w => articleIds[w.Item.WordPressId]).ToList();
        var paths = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.FeaturedImagePath, cancellationToken);
        foreach (var (item, featured) in wanted)
        {
            var id = articleIds[item.WordPressId];
            var old = Fit(featured!.Url, 400);
            if (paths.GetValueOrDefault(id) != old)
            {
                continue;
            }

            if (await FetchAsync(item, featured, options, cancellationToken) is { } stored)
            {
                await db.Articles.Where(a => a.Id == id && a.FeaturedImagePath == old)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.FeaturedImagePath, stored), cancellationToken);
                summary.FeaturedImagesFetched++;
            }
            else
            {
                summary.FeaturedImagesElsewhere++;
            }
        }
    }

    /// <summary>
    /// When an article could not keep its WordPress slug (taken here, or not ASCII), the WordPress
    /// slug becomes one of its old slugs: <c>/yyyy/mm/dd/wordpress-slug/</c> then answers 301 like any renamed article.
    /// </summary>
    private async Task KeepWordPressSlugsAsync(List<(WxrItem Item, Article Article)> created, CancellationToken cancellationToken)
    {
        var renamed = created
            .Where(c => c.Item.Slug.Length is > 0 and <= 200 && c.Item.Slug != c.Article.Slug)
            .DistinctBy(c => c.Item.Slug)
            .ToList();
        if (renamed.Count == 0)
        {
            return;
        }

        var slugs = renamed.Select(c => c.Item.Slug).ToList();
        var taken = await db.Articles.Where(a => slugs.Contains(a.Slug)).Select(a => a.Slug)
            .Concat(db.ArticleSlugHistory.Where(h => slugs.Contains(h.Slug)).Select(h => h.Slug))
            .ToListAsync(cancellationToken);
        foreach (var (item, article) in renamed.Where(c => !taken.Contains(c.Item.Slug)))
        {
            db.ArticleSlugHistory.Add(new ArticleSlugHistory { Slug = item.Slug, ArticleId = article.Id });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task StoreCommentsAsync(
        List<WxrItem> items, Dictionary<long, int> articleIds, WxrScan scan, WxrImportSummary summary, CancellationToken cancellationToken)
    {
        foreach (var skipped in items.SelectMany(i => i.Comments).Where(c => c.SkipReason is not null))
        {
            summary.Skip(skipped.SkipReason!);
        }

        var comments = items
            .SelectMany(i => i.Comments.Where(c => c.SkipReason is null).Select(c => (ArticleId: articleIds[i.WordPressId], Comment: c)))
            .ToList();
        var ids = comments.Select(c => c.Comment.WordPressId).ToList();
        var known = (await db.Set<WordPressCommentLink>().AsNoTracking()
            .Where(l => l.Site == scan.Site && ids.Contains(l.WordPressId))
            .Select(l => l.WordPressId)
            .ToListAsync(cancellationToken)).ToHashSet();
        var pending = comments.Where(c => !known.Contains(c.Comment.WordPressId)).ToList();
        summary.CommentsAlreadyImported += comments.Count - pending.Count;
        if (pending.Count == 0)
        {
            return;
        }

        var placed = await ParentsImportedBeforeAsync(pending, scan.Site, cancellationToken);
        var maxDepth = commentOptions.CurrentValue.MaxDepth;
        var waiting = pending.Select(p => p.Comment.WordPressId).ToHashSet();
        // Parents before replies, one save per level of the threads: a reply needs its parent's id.
        while (pending.Count > 0)
        {
            var ready = pending.Where(p => p.Comment.ParentId == 0 || placed.ContainsKey(p.Comment.ParentId) || !waiting.Contains(p.Comment.ParentId)).ToList();
            if (ready.Count == 0)
            {
                ready = pending; // replies to each other in a circle: a broken file; they become top-level comments
            }

            var created = new List<(long WordPressId, Comment Comment)>(ready.Count);
            foreach (var (articleId, wxr) in ready)
            {
                // A reply to a comment that is not in the file (or in another article) starts a thread of its own.
                var place = wxr.ParentId > 0 && placed.TryGetValue(wxr.ParentId, out var parent) && parent.ArticleId == articleId
                    ? CommentDerivedFields.ReplyTo(parent.Place, maxDepth)
                    : ThreadPlace.TopLevel;
                var comment = NewComment(articleId, wxr, place);
                db.Comments.Add(comment);
                db.Set<WordPressCommentLink>().Add(new WordPressCommentLink { Site = scan.Site, WordPressId = wxr.WordPressId, Comment = comment });
                created.Add((wxr.WordPressId, comment));
            }

            await db.SaveChangesAsync(cancellationToken);
            foreach (var (wordPressId, comment) in created)
            {
                placed[wordPressId] = (comment.ArticleId, new ThreadParent(comment.Id, comment.ParentId, comment.ThreadRootId, comment.Depth));
                waiting.Remove(wordPressId);
            }

            summary.Comments += created.Count;
            var readyIds = ready.Select(r => r.Comment.WordPressId).ToHashSet();
            pending = pending.Where(p => !readyIds.Contains(p.Comment.WordPressId)).ToList();
        }

        var touched = comments.Select(c => c.ArticleId).Distinct().ToList();
        await CommentCounts.RecountAsync(db, db.Articles.Where(a => touched.Contains(a.Id)), cancellationToken);
    }

    /// <summary>Parents that an earlier import stored (a second file with new replies to old comments).</summary>
    private async Task<Dictionary<long, (int ArticleId, ThreadParent Place)>> ParentsImportedBeforeAsync(
        List<(int ArticleId, WxrComment Comment)> pending, string site, CancellationToken cancellationToken)
    {
        var inBatch = pending.Select(p => p.Comment.WordPressId).ToHashSet();
        var parentIds = pending.Select(p => p.Comment.ParentId).Where(id => id > 0 && !inBatch.Contains(id)).Distinct().ToList();
        if (parentIds.Count == 0)
        {
            return [];
        }

        var parents = await db.Set<WordPressCommentLink>().AsNoTracking()
            .Where(l => l.Site == site && parentIds.Contains(l.WordPressId))
            .Select(l => new { l.WordPressId, l.Comment!.ArticleId, l.Comment.Id, l.Comment.ParentId, l.Comment.ThreadRootId, l.Comment.Depth })
            .ToListAsync(cancellationToken);
        return parents.ToDictionary(p => p.WordPressId, p => (p.ArticleId, new ThreadParent(p.Id, p.ParentId, p.ThreadRootId, p.Depth)));
    }

    /// <summary>The same derived fields as a comment posted here (see <see cref="CommentPoster"/>).</summary>
    private Comment NewComment(int articleId, WxrComment wxr, ThreadPlace place)
    {
        var avatarKey = CommentDerivedFields.AvatarKey(keys, wxr.AuthorEmail);
        return new Comment
        {
            ArticleId = articleId,
            ParentId = place.ParentId,
            ThreadRootId = place.ThreadRootId,
            Depth = place.Depth,
            AuthorName = wxr.AuthorName,
            AuthorEmail = wxr.AuthorEmail,
            AuthorUrl = wxr.AuthorUrl,
            AvatarKey = avatarKey,
            BodyText = wxr.Text,
            BodyHtml = commentText.Render(wxr.Text),
            Status = wxr.Status,
            StatusReason = wxr.Status == CommentStatus.Approved ? null : "imported from WordPress",
            CreatedAt = wxr.Date,
            IpPrefix = IpPrivacy.Truncate(wxr.Address),
            IpHash = wxr.Address is null ? null : keys.Hash("ip", wxr.Address.ToString()),
            Fingerprint = CommentDerivedFields.Fingerprint(keys, articleId, place.ParentId, avatarKey, wxr.AuthorName, wxr.Text),
        };
    }

    /// <summary>A slug no other article has, nor any earlier in this (not yet saved) batch.</summary>
    private async Task<string> ClaimSlugAsync(string wanted, HashSet<string> claimed, CancellationToken cancellationToken)
    {
        var slug = await writer.ClaimSlugAsync(wanted, null, cancellationToken);
        for (var n = 2; claimed.Contains(slug); n++)
        {
            slug = await writer.ClaimSlugAsync($"{wanted}-{n}", null, cancellationToken);
        }

        claimed.Add(slug);
        return slug;
    }

    private static DateTime? Latest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string? Fit(string? text, int length) => text is null || text.Length <= length ? text : text[..length];

    private sealed class WxrScan
    {
        public string Site { get; set; } = "";
        public int Articles { get; set; }
        public Dictionary<string, string> Authors { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<long, WxrAttachment> Attachments { get; } = [];
        public SortedDictionary<string, int> Skipped { get; } = new(StringComparer.Ordinal);
        public List<WxrProblem> Problems { get; } = [];

        /// <summary>Lines of items and comments whose WordPress id came earlier in the file too.</summary>
        public HashSet<int> DuplicateLines { get; } = [];
    }
}

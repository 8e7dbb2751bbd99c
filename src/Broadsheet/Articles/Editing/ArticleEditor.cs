using System.Globalization;
using System.Security.Claims;
using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles.Editing;

/// <summary>What the editor form sends.</summary>
public sealed class ArticleEdit
{
    // Model binding turns an empty field into null whatever the type says: kept as "" here, so an
    // empty body (allowed) or headline (refused by Validate, not by a crash) reads as empty.
    public string Headline { get; set => field = value ?? ""; } = "";
    public string? Dek { get; set; }
    public string? Slug { get; set; }
    public string BodyMarkdown { get; set => field = value ?? ""; } = "";

    /// <summary>Byline names, comma-separated, in credit order.</summary>
    public string? Authors { get; set; }

    public string? Section { get; set; }

    /// <summary>Topics, comma-separated.</summary>
    public string? Tags { get; set; }

    public string? CorrectionsNote { get; set; }

    /// <summary>False unless the form's box is ticked (an unticked box sends nothing); a new article's form starts ticked.</summary>
    public bool CommentsOpen { get; set; }

    /// <summary>When to publish, in the newsroom's time zone (empty: now, when publishing).</summary>
    public DateTime? PublishAtLocal { get; set; }

    /// <summary>The stamp of the copy the form was made from.</summary>
    public string? ConcurrencyStamp { get; set; }

    /// <summary>
    /// A new article's form only: a random key made when the page opened. Its first save, automatic or
    /// by hand, creates the article and records the key; the same form saving again without knowing
    /// it did (an autosave's answer lost on a bad connection, then the next autosave or Save) updates
    /// that article rather than creating a second.
    /// </summary>
    public string? DraftKey { get; set; }

    public const int DraftKeyLength = 32;

    public static string NewDraftKey() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// A featured image uploaded with this form but not yet saved to the article (<c>/media/…</c>), carried
    /// in a hidden field so that a form refused for another reason does not ask for the file again.
    /// </summary>
    public string? FeaturedImageUpload { get; set; }

    /// <summary>Describes the featured image for readers who cannot see it; required with an image.</summary>
    public string? FeaturedImageAlt { get; set; }

    public string? FeaturedImageCaption { get; set; }

    /// <summary>Take the featured image off the article.</summary>
    public bool RemoveFeaturedImage { get; set; }
}

public enum EditorAction
{
    /// <summary>Save and keep the status (a new article is a draft).</summary>
    Save,

    /// <summary>Ask an editor to review and publish (Contributors).</summary>
    Submit,

    /// <summary>Publish now, or schedule when the publish time is in the future.</summary>
    Publish,

    Unpublish,
}

public abstract record EditOutcome
{
    public sealed record Saved(Article Article) : EditOutcome;

    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : EditOutcome;

    /// <summary>Someone saved since this form was loaded: nothing was overwritten.</summary>
    public sealed record Conflict(string? ChangedBy, DateTime ChangedAt) : EditOutcome;

    public sealed record Forbidden(string Reason) : EditOutcome;

    public sealed record NotFound : EditOutcome;

    /// <summary>An autosave of a new article whose form is still empty: no draft is made.</summary>
    public sealed record NothingToSave : EditOutcome;
}

/// <summary>
/// Saves articles from the newsroom's editor: validation, who may do what (Contributors never
/// publish; Authors and Contributors touch only their own), a revision per save, the old slug kept
/// as a redirect, optimistic concurrency, then cache eviction.
/// </summary>
public sealed class ArticleEditor(
    BroadsheetDbContext db,
    ArticleWriter writer,
    ArticleHtmlRenderer renderer,
    ContentCache cache,
    ContentVersion contentVersion,
    AuditLog audit,
    Media.MediaStore media,
    Site.SiteClock clock)
{
    public async Task<bool> MayEditAsync(ClaimsPrincipal user, int articleId, CancellationToken cancellationToken) =>
        Permissions.Has(user, Permissions.EditAllArticles)
        || await db.Articles.AnyAsync(a => a.Id == articleId && a.CreatedByUserId == UserId(user), cancellationToken);

    private const string BodyNeededToPublish = "Write the article's body before publishing it (a draft can be saved without one).";

    public async Task<EditOutcome> SaveAsync(int? id, ArticleEdit edit, EditorAction action, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(user);
        id ??= await CreatedEarlierByThisFormAsync(edit, user, cancellationToken);
        var errors = Validate(edit);
        if (action == EditorAction.Publish && string.IsNullOrWhiteSpace(edit.BodyMarkdown))
        {
            // A draft may wait for its body; readers may not.
            errors.TryAdd(nameof(edit.BodyMarkdown), BodyNeededToPublish);
        }

        if (errors.Count > 0)
        {
            return new EditOutcome.Invalid(errors);
        }

        if (action is EditorAction.Publish or EditorAction.Unpublish && !Permissions.Has(user, Permissions.PublishArticles))
        {
            return new EditOutcome.Forbidden("Contributors cannot publish: submit the article for review instead.");
        }

        var now = clock.UtcNow;
        Article article;
        if (id is { } existingId)
        {
            var found = await db.Articles.Include(a => a.Bylines).Include(a => a.Tags).FirstOrDefaultAsync(a => a.Id == existingId, cancellationToken);
            if (found is null)
            {
                return new EditOutcome.NotFound();
            }

            if (!Permissions.Has(user, Permissions.EditAllArticles) && found.CreatedByUserId != UserId(user))
            {
                return new EditOutcome.Forbidden("You can only edit your own articles.");
            }

            if (!Permissions.Has(user, Permissions.PublishArticles) && found.Status is ArticleStatus.Published or ArticleStatus.Scheduled)
            {
                return new EditOutcome.Forbidden("This article is published; only an editor can change it now.");
            }

            if (action == EditorAction.Save && found.Status is ArticleStatus.Published or ArticleStatus.Scheduled && string.IsNullOrWhiteSpace(edit.BodyMarkdown))
            {
                // Saved as it is, the article would stay live (or go live on schedule) with nothing to read.
                return new EditOutcome.Invalid(new Dictionary<string, string> { [nameof(edit.BodyMarkdown)] = BodyNeededToPublish });
            }

            if (!string.Equals(found.ConcurrencyStamp, edit.ConcurrencyStamp, StringComparison.Ordinal))
            {
                return new EditOutcome.Conflict(found.UpdatedByName, found.UpdatedAt);
            }

            // The database checks the stamp too, so two saves racing past the check above cannot both win.
            db.Entry(found).Property(a => a.ConcurrencyStamp).OriginalValue = edit.ConcurrencyStamp!;
            article = found;
            if (!string.IsNullOrWhiteSpace(edit.Slug) && Slugs.From(edit.Slug) is { Length: > 0 } wanted && wanted != article.Slug)
            {
                var oldSlug = article.Slug;
                article.Slug = await writer.ClaimSlugAsync(wanted, article.Id, cancellationToken);
                if (!await db.ArticleSlugHistory.AnyAsync(h => h.Slug == oldSlug, cancellationToken))
                {
                    db.ArticleSlugHistory.Add(new ArticleSlugHistory { Slug = oldSlug, ArticleId = article.Id });
                }
            }
            else
            {
                await FollowHeadlineAsync(article, edit, edit.Headline, cancellationToken);
            }
        }
        else
        {
            article = new Article
            {
                Headline = edit.Headline,
                Slug = await writer.ClaimSlugAsync(string.IsNullOrWhiteSpace(edit.Slug) ? edit.Headline : edit.Slug, null, cancellationToken),
                CreatedAt = now,
                CreatedByUserId = UserId(user),
                DraftKey = DraftKeyOf(edit),
            };
            db.Articles.Add(article);
        }

        var image = FeaturedImage(edit, id is null ? null : article.FeaturedImagePath, out var imageErrors);
        if (imageErrors.Count > 0)
        {
            db.ChangeTracker.Clear(); // the slug claimed above is not kept
            return new EditOutcome.Invalid(imageErrors);
        }

        article.FeaturedImagePath = image;
        article.FeaturedImageAlt = image is null ? null : edit.FeaturedImageAlt!.Trim();
        article.FeaturedImageCaption = image is null || string.IsNullOrWhiteSpace(edit.FeaturedImageCaption) ? null : edit.FeaturedImageCaption.Trim();
        await ApplyTextAsync(article, edit, user, now, cancellationToken);
        ApplyAction(article, action, edit.PublishAtLocal is { } local ? clock.ToUtc(local) : null, now);

        db.ArticleRevisions.Add(new ArticleRevision
        {
            Article = article,
            CreatedAt = now,
            UserName = user.Identity?.Name,
            Headline = article.Headline,
            Dek = article.Dek,
            BodyMarkdown = article.BodyMarkdown,
            CorrectionsNote = article.CorrectionsNote,
        });
        contentVersion.Stamp(db);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.Articles.AsNoTracking().Where(a => a.Id == article.Id).Select(a => new { a.UpdatedByName, a.UpdatedAt }).FirstAsync(cancellationToken);
            return new EditOutcome.Conflict(current.UpdatedByName, current.UpdatedAt);
        }

        // Evicted before the audit entry is saved: the change is committed, and a failure below must
        // not leave this node serving the article as it was (its content-version watcher would not
        // notice: the version is this node's own).
        await cache.ArticleChangedAsync(article.Id, cancellationToken);
        audit.Record($"article.{action.ToString().ToLowerInvariant()}", "article", article.Id.ToString(CultureInfo.InvariantCulture), $"{article.Status}: {article.Headline}");
        await db.SaveChangesAsync(cancellationToken);
        return new EditOutcome.Saved(article);
    }

    /// <summary>
    /// The editor's autosave while someone types: updates a draft (never an article readers can
    /// see) and keeps one "autosave" revision, replaced each time until the next save by hand. The
    /// concurrency stamp protects it exactly as it protects a save. Without <paramref name="id"/> (a
    /// new article's page) the first autosave creates the draft, once something is typed, and the
    /// page goes on as that draft's editor. A headline is not needed yet: the draft keeps the one it
    /// has (a new one is called <see cref="UntitledHeadline"/>), so text typed first is not lost; a
    /// save by hand still asks for one. Not audited but for that creation: a save every few seconds
    /// would bury the log; the revision records who and when.
    /// </summary>
    public async Task<EditOutcome> AutosaveAsync(int? id, ArticleEdit edit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(user);
        id ??= await CreatedEarlierByThisFormAsync(edit, user, cancellationToken);
        if (id is null && IsEmpty(edit))
        {
            return new EditOutcome.NothingToSave();
        }

        var errors = Validate(edit, headlineRequired: false);
        if (errors.Count > 0)
        {
            return new EditOutcome.Invalid(errors);
        }

        var now = clock.UtcNow;
        Article article;
        ArticleRevision? latest = null;
        if (id is { } existingId)
        {
            var found = await db.Articles.Include(a => a.Bylines).Include(a => a.Tags).FirstOrDefaultAsync(a => a.Id == existingId, cancellationToken);
            if (found is null)
            {
                return new EditOutcome.NotFound();
            }

            if (!Permissions.Has(user, Permissions.EditAllArticles) && found.CreatedByUserId != UserId(user))
            {
                return new EditOutcome.Forbidden("You can only edit your own articles.");
            }

            if (!IsAutosaved(found.Status))
            {
                return new EditOutcome.Forbidden("Only drafts are saved automatically: save this article yourself.");
            }

            if (!string.Equals(found.ConcurrencyStamp, edit.ConcurrencyStamp, StringComparison.Ordinal))
            {
                return new EditOutcome.Conflict(found.UpdatedByName, found.UpdatedAt);
            }

            db.Entry(found).Property(a => a.ConcurrencyStamp).OriginalValue = edit.ConcurrencyStamp!;
            article = found;
            latest = await db.ArticleRevisions.Where(r => r.ArticleId == existingId).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        }
        else
        {
            article = new Article { Headline = "", Slug = "", CreatedAt = now, CreatedByUserId = UserId(user), DraftKey = DraftKeyOf(edit) }; // a draft
            db.Articles.Add(article);
        }

        var headline = string.IsNullOrWhiteSpace(edit.Headline) ? (article.Headline is { Length: > 0 } kept ? kept : UntitledHeadline) : edit.Headline;
        await ApplyTextAsync(article, edit, user, now, cancellationToken, headline);
        if (id is null)
        {
            article.Slug = await writer.ClaimSlugAsync(string.IsNullOrWhiteSpace(edit.Slug) ? headline : edit.Slug, null, cancellationToken);
        }
        else
        {
            await FollowHeadlineAsync(article, edit, headline, cancellationToken);
        }

        if (latest is not { IsAutosave: true })
        {
            latest = new ArticleRevision { Article = article, Headline = "", BodyMarkdown = "", IsAutosave = true };
            db.ArticleRevisions.Add(latest);
        }

        latest.CreatedAt = now;
        latest.UserName = user.Identity?.Name;
        latest.Headline = article.Headline;
        latest.Dek = article.Dek;
        latest.BodyMarkdown = article.BodyMarkdown;
        latest.CorrectionsNote = article.CorrectionsNote;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.Articles.AsNoTracking().Where(a => a.Id == article.Id).Select(a => new { a.UpdatedByName, a.UpdatedAt }).FirstAsync(cancellationToken);
            return new EditOutcome.Conflict(current.UpdatedByName, current.UpdatedAt);
        }

        if (id is null)
        {
            audit.Record("article.autosave-create", "article", article.Id.ToString(CultureInfo.InvariantCulture), $"{article.Status}: {article.Headline}");
            await db.SaveChangesAsync(cancellationToken);
        }

        // Drafts are on no public page, so no cache to evict.
        return new EditOutcome.Saved(article);
    }

    /// <summary>The headline of a draft autosaved before one was typed (a save by hand asks for a real one).</summary>
    public const string UntitledHeadline = "Untitled draft";

    /// <summary>Nothing worth a draft typed yet: a new article's form as it was opened.</summary>
    private static bool IsEmpty(ArticleEdit edit) =>
        string.IsNullOrWhiteSpace(edit.Headline) && string.IsNullOrWhiteSpace(edit.Dek)
        && string.IsNullOrWhiteSpace(edit.BodyMarkdown) && string.IsNullOrWhiteSpace(edit.CorrectionsNote);

    /// <summary>
    /// An article never published has had no public address to keep, so while the form's slug field
    /// is empty its slug follows the headline: a draft autosaved on a new article's page got its
    /// slug from the first few words typed, and takes the finished headline's at the next save.
    /// </summary>
    private async Task FollowHeadlineAsync(Article article, ArticleEdit edit, string headline, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(edit.Slug) && article.PublishedAt is null)
        {
            article.Slug = await writer.ClaimSlugAsync(headline, article.Id, cancellationToken);
        }
    }

    /// <summary>What a save and an autosave both take from the form: the text, bylines, section and topics, and who changed it when.</summary>
    private async Task ApplyTextAsync(Article article, ArticleEdit edit, ClaimsPrincipal user, DateTime now, CancellationToken cancellationToken, string? headline = null)
    {
        article.Headline = (headline ?? edit.Headline).Trim();
        article.Dek = string.IsNullOrWhiteSpace(edit.Dek) ? null : edit.Dek.Trim();
        article.BodyMarkdown = edit.BodyMarkdown;
        (article.BodyHtml, article.BodyText) = renderer.RenderBody(edit.BodyMarkdown);
        article.CorrectionsNote = string.IsNullOrWhiteSpace(edit.CorrectionsNote) ? null : edit.CorrectionsNote.Trim();
        article.CommentsOpen = edit.CommentsOpen;
        article.UpdatedAt = now;
        article.UpdatedByName = user.Identity?.Name;
        article.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        await writer.SetBylinesSectionAndTagsAsync(article, Names(edit.Authors), edit.Section, Names(edit.Tags), cancellationToken);
    }

    /// <summary>Statuses readers cannot see, which autosave may change under the writer's hands.</summary>
    public static bool IsAutosaved(ArticleStatus status) => status is ArticleStatus.Draft or ArticleStatus.PendingReview or ArticleStatus.Unpublished;

    /// <summary>The image the article will have: a new upload, the one it has, or none when removed. Alt text is required with one.</summary>
    private string? FeaturedImage(ArticleEdit edit, string? current, out Dictionary<string, string> errors)
    {
        errors = [];
        var image = current;
        if (edit.RemoveFeaturedImage)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(edit.FeaturedImageUpload))
        {
            // Only a file the store made: the hidden field comes back from the browser and could say anything.
            if (media.FileFor(edit.FeaturedImageUpload) is null)
            {
                errors[nameof(edit.FeaturedImageUpload)] = "The uploaded image could not be found: please choose the file again.";
                return current;
            }

            image = edit.FeaturedImageUpload;
        }

        if (image is not null && string.IsNullOrWhiteSpace(edit.FeaturedImageAlt))
        {
            errors[nameof(edit.FeaturedImageAlt)] = "Please describe the image (alt text) for readers who cannot see it.";
        }

        return image;
    }

    private static void ApplyAction(Article article, EditorAction action, DateTime? publishAt, DateTime now)
    {
        switch (action)
        {
            case EditorAction.Submit:
                article.Status = ArticleStatus.PendingReview;
                break;
            case EditorAction.Publish when publishAt is { } at && at > now:
                article.Status = ArticleStatus.Scheduled;
                article.PublishedAt = at;
                break;
            case EditorAction.Publish:
                article.Status = ArticleStatus.Published;
                // Republishing keeps the first publication date (and so the URL).
                article.PublishedAt = publishAt ?? article.PublishedAt ?? now;
                break;
            case EditorAction.Unpublish:
                article.Status = ArticleStatus.Unpublished;
                break;
            default:
                break; // Save keeps the status; a new article starts as a draft.
        }
    }

    private static Dictionary<string, string> Validate(ArticleEdit edit, bool headlineRequired = true)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(edit.Headline))
        {
            if (headlineRequired)
            {
                errors[nameof(edit.Headline)] = "Please write a headline.";
            }
        }
        else if (edit.Headline.Trim().Length > 300)
        {
            errors[nameof(edit.Headline)] = "The headline is too long: at most 300 characters.";
        }

        if (edit.Dek?.Trim().Length > 600)
        {
            errors[nameof(edit.Dek)] = "The dek is too long: at most 600 characters.";
        }

        if (edit.Slug is { Length: > 0 } slug && Slugs.From(slug).Length == 0)
        {
            errors[nameof(edit.Slug)] = "The slug needs at least one letter or digit.";
        }

        if (edit.PublishAtLocal is { Year: < 1900 or > 2999 } when)
        {
            // A typo ("0225" for 2025) would publish a story whose dated address cannot exist.
            errors[nameof(edit.PublishAtLocal)] = $"The year {when.Year} cannot be right: enter the date and time to publish at, like 2026-12-01 09:00.";
        }

        // Each name makes its page's address (its slug): one of only dashes or emoji would have none.
        if (Names(edit.Authors).Any(name => Slugs.From(name).Length == 0))
        {
            errors[nameof(edit.Authors)] = "Each byline needs at least one letter or digit: it makes the author page's address.";
        }

        if (!string.IsNullOrWhiteSpace(edit.Section) && Slugs.From(edit.Section).Length == 0)
        {
            errors[nameof(edit.Section)] = "The section needs at least one letter or digit: it makes the section page's address.";
        }

        if (Names(edit.Tags).Any(name => Slugs.From(name).Length == 0))
        {
            errors[nameof(edit.Tags)] = "Each topic needs at least one letter or digit: it makes the topic page's address.";
        }

        if (edit.CorrectionsNote?.Length > 4000)
        {
            errors[nameof(edit.CorrectionsNote)] = "The corrections note is too long: at most 4,000 characters.";
        }

        if (edit.FeaturedImageAlt?.Trim().Length > 400)
        {
            errors[nameof(edit.FeaturedImageAlt)] = "The alt text is too long: at most 400 characters.";
        }

        if (edit.FeaturedImageCaption?.Trim().Length > 1000)
        {
            errors[nameof(edit.FeaturedImageCaption)] = "The caption is too long: at most 1,000 characters.";
        }

        if (edit.BodyMarkdown.Length > 1_000_000)
        {
            errors[nameof(edit.BodyMarkdown)] = "The body is too long: at most 1,000,000 characters.";
        }

        return errors;
    }

    private static List<string> Names(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string? UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>
    /// The article a new-article form already created, when this save repeats that form's first: the
    /// save goes on as an edit of it, based on its current stamp (the writer never received the answer
    /// that carried it) unless someone else has saved it since, which is then the usual conflict. The
    /// writer's own articles only, so a key cannot reach anyone else's.
    /// </summary>
    private async Task<int?> CreatedEarlierByThisFormAsync(ArticleEdit edit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (DraftKeyOf(edit) is not { } key)
        {
            return null;
        }

        var userId = UserId(user);
        var earlier = await db.Articles.AsNoTracking()
            .Where(a => a.DraftKey == key && a.CreatedByUserId == userId)
            .Select(a => new { a.Id, a.ConcurrencyStamp, a.UpdatedByName, a.Status })
            .FirstOrDefaultAsync(cancellationToken);
        // Still the draft this form made: once published or submitted (in another tab, say), the form's
        // text is an old copy, and the save gets the usual conflict instead of overwriting.
        if (earlier is not null && earlier.Status == ArticleStatus.Draft && earlier.UpdatedByName == user.Identity?.Name)
        {
            edit.ConcurrencyStamp = earlier.ConcurrencyStamp;
        }

        return earlier?.Id;
    }

    private static string? DraftKeyOf(ArticleEdit edit) =>
        edit.DraftKey is { Length: ArticleEdit.DraftKeyLength } key && key.All(char.IsAsciiHexDigit) ? key : null;
}

namespace Broadsheet.Articles;

/// <summary>A piece of journalism: the unit readers read, comment on and share.</summary>
public sealed class Article
{
    public int Id { get; set; }

    /// <summary>The last part of the public URL; unique across the site.</summary>
    public required string Slug { get; set; }

    public required string Headline { get; set; }

    /// <summary>The sub-headline shown under the headline.</summary>
    public string? Dek { get; set; }

    public string BodyMarkdown { get; set; } = "";

    /// <summary>
    /// The body rendered from <see cref="BodyMarkdown"/> and sanitized when the article is saved,
    /// so that reading an article never pays for Markdown parsing.
    /// </summary>
    public string BodyHtml { get; set; } = "";

    /// <summary>
    /// The words of <see cref="BodyHtml"/> without its markup (<see cref="Infrastructure.Text.ArticleHtmlRenderer.TextOf"/>):
    /// what search indexes and quotes in its snippets, so that neither Markdown signs, HTML tags nor
    /// the addresses inside them are found or shown.
    /// </summary>
    public string BodyText { get; set; } = "";

    public ArticleStatus Status { get; set; } = ArticleStatus.Draft;

    public int? SectionId { get; set; }
    public Section? Section { get; set; }

    /// <summary>When the article was (or will be) first published, in UTC.</summary>
    public DateTime? PublishedAt { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When the article's content last changed, in UTC; shown to readers as "Updated".</summary>
    public DateTime UpdatedAt { get; set; }

    public string? CorrectionsNote { get; set; }

    public bool CommentsOpen { get; set; } = true;

    /// <summary>Approved comments, kept up to date on every change so listings never count rows.</summary>
    public int CommentCount { get; set; }

    /// <summary>
    /// Approved top-level comments (threads), kept like <see cref="CommentCount"/>. Comment pages hold
    /// a fixed number of threads, so sending a reader to the page of a new comment needs its thread's
    /// position; counting the rows for that would cost as much as the discussion is long.
    /// </summary>
    public int ThreadCount { get; set; }

    public string? FeaturedImagePath { get; set; }
    public string? FeaturedImageAlt { get; set; }
    public string? FeaturedImageCaption { get; set; }

    /// <summary>The staff account that created the article (its "own" article for Authors and Contributors).</summary>
    public string? CreatedByUserId { get; set; }

    /// <summary>
    /// The <see cref="Editing.ArticleEdit.DraftKey"/> of the new-article form that created it: a repeat
    /// of that form's first save (sent again after its answer was lost) finds this article instead of
    /// making a second one.
    /// </summary>
    public string? DraftKey { get; set; }

    /// <summary>Changes on every save; a save that carries an older stamp was based on a stale copy and is refused.</summary>
    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>Who saved last, for the "changed by X at T" message of a refused save.</summary>
    public string? UpdatedByName { get; set; }

    public List<Byline> Bylines { get; set; } = [];
    public List<Tag> Tags { get; set; } = [];
}

/// <summary>A saved state of an article's text; every save keeps one, and any can be restored.</summary>
public sealed class ArticleRevision
{
    public int Id { get; set; }
    public int ArticleId { get; set; }
    public Article? Article { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? UserName { get; set; }
    public required string Headline { get; set; }
    public string? Dek { get; set; }
    public required string BodyMarkdown { get; set; }
    public string? CorrectionsNote { get; set; }

    /// <summary>
    /// Kept by the editor's autosave: replaced by the next autosave until someone saves by hand,
    /// so typing makes one revision, not one per keystroke.
    /// </summary>
    public bool IsAutosave { get; set; }
}

/// <summary>A slug an article had before: its old URL answers 301 to the current one.</summary>
public sealed class ArticleSlugHistory
{
    public required string Slug { get; set; }
    public int ArticleId { get; set; }
}

/// <summary>WordPress's statuses, so habits and imports carry over.</summary>
public enum ArticleStatus
{
    Draft = 0,
    PendingReview = 1,
    Scheduled = 2,
    Published = 3,
    Unpublished = 4,
}

public static class ArticleStatusNames
{
    /// <summary>How staff pages name a status ("Pending review", not the enum's "PendingReview").</summary>
    public static string Label(this ArticleStatus status) => status == ArticleStatus.PendingReview ? "Pending review" : status.ToString();
}

/// <summary>One author credited on an article; <see cref="Position"/> keeps the credit order.</summary>
public sealed class Byline
{
    public int ArticleId { get; set; }
    public Article? Article { get; set; }
    public int AuthorId { get; set; }
    public Author? Author { get; set; }
    public int Position { get; set; }
}

public sealed class Author : INamedBySlug
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public string? Bio { get; set; }

    /// <summary>The author's photo: a site path (<c>/media/jane.jpg</c>) or an absolute URL, like an article's featured image.</summary>
    public string? PhotoPath { get; set; }

    /// <summary>The staff account that writes as this byline, if any (Authors moderate comments on their own articles).</summary>
    public string? StaffUserId { get; set; }
}

/// <summary>
/// A slug a byline had before it was renamed: <c>/author/{slug}</c> and its feeds answer 301 with the
/// byline's current address, as an article's old slug does (<see cref="ArticleSlugHistory"/>).
/// </summary>
public sealed class AuthorSlugHistory
{
    public required string Slug { get; set; }
    public int AuthorId { get; set; }
}

public sealed class Section : INamedBySlug
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }

    /// <summary>Order in the site's navigation.</summary>
    public int Position { get; set; }
}

public sealed class Tag : INamedBySlug
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public List<Article> Articles { get; set; } = [];
}

/// <summary>Authors, sections and tags: things with a display name and a unique URL slug.</summary>
public interface INamedBySlug
{
    string Name { get; }
    string Slug { get; set; }
}

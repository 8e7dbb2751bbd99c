using System.ComponentModel.DataAnnotations;

namespace Broadsheet.Comments;

/// <summary>
/// Comment policies and defences. Section <c>Broadsheet:Comments</c>. Defaults follow WordPress
/// where it has one.
/// </summary>
public sealed class CommentOptions
{
    public const string SectionName = "Broadsheet:Comments";

    /// <summary>Hold every comment for moderation.</summary>
    public bool HoldAll { get; set; }

    /// <summary>Hold a commenter's comments until one of theirs has been approved.</summary>
    public bool HoldFirstTimeCommenters { get; set; } = true;

    /// <summary>Hold a comment with this many links or more (0 = never).</summary>
    [Range(0, 100)]
    public int HoldAtLinks { get; set; } = 2;

    /// <summary>Words or phrases that send a comment to moderation (matched in text, name, email, website, case-insensitively).</summary>
    public List<string> HoldWords { get; set; } = [];

    /// <summary>Words or phrases that send a comment straight to spam.</summary>
    public List<string> DisallowedWords { get; set; } = [];

    /// <summary>Close comments on articles older than this many days (0 = never).</summary>
    [Range(0, 36500)]
    public int CloseAfterDays { get; set; }

    /// <summary>How deep replies nest; a reply to the deepest level joins its parent's thread.</summary>
    [Range(1, 10)]
    public int MaxDepth { get; set; } = 5;

    /// <summary>Top-level comments per page under an article.</summary>
    [Range(5, 500)]
    public int PageSize { get; set; } = 50;

    /// <summary>A form posted sooner than this after the page was rendered is taken for a bot.</summary>
    [Range(0, 60)]
    public int MinSecondsToPost { get; set; } = 3;

    /// <summary>How long a rendered form stays valid; pages are cached, so keep this well above the cache lifetime.</summary>
    [Range(1, 720)]
    public int FormLifetimeHours { get; set; } = 72;

    /// <summary>Minimum seconds between two comments from one address or one email (0 = no limit; only for load tests).</summary>
    [Range(0, 3600)]
    public int SecondsBetweenComments { get; set; } = 15;
}

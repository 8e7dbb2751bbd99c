using Broadsheet.Articles;

namespace Broadsheet.Comments;

/// <summary>
/// A reader's comment. <see cref="AuthorEmail"/> is private: it never leaves the database in
/// public output (pages, feeds, API); avatars use <see cref="AvatarKey"/>, a keyed hash of it.
/// </summary>
public sealed class Comment
{
    public int Id { get; set; }

    public int ArticleId { get; set; }
    public Article? Article { get; set; }

    /// <summary>The comment this one replies to; null for a top-level comment.</summary>
    public int? ParentId { get; set; }
    public Comment? Parent { get; set; }

    /// <summary>The top-level comment of this thread (null when this is one), so a page of threads loads in one query.</summary>
    public int? ThreadRootId { get; set; }

    /// <summary>0 for top-level comments, 1 for replies to them, and so on.</summary>
    public int Depth { get; set; }

    public required string AuthorName { get; set; }
    public required string AuthorEmail { get; set; }
    public string? AuthorUrl { get; set; }

    /// <summary>Keyed hash of the lower-cased email: picks the avatar and groups a commenter's history; irreversible without the site key.</summary>
    public required string AvatarKey { get; set; }

    /// <summary>What the reader typed, kept for moderators' edits.</summary>
    public required string BodyText { get; set; }

    /// <summary>The text rendered with the comment subset of Markdown and sanitized.</summary>
    public required string BodyHtml { get; set; }

    public CommentStatus Status { get; set; }

    /// <summary>Why the system gave this status, for moderators: "held: first-time commenter", "spam: disallowed word".</summary>
    public string? StatusReason { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>IPv4 truncated to /24, IPv6 to /48: enough for moderation, not enough to identify a reader.</summary>
    public string? IpPrefix { get; set; }

    /// <summary>Keyed hash of the full IP, only for rate limiting.</summary>
    public string? IpHash { get; set; }

    /// <summary>Hash of article, parent, commenter and text: the same comment posted twice is refused.</summary>
    public required string Fingerprint { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>
    /// The staff account that replied from the moderation desk; such a comment shows the staff
    /// member's display name with a "Staff" badge. Null for readers' comments.
    /// </summary>
    public string? StaffUserId { get; set; }

    public List<CommentReport> Reports { get; set; } = [];
}

public enum CommentStatus
{
    Pending = 0,
    Approved = 1,
    Spam = 2,
    Trash = 3,
}

/// <summary>A reader's report ("flag") of a comment; moderators see these in the Reported queue.</summary>
public sealed class CommentReport
{
    public int Id { get; set; }
    public int CommentId { get; set; }
    public Comment? Comment { get; set; }
    public ReportReason Reason { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? IpHash { get; set; }
}

public enum ReportReason
{
    Spam = 0,
    Abusive = 1,
    OffTopic = 2,
    Other = 3,
}

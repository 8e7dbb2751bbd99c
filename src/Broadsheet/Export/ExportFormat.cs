using System.Linq.Expressions;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;

namespace Broadsheet.Export;

/// <summary>
/// The JSON export format (docs/export-format.md): one object whose arrays come in the order a
/// restore inserts them (settings, users, authors, sections, tags, articles, comments, audit log,
/// erasures, WordPress links), so an import reads the file once, front to back. Every record lists
/// every field, nulls included.
/// </summary>
public static class ExportFormat
{
    public const string Name = "broadsheet-export";

    /// <summary>
    /// Raised when a field is added, renamed or changes meaning. Version 2 added the erasure records
    /// and the WordPress links; an import still reads version 1 (whose files simply have neither).
    /// </summary>
    public const int Version = 2;

    /// <summary>The oldest version an import reads.</summary>
    public const int OldestReadable = 1;

    /// <summary>
    /// The start of the keys of the cache stamps that change on every write (one per process,
    /// <see cref="Infrastructure.Caching.ContentVersion"/>): not site data, and left out so that
    /// exporting a restored site gives the same file.
    /// </summary>
    public const string TransientSettingsPrefix = Infrastructure.Caching.ContentVersion.KeyPrefix;

    /// <summary>The settings rows that are site data (all but the transient stamps).</summary>
    public static readonly Expression<Func<SiteSetting, bool>> IsSiteData = s => !s.Key.StartsWith(TransientSettingsPrefix);

    /// <summary>The arrays of the file, in file order. Later versions only append, so a version's arrays are a prefix of these.</summary>
    public static readonly IReadOnlyList<string> Sections =
        ["settings", "users", "authors", "sections", "tags", "articles", "comments", "auditLog", "erasures", "wordPressPosts", "wordPressComments"];

    /// <summary>The arrays a file of <paramref name="version"/> holds, in file order.</summary>
    public static IReadOnlyList<string> SectionsOf(int version) => version == 1 ? Sections.Take(8).ToList() : Sections;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
        // Strict on the way in: a missing, misspelt or null-where-not-allowed field is an error with its position, not a silent default.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // The file is read by people and tools, never embedded in HTML: keep accents and quotes readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };
}

/// <summary>
/// How many records of each kind follow (top-level arrays, plus the revisions and reports nested in
/// them). The counts added by version 2 default to 0, which is what a version 1 file holds.
/// </summary>
public sealed record ExportCounts(
    int Settings, int Users, int Authors, int Sections, int Tags, int Articles, int Revisions, int Comments, int Reports, long AuditLog,
    int Erasures = 0, int WordPressPosts = 0, int WordPressComments = 0)
{
    /// <summary>Top-level records, for the progress bar.</summary>
    [JsonIgnore]
    public long Records => Settings + Users + Authors + Sections + Tags + Articles + Comments + AuditLog + Erasures + WordPressPosts + WordPressComments;
}

public sealed record SettingRecord(string Key, string Value);

/// <summary>A staff account without its password hash, security stamp or two-factor secrets.</summary>
/// <summary>A staff account, without its password; <see cref="Disabled"/> is absent from files written before accounts could be disabled.</summary>
public sealed record UserRecord(string Id, string UserName, string Email, string DisplayName, DateTime CreatedAt, IReadOnlyList<string> Roles, bool Disabled = false);

/// <summary>
/// A byline; <see cref="PhotoPath"/> is absent from files written before author photos existed, and
/// <see cref="OldSlugs"/> (the addresses it had before being renamed) from files written before those redirected.
/// </summary>
public sealed record AuthorRecord(int Id, string Name, string Slug, string? Bio, string? StaffUserId, string? PhotoPath = null, IReadOnlyList<string>? OldSlugs = null);

public sealed record SectionRecord(int Id, string Name, string Slug, int Position);

public sealed record TagRecord(int Id, string Name, string Slug);

public sealed record BylineRecord(int AuthorId, int Position);

public sealed record RevisionRecord(int Id, DateTime CreatedAt, string? UserName, string Headline, string? Dek, string BodyMarkdown, string? CorrectionsNote, bool IsAutosave = false);

public sealed record ArticleRecord(
    int Id,
    string Slug,
    string Headline,
    string? Dek,
    string BodyMarkdown,
    ArticleStatus Status,
    int? SectionId,
    DateTime? PublishedAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string? CorrectionsNote,
    bool CommentsOpen,
    int CommentCount,
    string? FeaturedImagePath,
    string? FeaturedImageAlt,
    string? FeaturedImageCaption,
    string? CreatedByUserId,
    string? UpdatedByName,
    string ConcurrencyStamp,
    IReadOnlyList<BylineRecord> Bylines,
    IReadOnlyList<int> TagIds,
    IReadOnlyList<string> OldSlugs,
    IReadOnlyList<RevisionRecord> Revisions);

public sealed record ReportRecord(int Id, ReportReason Reason, string? Note, DateTime CreatedAt, string? IpHash);

public sealed record CommentRecord(
    int Id,
    int ArticleId,
    int? ParentId,
    int? ThreadRootId,
    int Depth,
    string AuthorName,
    string AuthorEmail,
    string? AuthorUrl,
    string AvatarKey,
    string BodyText,
    CommentStatus Status,
    string? StatusReason,
    DateTime CreatedAt,
    string? IpPrefix,
    string? IpHash,
    string Fingerprint,
    string? UserAgent,
    IReadOnlyList<ReportRecord> Reports,
    string? StaffUserId = null);

public sealed record AuditRecord(
    long Id, DateTime At, string? UserId, string UserName, string Action, string? TargetType, string? TargetId, string? Details, string? IpPrefix);

/// <summary>That an erasure happened (<see cref="Privacy.CommenterErasure"/>): by design it holds nothing about whose comments they were.</summary>
public sealed record ErasureRecord(int Id, DateTime ErasedAt, string RequestedBy, int CommentsDeleted, int CommentsAnonymised);

/// <summary>An article imported from WordPress (<see cref="Import.Wxr.WordPressPostLink"/>): keeps <c>/?p=ID</c> redirects and re-imports idempotent.</summary>
public sealed record WordPressPostRecord(string Site, long WordPressId, string PostType, string Slug, int ArticleId);

/// <summary>A comment imported from WordPress (<see cref="Import.Wxr.WordPressCommentLink"/>).</summary>
public sealed record WordPressCommentRecord(string Site, long WordPressId, int CommentId);

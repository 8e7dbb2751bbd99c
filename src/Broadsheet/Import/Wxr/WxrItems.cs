using System.Globalization;
using System.Net;
using System.Xml;
using System.Xml.Linq;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Import;

namespace Broadsheet.Import.Wxr;

/// <summary>A problem with one item or comment of the file, at the line where it starts.</summary>
public sealed record WxrProblem(int Line, string Message)
{
    public override string ToString() => $"line {Line}: {Message}";
}

internal enum WxrItemKind
{
    /// <summary>A post or page: becomes an article.</summary>
    Article,

    /// <summary>An uploaded file: only its address, alt text and caption are used, as a featured image.</summary>
    Attachment,

    /// <summary>Revisions, trashed posts, menus, …: counted in the summary, not imported.</summary>
    Skipped,
}

internal sealed record WxrAttachment(string Url, string? Alt, string? Caption);

internal sealed class WxrItem
{
    public required int Line { get; init; }
    public required WxrItemKind Kind { get; init; }
    public long WordPressId { get; init; }
    public string PostType { get; init; } = "post";

    /// <summary>Why a skipped item is skipped, as the summary counts it ("revision", "trash", "nav_menu_item").</summary>
    public string? SkipReason { get; init; }

    public string Title { get; init; } = "";
    public string Slug { get; init; } = "";
    public string Body { get; init; } = "";
    public string? Excerpt { get; init; }
    public string? Creator { get; init; }
    public ArticleStatus Status { get; init; }
    public DateTime? Date { get; init; }
    public DateTime? Modified { get; init; }
    public bool CommentsOpen { get; init; } = true;
    public string? Category { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public long? ThumbnailId { get; init; }
    public WxrAttachment? Attachment { get; init; }
    public List<WxrComment> Comments { get; init; } = [];

    /// <summary>Problems of the item itself (a bad comment only costs that comment, see <see cref="WxrComment.Problems"/>).</summary>
    public List<WxrProblem> Problems { get; } = [];

    public bool IsValid => Problems.Count == 0;

    public IEnumerable<WxrProblem> AllProblems => Problems.Concat(Comments.SelectMany(c => c.Problems));
}

internal sealed class WxrComment
{
    public required int Line { get; init; }
    public long WordPressId { get; init; }
    public long ParentId { get; init; }
    public string AuthorName { get; init; } = "";
    public string AuthorEmail { get; init; } = "";
    public string? AuthorUrl { get; init; }
    public IPAddress? Address { get; init; }
    public DateTime Date { get; init; }
    public string Text { get; init; } = "";
    public CommentStatus Status { get; init; }

    /// <summary>Pingbacks and trackbacks are not reader comments; they are counted and left out.</summary>
    public string? SkipReason { get; init; }

    public List<WxrProblem> Problems { get; } = [];
}

/// <summary>Turns one WXR <c>&lt;item&gt;</c> into what the importer stores, checking every field it uses.</summary>
internal static class WxrItemParser
{
    private const string WordPressDateFormat = "yyyy-MM-dd HH:mm:ss";
    public const string UncategorizedSlug = "uncategorized";

    public static WxrItem Parse(WxrRawItem raw, WxrNamespaces names, TimeZoneInfo zone)
    {
        var item = raw.Element;
        string? Wp(string name) => item.Element(names.Wp + name)?.Value;
        var problems = new List<WxrProblem>();
        var title = WordPressContent.PlainText(item.Element("title")?.Value ?? "");
        var label = title.Length > 0 ? $"item \"{Shorten(title)}\"" : "item";

        var idText = Wp("post_id")?.Trim();
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            problems.Add(new(raw.Line, idText is null ? $"{label} has no wp:post_id." : $"{label} has wp:post_id '{idText}', which is not a post number."));
        }

        label = id > 0 ? $"{label} (wp:post_id {id})" : label;
        var postType = Wp("post_type")?.Trim() is { Length: > 0 } type ? type : "post";
        var statusText = Wp("status")?.Trim() ?? "";
        var meta = PostMeta(item, names);

        if (postType == "attachment")
        {
            var url = Wp("attachment_url")?.Trim();
            return new WxrItem
            {
                Line = raw.Line,
                Kind = url is { Length: > 0 } && problems.Count == 0 ? WxrItemKind.Attachment : WxrItemKind.Skipped,
                WordPressId = id,
                PostType = postType,
                SkipReason = "attachment",
                Attachment = url is { Length: > 0 }
                    ? new WxrAttachment(url, Optional(meta.GetValueOrDefault("_wp_attachment_image_alt")), Optional(PlainTextOf(item.Element(names.Excerpt + "encoded"))))
                    : null,
            };
        }

        if (postType is not ("post" or "page"))
        {
            return new WxrItem { Line = raw.Line, Kind = WxrItemKind.Skipped, WordPressId = id, PostType = postType, SkipReason = postType };
        }

        if (statusText is "trash" or "auto-draft" or "inherit")
        {
            return new WxrItem { Line = raw.Line, Kind = WxrItemKind.Skipped, WordPressId = id, PostType = postType, SkipReason = statusText == "inherit" ? "revision" : statusText };
        }

        ArticleStatus status = default;
        if (!Statuses.TryGetValue(statusText, out status))
        {
            problems.Add(new(raw.Line, $"{label} has wp:status '{statusText}'; the statuses that can be imported are publish, future, draft, pending and private."));
        }

        var date = Date(Wp("post_date_gmt"), Wp("post_date"), zone);
        if (date is null && status is ArticleStatus.Published or ArticleStatus.Scheduled or ArticleStatus.Unpublished && problems.Count == 0)
        {
            problems.Add(new(raw.Line, $"{label} has no usable date: wp:post_date_gmt '{Wp("post_date_gmt")}' and wp:post_date '{Wp("post_date")}' are not dates like 2025-08-16 09:30:00."));
        }

        if (title.Length == 0 && status is ArticleStatus.Published or ArticleStatus.Scheduled or ArticleStatus.Unpublished)
        {
            problems.Add(new(raw.Line, $"{label} has no <title>; a published article needs a headline."));
        }
        else if (title.Length > TextArticleParser.MaxHeadlineLength)
        {
            problems.Add(new(raw.Line, $"{label} has a title of {title.Length} characters; the limit is {TextArticleParser.MaxHeadlineLength}."));
        }

        long? thumbnail = long.TryParse(meta.GetValueOrDefault("_thumbnail_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var thumbnailId) && thumbnailId > 0
            ? thumbnailId
            : null;
        var categories = item.Elements("category").ToList();
        var parsed = new WxrItem
        {
            Line = raw.Line,
            Kind = WxrItemKind.Article,
            WordPressId = id,
            PostType = postType,
            Title = title.Length > 0 ? title : "Untitled draft",
            Slug = DecodeSlug(Wp("post_name")),
            Body = WordPressContent.PostBody(item.Element(WxrNamespaces.Content + "encoded")?.Value ?? ""),
            Excerpt = Dek(PlainTextOf(item.Element(names.Excerpt + "encoded"))),
            Creator = Optional(item.Element(WxrNamespaces.Dc + "creator")?.Value.Trim()),
            Status = status,
            Date = date,
            Modified = Date(Wp("post_modified_gmt"), Wp("post_modified"), zone),
            CommentsOpen = Wp("comment_status")?.Trim() != "closed",
            Category = categories
                .Where(c => (string?)c.Attribute("domain") == "category" && (string?)c.Attribute("nicename") != UncategorizedSlug)
                .Select(c => WordPressContent.PlainText(c.Value))
                .FirstOrDefault(n => n.Length > 0),
            Tags = categories
                .Where(c => (string?)c.Attribute("domain") == "post_tag")
                .Select(c => WordPressContent.PlainText(c.Value))
                .Where(n => n.Length > 0)
                .ToList(),
            ThumbnailId = thumbnail,
            Comments = item.Elements(names.Wp + "comment").Select(c => ParseComment(c, names, zone, raw.Line)).ToList(),
        };
        parsed.Problems.AddRange(problems);
        return parsed;
    }

    private static readonly Dictionary<string, ArticleStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["publish"] = ArticleStatus.Published,
        ["future"] = ArticleStatus.Scheduled,
        ["draft"] = ArticleStatus.Draft,
        ["pending"] = ArticleStatus.PendingReview,
        ["private"] = ArticleStatus.Unpublished,
    };

    private static readonly Dictionary<string, CommentStatus> CommentStatuses = new(StringComparer.Ordinal)
    {
        ["1"] = CommentStatus.Approved,
        ["approve"] = CommentStatus.Approved,
        ["0"] = CommentStatus.Pending,
        ["hold"] = CommentStatus.Pending,
        ["spam"] = CommentStatus.Spam,
        ["trash"] = CommentStatus.Trash,
        ["post-trashed"] = CommentStatus.Trash,
    };

    private static WxrComment ParseComment(XElement element, WxrNamespaces names, TimeZoneInfo zone, int itemLine)
    {
        string Field(string name) => element.Element(names.Wp + name)?.Value ?? "";
        var line = element is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : itemLine;
        var problems = new List<WxrProblem>();
        var idText = Field("comment_id").Trim();
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            problems.Add(new(line, $"comment has wp:comment_id '{idText}', which is not a comment number."));
        }

        var label = id > 0 ? $"comment {id}" : "comment";
        var type = Field("comment_type").Trim();
        if (type is not ("" or "comment"))
        {
            return new WxrComment { Line = line, WordPressId = id, SkipReason = type };
        }

        var approved = Field("comment_approved").Trim();
        if (!CommentStatuses.TryGetValue(approved, out var status))
        {
            problems.Add(new(line, $"{label} has wp:comment_approved '{approved}'; expected 1, 0, spam or trash."));
        }

        var date = Date(Field("comment_date_gmt"), Field("comment_date"), zone);
        if (date is null)
        {
            problems.Add(new(line, $"{label} has no usable date: wp:comment_date '{Field("comment_date")}' is not a date like 2025-08-16 09:30:00."));
        }

        var name = WebUtility.HtmlDecode(Field("comment_author")).Trim();
        var email = Field("comment_author_email").Trim();
        var text = WordPressContent.CommentMarkdown(Field("comment_content"));
        Check(problems, line, label, "wp:comment_author", name.Length, CommentLimits.Name);
        Check(problems, line, label, "wp:comment_author_email", email.Length, CommentLimits.Email);
        Check(problems, line, label, "wp:comment_content", text.Length, CommentLimits.Text);
        if (text.Length == 0)
        {
            problems.Add(new(line, $"{label} has no text in wp:comment_content."));
        }

        var parentText = Field("comment_parent").Trim();
        long parent = 0;
        if (parentText.Length > 0 && !long.TryParse(parentText, NumberStyles.None, CultureInfo.InvariantCulture, out parent))
        {
            problems.Add(new(line, $"{label} has wp:comment_parent '{parentText}', which is not a comment number."));
        }

        var comment = new WxrComment
        {
            Line = line,
            WordPressId = id,
            ParentId = parent,
            AuthorName = name.Length > 0 ? name : "Anonymous",
            AuthorEmail = email,
            AuthorUrl = WebAddress(Field("comment_author_url")),
            Address = IPAddress.TryParse(Field("comment_author_IP").Trim(), out var address) ? address : null,
            Date = date ?? default,
            Text = text,
            Status = status,
        };
        comment.Problems.AddRange(problems);
        return comment;
    }

    private static void Check(List<WxrProblem> problems, int line, string label, string field, int length, int limit)
    {
        if (length > limit)
        {
            problems.Add(new(line, $"{label} has a {field} of {length} characters; the limit is {limit}."));
        }
    }

    /// <summary>The GMT date when WordPress recorded one, else the local date in the blog's time zone.</summary>
    private static DateTime? Date(string? gmt, string? local, TimeZoneInfo zone)
    {
        if (ParseDate(gmt) is { } utc)
        {
            return DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        }

        if (ParseDate(local) is not { } wallClock)
        {
            return null;
        }

        // A time skipped by a daylight-saving change cannot be converted; WordPress meant the hour after.
        if (zone.IsInvalidTime(wallClock))
        {
            wallClock = wallClock.AddHours(1);
        }

        return TimeZoneInfo.ConvertTimeToUtc(wallClock, zone);
    }

    private static DateTime? ParseDate(string? text) =>
        DateTime.TryParseExact(text?.Trim(), WordPressDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date.Year > 1
            ? DateTime.SpecifyKind(date, DateTimeKind.Unspecified)
            : null;

    private static Dictionary<string, string> PostMeta(XElement item, WxrNamespaces names)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in item.Elements(names.Wp + "postmeta"))
        {
            if (entry.Element(names.Wp + "meta_key")?.Value.Trim() is { Length: > 0 } key)
            {
                meta.TryAdd(key, entry.Element(names.Wp + "meta_value")?.Value.Trim() ?? "");
            }
        }

        return meta;
    }

    private static string DecodeSlug(string? postName)
    {
        var slug = postName?.Trim() ?? "";
        // WordPress stores non-ASCII slugs percent-encoded (%d0%bf…); the address bar shows them decoded.
        return slug.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(slug) : slug;
    }

    /// <summary>Long excerpts are cut at a word to fit the dek.</summary>
    private static string? Dek(string? excerpt)
    {
        if (excerpt is null || excerpt.Length <= TextArticleParser.MaxDekLength)
        {
            return excerpt;
        }

        var cut = excerpt[..(TextArticleParser.MaxDekLength - 1)];
        var space = cut.LastIndexOf(' ');
        return (space > TextArticleParser.MaxDekLength / 2 ? cut[..space] : cut).TrimEnd() + "…";
    }

    private static string? PlainTextOf(XElement? element) => element is null ? null : Optional(WordPressContent.PlainText(element.Value));

    private static string? Optional(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Only web addresses are kept: a <c>javascript:</c> "website" must never become a link.</summary>
    private static string? WebAddress(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && url.Trim().Length <= CommentLimits.Url
            ? url.Trim()
            : null;

    private static string Shorten(string title) => title.Length <= 60 ? title : title[..57] + "…";
}

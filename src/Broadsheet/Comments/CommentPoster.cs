using System.Net;
using Broadsheet.Articles;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Broadsheet.Comments;

/// <summary>Who is posting, as far as the server can tell.</summary>
public sealed record PostingClient(IPAddress? Address, string? UserAgent);

/// <summary>The outcome of posting a comment; each kind maps to one HTTP answer.</summary>
public abstract record PostOutcome
{
    /// <summary>Stored (and durable). <see cref="VisibleToEveryone"/> is false for held and spam comments.</summary>
    public sealed record Accepted(Comment Comment) : PostOutcome
    {
        public bool VisibleToEveryone => Comment.Status == CommentStatus.Approved;

        /// <summary>
        /// For an approved new thread, the comment page that shows it, found by the writer inside its
        /// transaction (<see cref="CommentQueries.PagesOfNewThreadsAsync"/>); null when not known.
        /// </summary>
        public NewCommentPage? Page { get; set; }
    }

    /// <summary>Field errors, keyed by the form's field names.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : PostOutcome;

    /// <summary>Refused as a whole (closed, bot, forged or expired form): status code and message.</summary>
    public sealed record Refused(int StatusCode, string Message) : PostOutcome;

    public sealed record TooSoon(int RetryAfterSeconds) : PostOutcome
    {
        public string Message => $"You are posting comments too quickly. Please wait {RetryAfterSeconds} {(RetryAfterSeconds == 1 ? "second" : "seconds")}.";
    }

    public sealed record Duplicate : PostOutcome
    {
        public static string Message => "You have already posted this comment.";
    }
}

/// <summary>The comment page a new comment is on, for comment pages of <paramref name="PageSize"/> threads: after <paramref name="After"/>, or the first.</summary>
public sealed record NewCommentPage(int PageSize, ListingCursor? After);

/// <summary>
/// Takes a posted comment through every defence and policy, then hands it to the
/// <see cref="CommentWriter"/>: the answer comes only after the commit, so an accepted comment is on disk.
/// </summary>
public sealed class CommentPoster(
    BroadsheetDbContext db,
    IOptionsMonitor<CommentOptions> options,
    CommentText text,
    FormStamp stamps,
    SiteKeys keys,
    CommentWriter writer,
    TimeProvider time)
{
    private readonly CommentOptions _options = options.CurrentValue;

    public async Task<PostOutcome> PostAsync(CommentTarget article, CommentForm form, PostingClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(client);
        var errors = form.Validate(out var fields);
        if (errors.Count > 0)
        {
            return new PostOutcome.Invalid(errors);
        }

        var articleId = article.Id;
        var now = time.GetUtcNow().UtcDateTime;
        if (!CommentsAreOpen(article.CommentsOpen, article.PublishedAt, now))
        {
            return new PostOutcome.Refused(StatusCodes.Status403Forbidden, "Comments are closed on this article.");
        }

        if (!string.IsNullOrEmpty(form.Honeypot))
        {
            return new PostOutcome.Refused(StatusCodes.Status400BadRequest, "Your comment could not be accepted.");
        }

        if (CheckStamp(form.Stamp, articleId) is { } refused)
        {
            return refused;
        }

        var place = ThreadPlace.TopLevel;
        if (form.ParentId is > 0)
        {
            var parent = await db.Comments.AsNoTracking()
                .Where(c => c.Id == form.ParentId && c.ArticleId == articleId && c.Status == CommentStatus.Approved)
                .Select(c => new ThreadParent(c.Id, c.ParentId, c.ThreadRootId, c.Depth))
                .FirstOrDefaultAsync(cancellationToken);
            if (parent == default)
            {
                return new PostOutcome.Invalid(new Dictionary<string, string> { ["comment_parent"] = "The comment you are replying to is no longer available." });
            }

            place = CommentDerivedFields.ReplyTo(parent, _options.MaxDepth);
        }

        var bodyHtml = text.Render(fields.Text);
        var avatarKey = CommentDerivedFields.AvatarKey(keys, fields.Email);
        var ipHash = client.Address is null ? null : keys.Hash("ip", client.Address.ToString());
        var fingerprint = CommentDerivedFields.Fingerprint(keys, articleId, place.ParentId, avatarKey, fields.Name, fields.Text);

        var comment = new Comment
        {
            ArticleId = articleId,
            ParentId = place.ParentId,
            ThreadRootId = place.ThreadRootId,
            Depth = place.Depth,
            AuthorName = fields.Name,
            AuthorEmail = fields.Email,
            AuthorUrl = fields.Url,
            AvatarKey = avatarKey,
            BodyText = fields.Text,
            BodyHtml = bodyHtml,
            IpPrefix = IpPrivacy.Truncate(client.Address),
            IpHash = ipHash,
            Fingerprint = fingerprint,
            UserAgent = client.UserAgent is { Length: > 300 } agent ? agent[..300] : client.UserAgent,
        };
        // The checks that need every earlier comment (rate limit, duplicate, first-time commenter)
        // and the durable insert happen in the writer, in a batch with whatever else is being posted.
        return await writer.WriteAsync(new CommentDraft(comment, new CommentCandidate(fields.Name, fields.Email, fields.Url, fields.Text, bodyHtml)), cancellationToken);
    }

    public bool CommentsAreOpen(bool articleAllowsComments, DateTime? publishedAt, DateTime now) =>
        articleAllowsComments
        && (_options.CloseAfterDays == 0 || publishedAt is null || publishedAt.Value.AddDays(_options.CloseAfterDays) > now);

    private PostOutcome.Refused? CheckStamp(string? stamp, int articleId) =>
        stamps.Check(stamp, articleId, TimeSpan.FromSeconds(_options.MinSecondsToPost), TimeSpan.FromHours(_options.FormLifetimeHours)) switch
        {
            StampCheck.Valid => null,
            StampCheck.TooFast => new(StatusCodes.Status400BadRequest,
                "Your comment was sent too quickly after the page loaded, which is what spam robots do. Please wait a few seconds and post it again."),
            StampCheck.Expired => new(StatusCodes.Status400BadRequest,
                "This page was open too long and its comment form has expired. Your text is kept below: please post it again."),
            _ => new(StatusCodes.Status400BadRequest, "This comment form could not be verified. Please reload the page and post your comment again."),
        };
}

using System.Globalization;
using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Security;
using Broadsheet.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Broadsheet.Moderation;

/// <summary>
/// Applies a moderator's decision to one or many comments in one transaction, with an audit
/// entry per comment; then keeps comment counts right and evicts the affected articles' pages.
/// Comments outside the moderator's scope are left alone (and not counted as done).
/// </summary>
public sealed class CommentModerator(
    BroadsheetDbContext db,
    ModerationQueries queries,
    AuditLog audit,
    ContentCache cache,
    LiveComments live,
    CommentText text,
    SiteKeys keys,
    IOptionsMonitor<CommentOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// Replaces a comment's text (rendered and sanitized as a reader's would be). The text it
    /// had goes into the audit entry, so an edit can be traced and undone by hand.
    /// </summary>
    public async Task EditAsync(Comment comment, string newText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(comment);
        var before = comment.BodyText;
        comment.BodyText = newText;
        comment.BodyHtml = text.Render(newText);
        audit.Record("comment.edit", "comment", comment.Id.ToString(CultureInfo.InvariantCulture), $"on article {comment.ArticleId}; text before: {before}");
        await db.SaveChangesAsync(cancellationToken);
        await cache.CommentsChangedAsync([comment.ArticleId], cancellationToken);
    }

    /// <summary>
    /// Posts a staff reply under <paramref name="parent"/>: approved at once (a pending parent is
    /// approved with it, as in WordPress, so the reply has a thread to appear in), signed with the
    /// staff member's display name and marked as staff. Returns the reply.
    /// <para>
    /// The reply is linked to the staff account (<see cref="Comment.StaffUserId"/>), which says who
    /// wrote it; the commenter's email column stays empty. Copying the staff member's email there
    /// would put it in every export and backup of the comments for no use: nothing mails staff
    /// through it (reply notifications are for readers), and their avatar and history on the desk
    /// come from a key of the account instead (<see cref="CommentDerivedFields.StaffAvatarKey"/>).
    /// </para>
    /// </summary>
    public async Task<Comment> ReplyAsync(Comment parent, StaffUser staff, string replyText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(staff);
        var name = string.IsNullOrWhiteSpace(staff.DisplayName) ? "Newsroom" : staff.DisplayName.Trim();
        var avatarKey = CommentDerivedFields.StaffAvatarKey(keys, staff.Id);
        var place = CommentDerivedFields.ReplyTo(new ThreadParent(parent.Id, parent.ParentId, parent.ThreadRootId, parent.Depth), options.CurrentValue.MaxDepth);
        var reply = new Comment
        {
            ArticleId = parent.ArticleId,
            ParentId = place.ParentId,
            ThreadRootId = place.ThreadRootId,
            Depth = place.Depth,
            AuthorName = name.Length > CommentLimits.Name ? name[..CommentLimits.Name] : name,
            AuthorEmail = "",
            AvatarKey = avatarKey,
            BodyText = replyText,
            BodyHtml = text.Render(replyText),
            Status = CommentStatus.Approved,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            Fingerprint = CommentDerivedFields.Fingerprint(keys, parent.ArticleId, place.ParentId, avatarKey, name, replyText),
            StaffUserId = staff.Id,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var approvedParent = parent.Status == CommentStatus.Pending && SetStatus(parent, CommentStatus.Approved);
        if (approvedParent)
        {
            audit.Record("comment.approve", "comment", parent.Id.ToString(CultureInfo.InvariantCulture), $"by {parent.AuthorName} on article {parent.ArticleId} (replied to)");
        }

        db.Comments.Add(reply);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record("comment.reply", "comment", reply.Id.ToString(CultureInfo.InvariantCulture), $"to comment {parent.Id} on article {parent.ArticleId}");
        await db.SaveChangesAsync(cancellationToken);
        await CommentCounts.RecountAsync(db, parent.ArticleId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await cache.CommentsChangedAsync([parent.ArticleId], cancellationToken);
        var published = approvedParent ? new[] { parent, reply } : [reply];
        await live.PublishAsync(published.Select(c => new LiveComment(c.ArticleId, c.Id, c.ParentId)));
        return reply;
    }

    public async Task<int> ApplyAsync(ModerationAction action, IReadOnlyCollection<int> ids, ModerationScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        var comments = await queries.InScope(scope).Include(c => c.Reports).Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var done = 0;
        var approved = new List<Comment>();
        foreach (var comment in comments)
        {
            if (Apply(action, comment))
            {
                if (action == ModerationAction.Approve)
                {
                    approved.Add(comment);
                }

                audit.Record($"comment.{Verb(action)}", "comment", comment.Id.ToString(CultureInfo.InvariantCulture), $"by {comment.AuthorName} on article {comment.ArticleId}");
                done++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        if (action == ModerationAction.Delete)
        {
            await DeleteAsync(comments.Where(c => c.Status is CommentStatus.Trash or CommentStatus.Spam).ToList(), cancellationToken);
        }

        var articles = comments.Select(c => c.ArticleId).Distinct().ToList();
        foreach (var articleId in articles)
        {
            await CommentCounts.RecountAsync(db, articleId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await cache.CommentsChangedAsync(articles, cancellationToken);
        if (action == ModerationAction.Approve)
        {
            await live.PublishAsync(approved.Select(c => new LiveComment(c.ArticleId, c.Id, c.ParentId)));
        }

        return done;
    }

    private bool Apply(ModerationAction action, Comment comment)
    {
        switch (action)
        {
            case ModerationAction.Approve:
                // Approving a reported comment answers its reports too.
                db.CommentReports.RemoveRange(comment.Reports);
                return SetStatus(comment, CommentStatus.Approved);
            case ModerationAction.Spam:
                return SetStatus(comment, CommentStatus.Spam);
            case ModerationAction.Trash:
                return SetStatus(comment, CommentStatus.Trash);
            case ModerationAction.Restore:
                return comment.Status is CommentStatus.Trash or CommentStatus.Spam && SetStatus(comment, CommentStatus.Pending);
            case ModerationAction.DismissReports:
                db.CommentReports.RemoveRange(comment.Reports);
                return comment.Reports.Count > 0;
            case ModerationAction.Delete:
                // Only what is already in Spam or Trash can be deleted for good.
                return comment.Status is CommentStatus.Trash or CommentStatus.Spam;
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }
    }

    private static bool SetStatus(Comment comment, CommentStatus status)
    {
        if (comment.Status == status)
        {
            return false;
        }

        comment.Status = status;
        comment.StatusReason = null;
        return true;
    }

    /// <summary>Deletes comments for good; their replies move up to the deleted comment's parent, as in WordPress.</summary>
    private async Task DeleteAsync(List<Comment> doomed, CancellationToken cancellationToken)
    {
        foreach (var comment in doomed)
        {
            var rootId = comment.ThreadRootId ?? comment.Id;
            var thread = await db.Comments.Where(c => c.ThreadRootId == rootId || c.Id == rootId).ToListAsync(cancellationToken);
            foreach (var child in thread.Where(c => c.ParentId == comment.Id))
            {
                child.ParentId = comment.ParentId;
            }

            db.Comments.Remove(comment);
            await db.SaveChangesAsync(cancellationToken);
            Renumber(thread.Where(c => c.Id != comment.Id).ToList());
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Recomputes depth and thread root from the parent links after a thread changed shape.</summary>
    private static void Renumber(List<Comment> thread)
    {
        var byId = thread.ToDictionary(c => c.Id);
        foreach (var comment in thread)
        {
            var (depth, root, current) = (0, comment.Id, comment);
            while (current.ParentId is { } parentId && byId.TryGetValue(parentId, out var parent))
            {
                depth++;
                root = parent.Id;
                current = parent;
            }

            comment.Depth = depth;
            comment.ThreadRootId = depth == 0 ? null : root;
        }
    }

    private static string Verb(ModerationAction action) => action switch
    {
        ModerationAction.DismissReports => "dismiss-reports",
        _ => action.ToString().ToLowerInvariant(),
    };
}

using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Moderation;

/// <summary>
/// One comment on the moderation desk: edit its text, or reply as staff. Authors reach only
/// comments on their own articles (<see cref="ModerationScope"/>), on GET and on POST.
/// </summary>
[Authorize(Policy = Permissions.ModerateComments)]
public sealed class CommentPageModel(
    BroadsheetDbContext db, ModerationQueries queries, CommentModerator moderator, UserManager<StaffUser> users) : StaffPageModel
{
    public Comment Comment { get; private set; } = null!;

    public string ArticleHeadline { get; private set; } = "";

    [BindProperty]
    public string? EditText { get; set; }

    [BindProperty]
    public string? ReplyText { get; set; }

    public string? EditError { get; private set; }

    public string? ReplyError { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        EditText = Comment.BodyText;
        return Page();
    }

    public async Task<IActionResult> OnPostEditAsync(int id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        EditError = Check(EditText);
        if (EditError is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await moderator.EditAsync(Comment, EditText!.Trim(), cancellationToken);
        Message = "Comment updated.";
        return Redirect($"/admin/comments/{id}");
    }

    public async Task<IActionResult> OnPostReplyAsync(int id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        ReplyError = Check(ReplyText)
            ?? (Comment.Status is CommentStatus.Spam or CommentStatus.Trash ? "Restore or approve this comment before replying to it." : null);
        if (ReplyError is not null)
        {
            EditText = Comment.BodyText;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var staff = await users.GetUserAsync(User) ?? throw new InvalidOperationException("A signed-in staff member has no account.");
        var reply = await moderator.ReplyAsync(Comment, staff, ReplyText!.Trim(), cancellationToken);
        Message = $"Reply posted (comment {reply.Id}).";
        return Redirect($"/admin/comments/{id}");
    }

    private static string? Check(string? text) => (text ?? "").Trim() switch
    {
        { Length: 0 } => "Write the comment's text.",
        { Length: > CommentLimits.Text } => $"Keep it under {CommentLimits.Text:N0} characters.",
        _ => null,
    };

    /// <summary>Loads the comment, or answers 404 (no such comment) or 403 (outside the moderator's scope).</summary>
    private async Task<IActionResult?> LoadAsync(int id, CancellationToken cancellationToken)
    {
        Title = "Comment";
        var comment = await queries.InScope(ModerationScope.For(User)).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (comment is null)
        {
            return await db.Comments.AnyAsync(c => c.Id == id, cancellationToken) ? Forbid() : NotFound();
        }

        Comment = comment;
        ArticleHeadline = await db.Articles.Where(a => a.Id == comment.ArticleId).Select(a => a.Headline).SingleAsync(cancellationToken);
        Title = $"Comment by {comment.AuthorName}";
        return null;
    }
}

using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Articles;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Broadsheet.Moderation;

/// <summary>The moderation desk: queues, per-comment and bulk actions, keyboard shortcuts.</summary>
[Authorize(Policy = Permissions.ModerateComments)]
public sealed class CommentsPageModel(ModerationQueries queries, CommentModerator moderator) : StaffPageModel
{
    public sealed record ActionButton(string Value, string Label, string? Shortcut);

    public ModerationTab Queue { get; private set; }
    public IReadOnlyDictionary<ModerationTab, int> Counts { get; private set; } = new Dictionary<ModerationTab, int>();
    public ModerationPage Listing { get; private set; } = new([], new Dictionary<string, CommenterHistory>(), null);

    [TempData]
    public string? Message { get; set; }

    /// <summary>The actions that make sense in the current queue.</summary>
    public IReadOnlyList<ActionButton> Actions => Queue switch
    {
        ModerationTab.Pending => [new("approve", "Approve", "a"), new("spam", "Spam", "s"), new("trash", "Trash", "t")],
        ModerationTab.Reported => [new("dismissreports", "Keep (dismiss reports)", "a"), new("spam", "Spam", "s"), new("trash", "Trash", "t")],
        ModerationTab.Approved => [new("spam", "Spam", "s"), new("trash", "Trash", "t")],
        ModerationTab.Spam => [new("approve", "Not spam: approve", "a"), new("restore", "Restore to pending", null), new("delete", "Delete permanently", null)],
        _ => [new("restore", "Restore to pending", null), new("approve", "Approve", "a"), new("delete", "Delete permanently", null)],
    };

    public async Task<IActionResult> OnGetAsync(string? queue, string? before, CancellationToken cancellationToken)
    {
        if (!TryParseQueue(queue, out var parsed) || !ListingCursor.TryParseOptional(before, out var cursor))
        {
            return NotFound();
        }

        Queue = parsed;
        Title = $"Comments: {Queue}";
        var scope = ModerationScope.For(User);
        Counts = await queries.CountsAsync(scope, cancellationToken);
        Listing = await queries.PageAsync(scope, Queue, cursor, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(
        string? queue, string? action, [FromForm(Name = "single")] string? oneComment, int[]? ids, CancellationToken cancellationToken)
    {
        var parsed = TryParseQueue(queue, out var known) ? known : ModerationTab.Pending;
        var (actionName, targets) = oneComment?.Split(':') is [var name, var id] && int.TryParse(id, out var singleId)
            ? (name, new[] { singleId })
            : (action, ids ?? []);
        if (!Enum.TryParse<ModerationAction>(actionName, ignoreCase: true, out var moderation) || !Enum.IsDefined(moderation))
        {
            return BadRequest();
        }

        if (targets.Length == 0)
        {
            Message = "Select at least one comment first.";
        }
        else
        {
            var done = await moderator.ApplyAsync(moderation, targets, ModerationScope.For(User), cancellationToken);
            Message = $"{Describe(moderation)}: {done} comment{(done == 1 ? "" : "s")}.";
        }

        return Redirect($"/admin/comments?queue={parsed.ToString().ToLowerInvariant()}");
    }

    private static bool TryParseQueue(string? queue, out ModerationTab parsed)
    {
        parsed = ModerationTab.Pending;
        return queue is null || (Enum.TryParse(queue, ignoreCase: true, out parsed) && Enum.IsDefined(parsed));
    }

    private static string Describe(ModerationAction action) => action switch
    {
        ModerationAction.Approve => "Approved",
        ModerationAction.Spam => "Marked as spam",
        ModerationAction.Trash => "Moved to trash",
        ModerationAction.Restore => "Restored to pending",
        ModerationAction.Delete => "Deleted permanently",
        _ => "Reports dismissed",
    };
}

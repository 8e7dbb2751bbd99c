using System.Security.Claims;
using Broadsheet.Accounts;

namespace Broadsheet.Moderation;

/// <summary>
/// Which comments a moderator may act on: Administrators and Editors all of them; Authors only
/// those on articles that carry their byline.
/// </summary>
public sealed record ModerationScope(string? OwnArticlesOfUserId)
{
    public static readonly ModerationScope Everything = new((string?)null);

    public static ModerationScope For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(StaffRoles.Administrator) || user.IsInRole(StaffRoles.Editor)
            ? Everything
            : new ModerationScope(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "");
    }
}

public enum ModerationTab
{
    Pending,
    Reported,
    Approved,
    Spam,
    Trash,
}

public enum ModerationAction
{
    Approve,
    Spam,
    Trash,
    Restore,
    Delete,
    DismissReports,
}

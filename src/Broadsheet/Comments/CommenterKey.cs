using Broadsheet.Infrastructure.Security;

namespace Broadsheet.Comments;

/// <summary>
/// A commenter's key: the keyed hash of their email (<see cref="Comment.AvatarKey"/>). It picks the
/// avatar, groups a commenter's history and finds their comments for a data-rights request,
/// without putting the address itself anywhere but the comment row.
/// </summary>
public static class CommenterKey
{
    public static string For(SiteKeys keys, string email)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(email);
        return keys.Hash("email", email.Trim().ToLowerInvariant());
    }
}

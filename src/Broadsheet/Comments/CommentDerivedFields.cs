using System.Globalization;
using Broadsheet.Infrastructure.Security;

namespace Broadsheet.Comments;

/// <summary>Where a reply goes in its thread: its parent (after capping the depth), thread root and depth.</summary>
public readonly record struct ThreadPlace(int? ParentId, int? ThreadRootId, int Depth)
{
    public static ThreadPlace TopLevel => new(null, null, 0);
}

/// <summary>The parent a reply answers, as far as placing the reply needs it.</summary>
public readonly record struct ThreadParent(int Id, int? ParentId, int? ThreadRootId, int Depth);

/// <summary>
/// The fields of a comment computed from what was posted (avatar key, fingerprint, place in the
/// thread). Shared by posting and by importing, so an imported comment is indistinguishable from
/// one posted here: same avatar, same duplicate detection, same nesting limit.
/// </summary>
public static class CommentDerivedFields
{
    /// <summary>
    /// A commenter's key: the keyed hash of their email (<see cref="Comment.AvatarKey"/>). It picks
    /// the avatar, groups a commenter's history and finds their comments for a data-rights request,
    /// without putting the address itself anywhere but the comment row.
    /// </summary>
    public static string AvatarKey(SiteKeys keys, string email)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(email);
        return keys.Hash("email", email.Trim().ToLowerInvariant());
    }

    /// <summary>
    /// The key of a staff reply posted from the moderation desk: made from the staff account, not an
    /// email (the reply stores none), so a staff member's replies share an avatar and a history on
    /// the desk, and never join the history or data-rights requests of a reader's email address.
    /// </summary>
    public static string StaffAvatarKey(SiteKeys keys, string staffUserId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(staffUserId);
        return keys.Hash("staff", staffUserId);
    }

    public static string Fingerprint(SiteKeys keys, int articleId, int? parentId, string avatarKey, string name, string text)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Hash("comment", string.Create(CultureInfo.InvariantCulture, $"{articleId}|{parentId}|{avatarKey}|{name}|{text}"));
    }

    /// <summary>At the deepest level a reply joins its parent's thread instead of nesting further.</summary>
    public static ThreadPlace ReplyTo(ThreadParent parent, int maxDepth)
    {
        var (parentId, depth) = parent.Depth + 1 >= maxDepth ? (parent.ParentId, parent.Depth) : (parent.Id, parent.Depth + 1);
        return parentId is null ? ThreadPlace.TopLevel : new ThreadPlace(parentId, parent.ThreadRootId ?? parent.Id, depth);
    }
}

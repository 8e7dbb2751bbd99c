namespace Broadsheet.Comments;

/// <summary>
/// Comments to render as list items, each with its replies, and the section they belong to (for
/// reply links and the moved form): a whole page of threads, or the one comment a live update or
/// the posting script inserts.
/// </summary>
public sealed record CommentListModel(IReadOnlyList<CommentView> Comments, CommentSectionModel Section)
{
    public bool CanReply(CommentView comment) => Section.Open && comment.Status == CommentStatus.Approved;

    public static bool IsHeld(CommentView comment) => comment.Status != CommentStatus.Approved;

    public string ReplyHref(CommentView comment) => $"{Section.ArticleUrl}?replytocom={comment.Id}#respond";
}

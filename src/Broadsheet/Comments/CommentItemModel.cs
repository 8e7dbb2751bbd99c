namespace Broadsheet.Comments;

/// <summary>One comment in the list, with the section it belongs to (for reply links and the moved form).</summary>
public sealed record CommentItemModel(CommentView Comment, CommentSectionModel Section)
{
    public bool CanReply => Section.Open && Comment.Status == CommentStatus.Approved;

    public bool IsHeld => Comment.Status != CommentStatus.Approved;

    public string ReplyHref => $"{Section.ArticleUrl}?replytocom={Comment.Id}#respond";
}

namespace Broadsheet.Comments;

/// <summary>How a page says how many comments a story has ("No comments", "1 comment", "1,204 comments").</summary>
public static class CommentCountText
{
    public static string Of(int count) => count switch { 0 => "No comments", 1 => "1 comment", var n => $"{n:N0} comments" };
}

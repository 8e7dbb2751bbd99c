namespace Broadsheet.Comments;

/// <summary>Everything the comment section under an article needs to render.</summary>
public sealed record CommentSectionModel
{
    public required int ArticleId { get; init; }
    public required string ArticleUrl { get; init; }
    public required int CommentCount { get; init; }
    public required CommentPage Page { get; init; }
    public required bool Open { get; init; }
    public required int MaxDepth { get; init; }

    /// <summary>The signed form stamp (issued when the page is rendered).</summary>
    public required string Stamp { get; init; }

    /// <summary>What the reader posted, when the form is re-rendered after a rejection.</summary>
    public CommentForm? Posted { get; init; }

    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    /// <summary>A message about the whole post (rate limit, duplicate, closed…), shown above the fields.</summary>
    public string? Message { get; init; }

    /// <summary>The comment being replied to without JavaScript (<c>?replytocom=</c>): the form renders under it.</summary>
    public CommentView? ReplyTo { get; init; }

    /// <summary>The next page of comments, without the fragment (for <c>&lt;link rel="next"&gt;</c>).</summary>
    public string? NextPagePath => Page.Next is { } next ? $"{ArticleUrl}?{CommentPermalinks.CommentPageQuery}={next}" : null;

    public string? PreviousPagePath => Page.Previous.Href(ArticleUrl, CommentPermalinks.CommentPageQuery);

    public string? NextPageHref => NextPagePath is { } path ? $"{path}#comments" : null;

    public string? PreviousPageHref => PreviousPagePath is { } path ? $"{path}#comments" : null;

    public bool HasProblems => Errors.Count > 0 || Message is not null;

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var message) ? message : null;
}

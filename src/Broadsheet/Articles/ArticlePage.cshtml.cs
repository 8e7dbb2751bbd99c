using Broadsheet.Comments;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Security;
using Broadsheet.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace Broadsheet.Articles;

/// <summary>
/// The article page and its comment section. GET is output-cached and shared by every reader (the
/// form carries no per-visitor data); POST takes a comment and answers with a redirect to it, or
/// re-renders the page with the reader's text and a message per field.
/// </summary>
[OutputCache(PolicyName = PageCache.AnonymousPage)]
[IgnoreAntiforgeryToken] // the cached comment form has no token: cross-site posts are refused by SameOriginPosts
[RequestSizeLimit(MaxCommentPostBytes)]
public sealed class ArticlePageModel(
    ArticleQueries articles,
    CommentQueries comments,
    CommentPoster poster,
    FormStamp stamps,
    SiteKeys keys,
    ArticleLinks links,
    SiteClock clock,
    SiteOptions site,
    SiteUrls urls,
    IOptionsMonitor<CommentOptions> commentOptions) : SitePageModel
{
    // A correction minutes after publishing is not worth an "Updated" line.
    private static readonly TimeSpan UpdateWorthShowing = TimeSpan.FromMinutes(10);
    private const string HeldCommentPurpose = "held-comment";

    // The longest allowed comment (65,525 characters) percent-encoded as three-byte UTF-8, with room for the other fields.
    private const int MaxCommentPostBytes = 1024 * 1024;

    private readonly CommentOptions _commentOptions = commentOptions.CurrentValue;

    public ArticleView Article { get; private set; } = null!;

    public DateTime PublishedLocal { get; private set; }

    public DateTime? UpdatedLocal { get; private set; }

    public CommentSectionModel CommentSection { get; private set; } = null!;

    public IReadOnlyList<ArticleSummary> Related { get; private set; } = [];

    /// <summary>The comment form as posted (read in <see cref="OnPostAsync"/>; empty on GET).</summary>
    public CommentForm Form { get; private set; } = new();

    public async Task<IActionResult> OnGetAsync(
        string slug,
        [FromQuery(Name = "replytocom")] int? replyTo,
        [FromQuery(Name = "unapproved")] int? heldId,
        [FromQuery(Name = "moderation-hash")] string? heldHash,
        [FromQuery(Name = CommentPermalinks.CommentPageQuery)] string? commentsAfter,
        CancellationToken cancellationToken)
    {
        if (await LoadArticleAsync(slug, cancellationToken) is { } notHere)
        {
            return notHere;
        }

        var canonical = CanonicalPath!;
        // Compared as the router sees paths, decoded: a slug in another script is percent-encoded in the link.
        if (!string.Equals(Request.Path.Value, Uri.UnescapeDataString(canonical), StringComparison.Ordinal))
        {
            // Wrong date, trailing slash or old-style path: one permanent address per article.
            return RedirectPermanent(canonical + Request.QueryString);
        }

        if (!ListingCursor.TryParseOptional(commentsAfter, out var after))
        {
            return NotFound();
        }

        HttpContext.AddCacheTags([CacheTags.Article(Article.Id), .. Article.Authors.Select(a => CacheTags.Author(a.Slug))]);
        // Cached with the page and not evicted by other articles' changes (that would evict every
        // article page on each publish): a new related story shows up when the page next renders.
        Related = await articles.RelatedAsync(Article, 4, cancellationToken);
        var page = await LoadCommentsAsync(after, cancellationToken);
        var reply = replyTo is { } replyId ? await comments.FindApprovedAsync(Article.Id, replyId, cancellationToken) : null;
        if (heldId is { } id && heldHash is not null && keys.Verify(HeldCommentPurpose, id.ToString(System.Globalization.CultureInfo.InvariantCulture), heldHash)
            && await comments.FindHeldAsync(Article.Id, id, cancellationToken) is { } held)
        {
            ShowHeldInPlace(page, held);
        }

        CommentSection = NewCommentSection(page) with { ReplyTo = reply };
        NextPagePath = CommentSection.NextPagePath;
        PreviousPagePath = CommentSection.PreviousPagePath;
        HeadExtras = Seo.StructuredData.ForArticle(
            Article, urls.Absolute(Request, canonical), site, urls.Absolute(Request, ""), page.Threads.Where(c => c.Status == CommentStatus.Approved));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // Read from the route itself: when the body is not a readable form, model binding gives up on every parameter.
        var slug = RouteData.Values["slug"] as string ?? "";
        // The hot path loads only what posting needs; the whole article is read only to re-render a rejected form.
        var target = await articles.FindCommentTargetAsync(slug, cancellationToken);
        if (target is null)
        {
            return await LoadArticleAsync(slug, cancellationToken) ?? NotFound();
        }

        var wantsJson = Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
        if (await UnreadableFormAsync() is { } unreadable)
        {
            return await RejectedAsync(slug, unreadable.StatusCode, unreadable.Message, null, wantsJson, cancellationToken);
        }

        Form = CommentForm.Read(Request.Form);
        var client = new PostingClient(HttpContext.Connection.RemoteIpAddress, Request.Headers.UserAgent.ToString());
        var outcome = await poster.PostAsync(target, Form, client, cancellationToken);
        switch (outcome)
        {
            case PostOutcome.Accepted accepted:
                CanonicalPath = links.Article(target.Slug, target.PublishedAt);
                return wantsJson ? AcceptedFragment(target, accepted) : await RedirectToCommentAsync(accepted, cancellationToken);
            case PostOutcome.TooSoon tooSoon:
                Response.Headers.RetryAfter = tooSoon.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return await RejectedAsync(slug, StatusCodes.Status429TooManyRequests, tooSoon.Message, null, wantsJson, cancellationToken);
            case PostOutcome.Duplicate:
                return await RejectedAsync(slug, StatusCodes.Status409Conflict, PostOutcome.Duplicate.Message, null, wantsJson, cancellationToken);
            case PostOutcome.Refused refused:
                return await RejectedAsync(slug, refused.StatusCode, refused.Message, null, wantsJson, cancellationToken);
            case PostOutcome.Invalid invalid:
                return await RejectedAsync(slug, StatusCodes.Status400BadRequest, null, invalid.Errors, wantsJson, cancellationToken);
            default:
                throw new InvalidOperationException($"Unhandled outcome {outcome.GetType().Name}.");
        }
    }

    /// <summary>A body that is not a readable form (NUL bytes, too large, not a form at all) binds nothing; say so instead of guessing.</summary>
    private async Task<PostOutcome.Refused?> UnreadableFormAsync()
    {
        const string NotText = "Your comment could not be read: it contains characters that are not text. Please remove them and post again.";
        if (!Request.HasFormContentType)
        {
            return new(StatusCodes.Status415UnsupportedMediaType, "Comments must be sent from the comment form.");
        }

        try
        {
            await Request.ReadFormAsync(HttpContext.RequestAborted);
            return null;
        }
        catch (InvalidDataException)
        {
            return new(StatusCodes.Status400BadRequest, NotText);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(e.StatusCode, "Your comment is too large to send. Please shorten it and post again.");
        }
    }

    private async Task<IActionResult?> LoadArticleAsync(string slug, CancellationToken cancellationToken)
    {
        var article = await articles.FindPublishedAsync(slug, cancellationToken);
        if (article is null)
        {
            // An old slug of an article answers with its current address.
            return await articles.CurrentAddressForOldSlugAsync(slug, cancellationToken) is { } moved
                ? RedirectPermanent(moved)
                : NotFound();
        }

        Article = article;
        Title = article.Headline;
        Description = article.Dek;
        CanonicalPath = links.Article(article.Slug, article.PublishedAt);
        FeedPath = $"{CanonicalPath}/feed";
        PublishedLocal = clock.ToLocal(article.PublishedAt);
        UpdatedLocal = article.UpdatedAt - article.PublishedAt > UpdateWorthShowing ? clock.ToLocal(article.UpdatedAt) : null;
        return null;
    }

    // Reads the page of comments and brings the article's comment count up to date with it: the
    // article as remembered may carry an old count (with the first thread, or asked for when the
    // page has none). Every handler that renders the page calls this before rendering.
    private async Task<CommentPage> LoadCommentsAsync(ListingCursor? after, CancellationToken cancellationToken)
    {
        var page = await comments.PageAsync(Article.Id, after, _commentOptions.PageSize, cancellationToken);
        Article = Article with { CommentCount = page.ArticleCommentCount ?? await articles.CommentCountAsync(Article.Id, cancellationToken) };
        return page;
    }

    private CommentSectionModel NewCommentSection(CommentPage page) =>
        NewCommentSection(Article.Id, Article.PublishedAt, Article.CommentsOpen, Article.CommentCount, page);

    private CommentSectionModel NewCommentSection(int articleId, DateTime publishedAt, bool commentsOpen, int commentCount, CommentPage page) => new()
    {
        ArticleId = articleId,
        ArticleUrl = CanonicalPath!,
        CommentCount = commentCount,
        Page = page,
        Open = poster.CommentsAreOpen(commentsOpen, publishedAt, clock.UtcNow),
        MaxDepth = _commentOptions.MaxDepth,
        Stamp = stamps.Issue(articleId),
    };

    private async Task<IActionResult> RedirectToCommentAsync(PostOutcome.Accepted accepted, CancellationToken cancellationToken)
    {
        var id = accepted.Comment.Id;
        if (!accepted.VisibleToEveryone)
        {
            var hash = keys.Hash(HeldCommentPurpose, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return SeeOther($"{CanonicalPath}?unapproved={id}&moderation-hash={hash}#comment-{id}");
        }

        var page = await comments.PageOfNewCommentAsync(accepted, _commentOptions.PageSize, cancellationToken) is { } after
            ? $"?{CommentPermalinks.CommentPageQuery}={after}"
            : "";
        return SeeOther($"{CanonicalPath}{page}#comment-{id}");
    }

    /// <summary>Post/Redirect/Get: 303 tells every client to follow with a GET.</summary>
    private StatusCodeResult SeeOther(string location)
    {
        Response.Headers.Location = location;
        return StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>For the page's script: the new comment's HTML, ready to insert.</summary>
    private PartialViewResult AcceptedFragment(CommentTarget target, PostOutcome.Accepted accepted)
    {
        var view = CommentQueries.ViewOf(accepted.Comment);
        CommentSection = NewCommentSection(target.Id, target.PublishedAt, target.CommentsOpen, commentCount: 0, new CommentPage([], null, true));
        Response.StatusCode = StatusCodes.Status201Created;
        Response.Headers["X-Comment-Status"] = accepted.VisibleToEveryone ? "approved" : "held";
        Response.Headers.Location = $"#comment-{accepted.Comment.Id}";
        return Partial("/Comments/_Comments.cshtml", new CommentListModel([view], CommentSection));
    }

    private async Task<IActionResult> RejectedAsync(
        string slug, int statusCode, string? message, IReadOnlyDictionary<string, string>? errors, bool wantsJson, CancellationToken cancellationToken)
    {
        if (wantsJson)
        {
            var problem = new ValidationProblemDetails(errors?.ToDictionary(e => e.Key, e => new[] { e.Value }) ?? [])
            {
                Status = statusCode,
                Title = message ?? "Your comment could not be posted.",
                Detail = message,
            };
            return new ObjectResult(problem) { StatusCode = statusCode, ContentTypes = { "application/problem+json" } };
        }

        if (await LoadArticleAsync(slug, cancellationToken) is { } notHere)
        {
            return notHere;
        }

        var page = await LoadCommentsAsync(after: null, cancellationToken);
        var replyTo = Form.ParentId is > 0 and var parentId ? await comments.FindApprovedAsync(Article.Id, parentId, cancellationToken) : null;
        CommentSection = NewCommentSection(page) with
        {
            Posted = Form,
            Errors = errors ?? new Dictionary<string, string>(),
            Message = message,
            ReplyTo = replyTo,
        };
        Response.StatusCode = statusCode;
        return Page();
    }

    /// <summary>Puts the reader's own held comment where it will appear once approved.</summary>
    private static void ShowHeldInPlace(CommentPage page, CommentView held)
    {
        var parent = held.ParentId is { } parentId ? Flatten(page.Threads).FirstOrDefault(c => c.Id == parentId) : null;
        if (parent is not null)
        {
            parent.Replies.Add(held);
        }
        else if (page.Threads is List<CommentView> threads)
        {
            threads.Add(held);
        }
    }

    private static IEnumerable<CommentView> Flatten(IEnumerable<CommentView> comments) =>
        comments.SelectMany(c => Flatten(c.Replies).Prepend(c));
}

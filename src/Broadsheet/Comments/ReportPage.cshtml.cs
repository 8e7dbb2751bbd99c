using System.Net;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Security;
using Broadsheet.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Comments;

/// <summary>Readers flag a comment for moderators. Never cached; works without JavaScript.</summary>
[IgnoreAntiforgeryToken] // public form: cross-site posts are refused by SameOriginPosts instead
public sealed class ReportPageModel(BroadsheetDbContext db, SiteKeys keys, TimeProvider time) : SitePageModel
{
    public static readonly IReadOnlyList<(ReportReason Value, string Label)> Reasons =
    [
        (ReportReason.Spam, "Spam or advertising"),
        (ReportReason.Abusive, "Abusive, hateful or harassing"),
        (ReportReason.OffTopic, "Off-topic"),
        (ReportReason.Other, "Something else"),
    ];

    public ReportedComment Comment { get; private set; } = null!;

    [BindProperty(Name = "reason")]
    public ReportReason? Reason { get; set; }

    [BindProperty(Name = "note")]
    public string? Note { get; set; }

    public string? Error { get; private set; }

    public bool Reported { get; private set; }

    public string ReturnUrl => CommentPermalinks.For(Comment.Id);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var note = Note?.Trim();
        if (Reason is null || !Enum.IsDefined(Reason.Value))
        {
            Error = "Please choose a reason.";
        }
        else if (note is { Length: > 1000 })
        {
            Error = "Your note is too long: at most 1,000 characters.";
        }

        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var ipHash = HttpContext.Connection.RemoteIpAddress is IPAddress address ? keys.Hash("ip", address.ToString()) : null;
        // One report per comment and address is enough for moderators; repeats are thanked but not stored.
        if (ipHash is null || !await db.CommentReports.AnyAsync(r => r.CommentId == id && r.IpHash == ipHash, cancellationToken))
        {
            db.CommentReports.Add(new CommentReport
            {
                CommentId = id,
                Reason = Reason!.Value,
                Note = string.IsNullOrEmpty(note) ? null : note,
                CreatedAt = time.GetUtcNow().UtcDateTime,
                IpHash = ipHash,
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        Reported = true;
        return Page();
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        var comment = await db.Comments.AsNoTracking()
            // Only what readers can see: the comment of an unpublished article is as gone as the article.
            .Where(c => c.Id == id && c.Status == CommentStatus.Approved
                && c.Article!.Status == Articles.ArticleStatus.Published && c.Article.PublishedAt != null)
            .Select(c => new ReportedComment(c.Id, c.AuthorName, c.BodyHtml))
            .FirstOrDefaultAsync(cancellationToken);
        if (comment is null)
        {
            return false;
        }

        Comment = comment;
        Title = "Report a comment";
        return true;
    }
}

public sealed record ReportedComment(int Id, string AuthorName, string BodyHtml);

using System.Net;
using System.Text;
using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using DiffPlex.Chunkers;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles.Editing;

/// <summary>An article's revisions: compare any two word by word, restore any one (as a new save).</summary>
[Authorize(Policy = Permissions.WriteArticles)]
public sealed class RevisionsPageModel(BroadsheetDbContext db, ArticleEditor editor) : StaffPageModel
{
    public sealed record RevisionComparison(ArticleRevision From, ArticleRevision To, IReadOnlyList<(string Label, string Html)> Fields);

    public int ArticleId { get; private set; }

    public IReadOnlyList<ArticleRevision> Revisions { get; private set; } = [];

    public RevisionComparison? Comparison { get; private set; }

    [FromQuery(Name = "from")]
    public int? From { get; set; }

    [FromQuery(Name = "to")]
    public int? To { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        var from = Revisions.FirstOrDefault(r => r.Id == From);
        var to = Revisions.FirstOrDefault(r => r.Id == To);
        if (from is not null && to is not null)
        {
            Comparison = new RevisionComparison(from, to,
            [
                ("Headline", RevisionDiff.Html(from.Headline, to.Headline)),
                ("Dek", RevisionDiff.Html(from.Dek ?? "", to.Dek ?? "")),
                ("Body", RevisionDiff.Html(from.BodyMarkdown, to.BodyMarkdown)),
                ("Corrections note", RevisionDiff.Html(from.CorrectionsNote ?? "", to.CorrectionsNote ?? "")),
            ]);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, int revisionId, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        var revision = Revisions.FirstOrDefault(r => r.Id == revisionId);
        var article = await db.Articles.AsNoTracking()
            .Include(a => a.Bylines.OrderBy(b => b.Position)).ThenInclude(b => b.Author).Include(a => a.Section).Include(a => a.Tags)
            .FirstAsync(a => a.Id == id, cancellationToken);
        if (revision is null)
        {
            return NotFound();
        }

        // Restoring is a save of the old text over the current article: it keeps the status and makes a new revision.
        var outcome = await editor.SaveAsync(id, new ArticleEdit
        {
            Headline = revision.Headline,
            Dek = revision.Dek,
            Slug = article.Slug,
            BodyMarkdown = revision.BodyMarkdown,
            CorrectionsNote = revision.CorrectionsNote,
            Authors = string.Join(", ", article.Bylines.Select(b => b.Author!.Name)),
            Section = article.Section?.Name,
            Tags = string.Join(", ", article.Tags.Select(t => t.Name)),
            CommentsOpen = article.CommentsOpen,
            ConcurrencyStamp = article.ConcurrencyStamp,
        }, EditorAction.Save, User, cancellationToken);
        return outcome switch
        {
            EditOutcome.Saved => Redirect($"/admin/articles/{id}"),
            EditOutcome.Forbidden => Forbid(),
            _ => Redirect($"/admin/articles/{id}/revisions"),
        };
    }

    private async Task<IActionResult?> LoadAsync(int id, CancellationToken cancellationToken)
    {
        var headline = await db.Articles.AsNoTracking().Where(a => a.Id == id).Select(a => a.Headline).FirstOrDefaultAsync(cancellationToken);
        if (headline is null)
        {
            return NotFound();
        }

        if (!await editor.MayEditAsync(User, id, cancellationToken))
        {
            return Forbid();
        }

        ArticleId = id;
        Title = $"Revisions: {headline}";
        Revisions = await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == id).OrderByDescending(r => r.Id).ToListAsync(cancellationToken);
        To ??= Revisions.Count > 0 ? Revisions[0].Id : null;
        From ??= Revisions.Count > 1 ? Revisions[1].Id : null;
        return null;
    }
}

/// <summary>A word-level diff as HTML: every word HTML-encoded, removed words in &lt;del&gt;, added words in &lt;ins&gt;.</summary>
public static class RevisionDiff
{
    public static string Html(string before, string after)
    {
        var model = InlineDiffBuilder.Diff(before, after, ignoreWhiteSpace: false, ignoreCase: false, new WordChunker());
        var html = new StringBuilder();
        foreach (var piece in model.Lines)
        {
            var text = WebUtility.HtmlEncode(piece.Text).Replace("\n", "<br>", StringComparison.Ordinal);
            html.Append(piece.Type switch
            {
                ChangeType.Inserted => $"<ins>{text}</ins>",
                ChangeType.Deleted => $"<del>{text}</del>",
                _ => text,
            });
        }

        return html.ToString();
    }
}

using System.Security.Claims;
using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles.Editing;

/// <summary>
/// The newsroom's article list: every article for editors, their own for Authors and Contributors;
/// newest change first, filtered by status, section, byline and headline, keyset-paginated.
/// </summary>
[Authorize(Policy = Permissions.WriteArticles)]
public sealed class ArticlesListPageModel(BroadsheetDbContext db) : StaffPageModel
{
    private const int PageSize = 50;

    public sealed record Row(int Id, string Headline, ArticleStatus Status, string? Section, DateTime UpdatedAt, IReadOnlyList<string> Authors);

    [FromQuery(Name = "status")]
    public ArticleStatus? Status { get; set; }

    [FromQuery(Name = "q")]
    public string? Query { get; set; }

    /// <summary>A section's slug.</summary>
    [FromQuery(Name = "section")]
    public string? SectionSlug { get; set; }

    /// <summary>A byline's slug: articles carrying it among their authors.</summary>
    [FromQuery(Name = "author")]
    public string? AuthorSlug { get; set; }

    public IReadOnlyList<(string Slug, string Name)> Sections { get; private set; } = [];

    public IReadOnlyList<(string Slug, string Name)> Authors { get; private set; } = [];

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public string? OlderHref { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? before, CancellationToken cancellationToken)
    {
        Title = "Articles";
        if (!ListingCursor.TryParseOptional(before, out var cursor))
        {
            return NotFound();
        }

        var articles = db.Articles.AsNoTracking();
        if (!Permissions.Has(User, Permissions.EditAllArticles))
        {
            var me = User.FindFirstValue(ClaimTypes.NameIdentifier);
            articles = articles.Where(a => a.CreatedByUserId == me);
        }

        if (Status is { } status)
        {
            articles = articles.Where(a => a.Status == status);
        }

        if (!string.IsNullOrEmpty(SectionSlug))
        {
            articles = articles.Where(a => a.Section != null && a.Section.Slug == SectionSlug);
        }

        if (!string.IsNullOrEmpty(AuthorSlug))
        {
            articles = articles.Where(a => a.Bylines.Any(b => b.Author!.Slug == AuthorSlug));
        }

        if (!string.IsNullOrWhiteSpace(Query))
        {
            var pattern = $"%{Query.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)}%";
            articles = articles.Where(a => EF.Functions.Like(a.Headline, pattern, "\\"));
        }

        if (cursor is { } c)
        {
            articles = articles.Where(a => a.UpdatedAt <= c.PublishedAt && (a.UpdatedAt < c.PublishedAt || a.Id < c.Id));
        }

        var rows = await articles.OrderByDescending(a => a.UpdatedAt).ThenByDescending(a => a.Id).Take(PageSize + 1)
            .Select(a => new Row(a.Id, a.Headline, a.Status, a.Section == null ? null : a.Section.Name, a.UpdatedAt,
                a.Bylines.OrderBy(b => b.Position).Select(b => b.Author!.Name).ToList()))
            .ToListAsync(cancellationToken);
        if (rows.Count > PageSize)
        {
            rows.RemoveAt(PageSize);
            var last = rows[^1];
            OlderHref = $"/admin/articles?before={new ListingCursor(last.UpdatedAt, last.Id)}&status={Status}"
                + $"&section={Uri.EscapeDataString(SectionSlug ?? "")}&author={Uri.EscapeDataString(AuthorSlug ?? "")}&q={Uri.EscapeDataString(Query ?? "")}";
        }

        Sections = (await db.Sections.AsNoTracking().OrderBy(s => s.Position).ThenBy(s => s.Name).Select(s => new { s.Slug, s.Name }).ToListAsync(cancellationToken))
            .Select(s => (s.Slug, s.Name)).ToList();
        Authors = (await db.Authors.AsNoTracking().OrderBy(a => a.Name).Select(a => new { a.Slug, a.Name }).ToListAsync(cancellationToken))
            .Select(a => (a.Slug, a.Name)).ToList();

        Rows = rows;
        return Page();
    }
}

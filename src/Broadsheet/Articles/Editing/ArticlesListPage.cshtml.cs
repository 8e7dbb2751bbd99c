using System.Security.Claims;
using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles.Editing;

/// <summary>The newsroom's article list: every article for editors, their own for Authors and Contributors; newest change first.</summary>
[Authorize(Policy = Permissions.WriteArticles)]
public sealed class ArticlesListPageModel(BroadsheetDbContext db) : StaffPageModel
{
    private const int PageSize = 50;

    public sealed record Row(int Id, string Headline, ArticleStatus Status, string? Section, DateTime UpdatedAt);

    [FromQuery(Name = "status")]
    public ArticleStatus? Status { get; set; }

    [FromQuery(Name = "q")]
    public string? Query { get; set; }

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

        if (!string.IsNullOrWhiteSpace(Query))
        {
            var pattern = $"%{Query.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)}%";
            articles = articles.Where(a => EF.Functions.Like(a.Headline, pattern, "\\"));
        }

        if (cursor is { } c)
        {
            articles = articles.Where(a => a.UpdatedAt < c.PublishedAt || (a.UpdatedAt == c.PublishedAt && a.Id < c.Id));
        }

        var rows = await articles.OrderByDescending(a => a.UpdatedAt).ThenByDescending(a => a.Id).Take(PageSize + 1)
            .Select(a => new Row(a.Id, a.Headline, a.Status, a.Section == null ? null : a.Section.Name, a.UpdatedAt))
            .ToListAsync(cancellationToken);
        if (rows.Count > PageSize)
        {
            rows.RemoveAt(PageSize);
            var last = rows[^1];
            OlderHref = $"/admin/articles?before={new ListingCursor(last.UpdatedAt, last.Id)}&status={Status}&q={Uri.EscapeDataString(Query ?? "")}";
        }

        Rows = rows;
        return Page();
    }
}

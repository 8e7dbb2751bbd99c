using System.Security.Claims;
using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles.Bylines;

/// <summary>An author as the bylines list shows it.</summary>
public sealed record BylineRow(int Id, string Name, string Slug, string? LinkedTo, int Articles, bool HasBio, bool HasPhoto);

/// <summary>
/// The bylines staff may edit: every one for Editors and Administrators, otherwise those linked to
/// the signed-in account.
/// </summary>
[Authorize(Policy = Permissions.WriteArticles)]
public sealed class AuthorsPageModel(BroadsheetDbContext db) : StaffPageModel
{
    public IReadOnlyList<BylineRow> Rows { get; private set; } = [];

    public bool CanEditAll { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Title = "Authors";
        CanEditAll = Permissions.Has(User, Permissions.EditAllBylines);
        var authors = db.Authors.AsNoTracking();
        if (!CanEditAll)
        {
            var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
            authors = authors.Where(a => a.StaffUserId == userId);
        }

        Rows = await authors
            .OrderBy(a => a.Name)
            .Select(a => new BylineRow(
                a.Id, a.Name, a.Slug,
                db.Users.Where(u => u.Id == a.StaffUserId).Select(u => u.DisplayName).FirstOrDefault(),
                db.Bylines.Count(b => b.AuthorId == a.Id),
                a.Bio != null && a.Bio != "",
                a.PhotoPath != null))
            .ToListAsync(cancellationToken);
    }
}

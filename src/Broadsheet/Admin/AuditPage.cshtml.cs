using Broadsheet.Accounts;
using Broadsheet.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Admin;

[Authorize(Policy = Permissions.ManageSite)]
public sealed class AuditPageModel(BroadsheetDbContext db) : StaffPageModel
{
    private const int PageSize = 100;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public string? OlderHref { get; private set; }

    public async Task OnGetAsync(long? before, CancellationToken cancellationToken)
    {
        Title = "Audit log";
        var entries = db.AuditEntries.AsNoTracking();
        if (before is { } id)
        {
            entries = entries.Where(e => e.Id < id);
        }

        var page = await entries.OrderByDescending(e => e.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        if (page.Count > PageSize)
        {
            page.RemoveAt(PageSize);
            OlderHref = $"/admin/audit?before={page[^1].Id}";
        }

        Entries = page;
    }
}

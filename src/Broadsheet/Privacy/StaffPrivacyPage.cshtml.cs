using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Broadsheet.Privacy;

/// <summary>
/// Administrators answer a commenter's data request by email or letter: find what the site holds
/// for an address, download it, or erase it. Audited without the address, and never put in one: the
/// address is posted, not sent in a query string that access logs, proxies and browser history keep.
/// </summary>
[Authorize(Policy = Permissions.ManageSite)]
public sealed class StaffPrivacyPageModel(CommenterData data, SiteKeys keys, AuditLog audit, BroadsheetDbContext db) : StaffPageModel
{
    [BindProperty(Name = "email")]
    public string? Email { get; set; }

    public string? EmailError { get; private set; }

    public CommenterSummary? Summary { get; private set; }

    public CommenterErasure? Erased { get; private set; }

    public string? ConfirmError { get; private set; }

    public void OnGet() => Title = "Commenters' data";

    public async Task<IActionResult> OnPostFindAsync(CancellationToken cancellationToken)
    {
        Title = "Commenters' data";
        if (CheckedKey() is { } key)
        {
            Summary = await data.SummarizeAsync(key, cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostDownloadAsync(CancellationToken cancellationToken)
    {
        Title = "Commenters' data";
        if (CheckedKey() is not { } key)
        {
            return Page();
        }

        var summary = await data.SummarizeAsync(key, cancellationToken);
        audit.Record("privacy.export", "commenter", null, $"{summary.Comments} comment(s)");
        await db.SaveChangesAsync(cancellationToken);
        return File(await data.ExportAsync(key, cancellationToken), "application/json", "commenter-data.json");
    }

    public async Task<IActionResult> OnPostEraseAsync(bool confirm, CancellationToken cancellationToken)
    {
        Title = "Commenters' data";
        if (CheckedKey() is not { } key)
        {
            return Page();
        }

        if (!confirm)
        {
            ConfirmError = "Tick the box to confirm the erasure.";
            Summary = await data.SummarizeAsync(key, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Erased = await data.EraseAsync(key, $"staff: {User.Identity!.Name}", cancellationToken);
        audit.Record("privacy.erase", "commenter", null, $"{Erased.CommentsDeleted} deleted, {Erased.CommentsAnonymised} anonymised");
        await db.SaveChangesAsync(cancellationToken);
        return Page();
    }

    private string? CheckedKey()
    {
        var email = (Email ?? "").Trim();
        if (!CommentForm.IsEmail(email))
        {
            EmailError = "Enter the commenter's email address, like name@example.com.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        return CommentDerivedFields.AvatarKey(keys, email);
    }
}

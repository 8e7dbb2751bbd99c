using Broadsheet.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Broadsheet.Privacy;

/// <summary>
/// What the emailed link opens: a summary of the commenter's data and two actions, download or
/// erase. Looking does not use the link up (mail scanners open links); either action does.
/// </summary>
public sealed class ManagePageModel(DataRightsLinks links, CommenterData data, IOptions<PrivacyOptions> options) : SitePageModel
{
    public ErasureMode Erasure => options.Value.Erasure;

    public CommenterSummary? Summary { get; private set; }

    public CommenterErasure? Erased { get; private set; }

    public bool Expired { get; private set; }

    public string? ConfirmError { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        Protect();
        var commenterKey = await links.PeekAsync(token, cancellationToken);
        if (commenterKey is null)
        {
            return LinkExpired();
        }

        Summary = await data.SummarizeAsync(commenterKey, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDownloadAsync(string token, CancellationToken cancellationToken)
    {
        Protect();
        if (await links.UseAsync(token, cancellationToken) is not { } commenterKey)
        {
            return LinkExpired();
        }

        return File(await data.ExportAsync(commenterKey, cancellationToken), "application/json", "my-comments.json");
    }

    public async Task<IActionResult> OnPostEraseAsync(string token, bool confirm, CancellationToken cancellationToken)
    {
        Protect();
        if (!confirm)
        {
            if (await links.PeekAsync(token, cancellationToken) is not { } key)
            {
                return LinkExpired();
            }

            ConfirmError = "Please tick the box to confirm that you want your comments erased.";
            Summary = await data.SummarizeAsync(key, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (await links.UseAsync(token, cancellationToken) is not { } commenterKey)
        {
            return LinkExpired();
        }

        Erased = await data.EraseAsync(commenterKey, "commenter", cancellationToken);
        return Page();
    }

    // The token in the address is a key to someone's data: no caches, no referrers.
    private void Protect()
    {
        Title = "Your comments and your data";
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private PageResult LinkExpired()
    {
        Expired = true;
        Response.StatusCode = StatusCodes.Status410Gone;
        return Page();
    }
}

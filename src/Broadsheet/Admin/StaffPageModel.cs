using Broadsheet.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Broadsheet.Admin;

/// <summary>What the staff layout needs from a page.</summary>
public interface IStaffPage
{
    string Title { get; }
}

/// <summary>
/// Base of every signed-in staff page: requires <see cref="Permissions.UseAdmin"/>; pages add the
/// permission they need on top. Staff pages are never output-cached and keep antiforgery tokens.
/// </summary>
[Authorize(Policy = Permissions.UseAdmin)]
public abstract class StaffPageModel : PageModel, IStaffPage
{
    public string Title { get; protected set; } = "";
}

using Broadsheet.Accounts;
using Broadsheet.Moderation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Broadsheet.Admin;

public sealed class DashboardPageModel(
    UserManager<StaffUser> users, SignInManager<StaffUser> signIn, IAuthorizationService authorization, ModerationQueries moderation, AuditLog audit,
    Infrastructure.Data.BroadsheetDbContext db) : StaffPageModel
{
    public string DisplayName { get; private set; } = "";
    public IList<string> Roles { get; private set; } = [];
    public bool CanModerate { get; private set; }
    public int Pending { get; private set; }
    public int Reported { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Title = "Dashboard";
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        DisplayName = user.DisplayName;
        Roles = await users.GetRolesAsync(user);
        CanModerate = (await authorization.AuthorizeAsync(User, Permissions.ModerateComments)).Succeeded;
        if (CanModerate)
        {
            var counts = await moderation.CountsAsync(ModerationScope.For(User), cancellationToken);
            Pending = counts[ModerationTab.Pending];
            Reported = counts[ModerationTab.Reported];
        }

        return Page();
    }

    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        // A new security stamp invalidates every other session's cookie at its next check.
        await users.UpdateSecurityStampAsync(user);
        audit.Record("account.sign-out-everywhere", "account", user.Id);
        await db.SaveChangesAsync();
        await signIn.SignOutAsync();
        return Redirect("/admin/login");
    }
}

using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Email;
using Broadsheet.Site;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Broadsheet.Accounts;

/// <summary>
/// One staff account, for Administrators: change the role, disable or enable it, sign it out
/// everywhere, send a link to choose a password. Each change is audited; demoting or disabling the
/// last Administrator who can sign in is refused with a sentence saying why.
/// </summary>
[Authorize(Policy = Permissions.ManageSite)]
public sealed class UserPageModel(
    BroadsheetDbContext db, UserManager<StaffUser> users, StaffAccounts accounts, PasswordLinks links, AuditLog audit,
    TimeProvider time, ILogger<UserPageModel> logger) : StaffPageModel
{
    public StaffAccountRow Account { get; private set; } = null!;

    public DateTimeOffset Now { get; private set; }

    public bool IsYou { get; private set; }

    /// <summary>A refused change, shown as an alert.</summary>
    public string? Problem { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostRoleAsync(string id, string? role, CancellationToken cancellationToken) =>
        ChangeAsync(id, async user => StaffRoles.Parse(role) is { } parsed
            ? await accounts.ChangeRoleAsync(user, parsed, cancellationToken)
            : new AccountChange(false, "Choose one of the four roles."), cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, async user => user.Id == users.GetUserId(User)
            ? new AccountChange(false, "You cannot disable your own account: ask another Administrator.")
            : await accounts.DisableAsync(user, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, user => accounts.EnableAsync(user, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostSignOutAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, user => accounts.SignOutEverywhereAsync(user, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostSendLinkAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, async user =>
        {
            if (StaffAccounts.IsDisabled(user))
            {
                return new AccountChange(false, $"{user.DisplayName}'s account is disabled: enable it before sending a link.");
            }

            var roles = await users.GetRolesAsync(user);
            var inviter = (await users.GetUserAsync(User))?.DisplayName ?? "An Administrator";
            try
            {
                await links.SendWelcomeAsync(user, string.Join(", ", roles), inviter, Request, cancellationToken);
            }
            catch (Exception e) when (MailSender.IsDeliveryFailure(e))
            {
                logger.LogError(e, "Could not send a password link");
                return new AccountChange(false, e is SiteAddressUnknownException ? e.Message : "The email could not be sent just now. Try again in a few minutes.");
            }

            audit.Record("account.password-link-sent", "account", user.Id, user.Email);
            await db.SaveChangesAsync(cancellationToken);
            return new AccountChange(true, $"Emailed {user.Email} a link to choose a password (it works for {PasswordLinks.LifetimeHours} hours).");
        }, cancellationToken);

    /// <summary>Post/Redirect/Get for a change that was made (or needed none); the page again, with the reason, for one refused.</summary>
    private async Task<IActionResult> ChangeAsync(string id, Func<StaffUser, Task<AccountChange>> change, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(id) is not { } user)
        {
            return NotFound();
        }

        var outcome = await change(user);
        if (outcome.Done)
        {
            Message = outcome.Message;
            return Redirect($"/admin/users/{Uri.EscapeDataString(user.Id)}");
        }

        Problem = outcome.Message;
        Response.StatusCode = StatusCodes.Status409Conflict;
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (await StaffAccountRow.ListAsync(db, cancellationToken, id) is not [var account])
        {
            return false;
        }

        Account = account;
        Title = account.DisplayName;
        Now = time.GetUtcNow();
        IsYou = account.Id == users.GetUserId(User);
        return true;
    }
}

using System.ComponentModel.DataAnnotations;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Email;
using Broadsheet.Site;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Accounts;

/// <summary>
/// Administrators list the newsroom's accounts and add one. A new account has no password: its
/// owner gets an emailed link to choose one, so nobody else ever knows it.
/// </summary>
[Authorize(Policy = Permissions.ManageSite)]
public sealed class UsersPageModel(
    BroadsheetDbContext db, UserManager<StaffUser> users, StaffAccounts accounts, PasswordLinks links, AuditLog audit,
    TimeProvider time, ILogger<UsersPageModel> logger) : StaffPageModel
{
    public IReadOnlyList<StaffAccountRow> Accounts { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    [BindProperty]
    public NewStaffInput Input { get; set; } = new();

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var role = StaffRoles.Parse(Input.Role);
        if (role is null)
        {
            ModelState.AddModelError("Input.Role", "Choose one of the four roles.");
        }

        if (ModelState.IsValid && await users.FindByEmailAsync(Input.Email.Trim()) is not null)
        {
            ModelState.AddModelError("Input.Email", "An account with this email address already exists.");
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(cancellationToken);
            return Page();
        }

        var created = await accounts.CreateAsync(Input.Email, Input.DisplayName, role!, password: null, cancellationToken);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                ModelState.AddModelError(error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) ? "Input.Email" : "", error.Description);
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(cancellationToken);
            return Page();
        }

        var user = (await users.FindByEmailAsync(Input.Email.Trim()))!;
        Message = await SendWelcomeAsync(user, role!, cancellationToken) switch
        {
            null => $"Added {user.DisplayName} as {StaffRoles.WithArticle(role!)} and emailed them a link to choose their password.",
            var problem => $"Added {user.DisplayName} as {StaffRoles.WithArticle(role!)}, but the email with their link was not sent: {problem}",
        };
        return Redirect($"/admin/users/{Uri.EscapeDataString(user.Id)}");
    }

    /// <summary>Null when sent; otherwise what to do about it.</summary>
    private async Task<string?> SendWelcomeAsync(StaffUser user, string role, CancellationToken cancellationToken)
    {
        var inviter = (await users.GetUserAsync(User))?.DisplayName ?? User.Identity?.Name ?? "An Administrator";
        try
        {
            await links.SendWelcomeAsync(user, role, inviter, Request, cancellationToken);
        }
        catch (Exception e) when (MailSender.IsDeliveryFailure(e))
        {
            logger.LogError(e, "Could not send a new account its password link");
            return e is SiteAddressUnknownException ? e.Message : "send it again from their page in a few minutes.";
        }

        audit.Record("account.password-link-sent", "account", user.Id, user.Email);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Title = "Users";
        Now = time.GetUtcNow();
        Accounts = await StaffAccountRow.ListAsync(db, cancellationToken);
    }
}

/// <summary>An account as the users page lists it.</summary>
public sealed record StaffAccountRow(
    string Id, string DisplayName, string Email, string Role, bool TwoFactorEnabled, DateTimeOffset? LockoutEnd, bool HasPassword, DateTime CreatedAt)
{
    public bool IsDisabled => StaffAccounts.IsDisabled(LockoutEnd);

    /// <summary>Whether the account can sign in now, and if not why, in words.</summary>
    public string Status(DateTimeOffset now) =>
        IsDisabled ? "Disabled"
        : LockoutEnd > now ? $"Locked until {LockoutEnd.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC (failed sign-ins)"
        : !HasPassword ? "No password chosen yet"
        : "Active";

    public static async Task<IReadOnlyList<StaffAccountRow>> ListAsync(BroadsheetDbContext db, CancellationToken cancellationToken, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var accounts = db.Users.AsNoTracking();
        if (id is not null)
        {
            accounts = accounts.Where(u => u.Id == id);
        }

        var rows = await accounts
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new
            {
                u.Id, u.DisplayName, u.Email, u.TwoFactorEnabled, u.LockoutEnd, HasPassword = u.PasswordHash != null, u.CreatedAt,
                Roles = (from userRole in db.UserRoles join role in db.Roles on userRole.RoleId equals role.Id where userRole.UserId == u.Id select role.Name).ToList(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(u => new StaffAccountRow(
                u.Id, u.DisplayName, u.Email ?? "", string.Join(", ", u.Roles.Order(StringComparer.Ordinal)), u.TwoFactorEnabled, u.LockoutEnd, u.HasPassword, u.CreatedAt))
            .ToList();
    }
}

public sealed class NewStaffInput
{
    [Required(ErrorMessage = "Enter the person's name as colleagues know it.")]
    [StringLength(100, ErrorMessage = "Use at most 100 characters.")]
    public string DisplayName { get; set; } = "";

    [Required(ErrorMessage = "Enter the person's email address: their link to choose a password goes there.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    [StringLength(256)]
    public string Email { get; set; } = "";

    public string? Role { get; set; } = StaffRoles.Contributor;
}

using System.ComponentModel.DataAnnotations;
using System.Text;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Broadsheet.Accounts;

/// <summary>
/// Where the emailed link lands: a new password. Resetting changes the account's security stamp,
/// which uses the link up and signs the account out everywhere else.
/// </summary>
[AllowAnonymous]
public sealed class ResetPasswordPageModel(UserManager<StaffUser> users, AuditLog audit, BroadsheetDbContext db) : PageModel, IStaffPage
{
    public string Title => "Choose a new password";

    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true, Name = "token")]
    public string? Token { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Please choose a password.")]
    [StringLength(200, MinimumLength = 12, ErrorMessage = "Your password must be at least 12 characters long.")]
    public string Password { get; set; } = "";

    public bool LinkInvalid { get; private set; }

    public void OnGet() => Response.Headers["Referrer-Policy"] = "no-referrer";

    public async Task<IActionResult> OnPostAsync()
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var user = UserId is null ? null : await users.FindByIdAsync(UserId);
        var token = Decode(Token);
        var result = user is null || token is null
            ? IdentityResult.Failed(new IdentityErrorDescriber().InvalidToken())
            : await users.ResetPasswordAsync(user, token, Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                if (error.Code == nameof(IdentityErrorDescriber.InvalidToken))
                {
                    LinkInvalid = true;
                }
                else
                {
                    ModelState.AddModelError(nameof(Password), error.Description);
                }
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // Someone who proved they read the account's email may try again at once; an account an
        // Administrator disabled stays disabled.
        if (!StaffAccounts.IsDisabled(user!))
        {
            await users.SetLockoutEndDateAsync(user!, null);
            await users.ResetAccessFailedCountAsync(user!);
        }

        audit.Record("account.password-reset", "account", user!.Id, null, user.Email);
        await db.SaveChangesAsync();
        return Redirect("/admin/login?reset=done");
    }

    private static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

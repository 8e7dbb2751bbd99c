using System.ComponentModel.DataAnnotations;
using Broadsheet.Admin;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Accounts;

[AllowAnonymous]
public sealed class LoginPageModel(SignInManager<StaffUser> signIn, UserManager<StaffUser> users, AuditLog audit, Infrastructure.Data.BroadsheetDbContext db)
    : PageModel, IStaffPage
{
    public string Title => "Sign in";

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool PasswordWasReset => Request.Query["reset"] == "done";

    public async Task<IActionResult> OnGetAsync() =>
        await users.Users.AnyAsync() ? Page() : Redirect("/admin/setup");

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(Input.Email.Trim(), Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            audit.Record("account.sign-in", "account", null, null, Input.Email.Trim());
            await db.SaveChangesAsync();
            // Only local paths: a login link must not bounce staff to another site.
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin");
        }

        if (result.RequiresTwoFactor)
        {
            var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin";
            return Redirect($"/admin/login/two-factor?returnUrl={Uri.EscapeDataString(returnUrl)}&rememberMe={(Input.RememberMe ? "true" : "false")}");
        }

        audit.Record(result.IsLockedOut ? "account.locked-out" : "account.sign-in-failed", "account", null, null, Input.Email.Trim());
        await db.SaveChangesAsync();
        var disabled = result.IsLockedOut && await users.FindByEmailAsync(Input.Email.Trim()) is { } locked && StaffAccounts.IsDisabled(locked);
        ModelState.AddModelError(string.Empty, disabled
            ? "This account is disabled. Ask an Administrator if you need it again."
            : result.IsLockedOut
            ? "Too many failed attempts: this account is locked for 15 minutes. Try again later."
            : "That email and password do not match an account.");
        return Page();
    }
}

public sealed class LoginInput
{
    [Required(ErrorMessage = "Please enter your email address.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Please enter your password.")]
    public string Password { get; set; } = "";

    public bool RememberMe { get; set; }
}

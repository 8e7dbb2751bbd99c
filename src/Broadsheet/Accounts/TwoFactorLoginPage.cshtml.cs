using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Broadsheet.Accounts;

/// <summary>
/// The second step of signing in, for accounts with two-factor sign-in: a code from the
/// authenticator app, or one of the recovery codes. Wrong codes count toward the lockout.
/// </summary>
[AllowAnonymous]
public sealed class TwoFactorLoginPageModel(SignInManager<StaffUser> signIn, AuditLog audit, BroadsheetDbContext db) : PageModel, IStaffPage
{
    public string Title => "Two-factor sign-in";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool RememberMe { get; set; }

    [BindProperty(Name = "code")]
    public string? Code { get; set; }

    [BindProperty(Name = "recovery")]
    public bool UseRecoveryCode { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? Redirect("/admin/login") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            // The password step's cookie expired (or never was): start again.
            return Redirect("/admin/login");
        }

        // Recovery codes keep their dash ("ABCDE-FGHIJ"); app codes lose spaces and dashes people type.
        var code = UseRecoveryCode ? (Code ?? "").Replace(" ", "", StringComparison.Ordinal) : TwoFactorPageModel.Normalize(Code);
        var result = code.Length == 0
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : UseRecoveryCode
                ? await signIn.TwoFactorRecoveryCodeSignInAsync(code)
                : await signIn.TwoFactorAuthenticatorSignInAsync(code, RememberMe, rememberClient: false);
        if (result.Succeeded)
        {
            audit.Record(UseRecoveryCode ? "account.sign-in-recovery-code" : "account.sign-in", "account", user.Id, null, user.Email);
            await db.SaveChangesAsync();
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin");
        }

        audit.Record(result.IsLockedOut ? "account.locked-out" : "account.two-factor-failed", "account", user.Id, null, user.Email);
        await db.SaveChangesAsync();
        Error = result.IsLockedOut
            ? "Too many failed attempts: this account is locked for 15 minutes. Try again later."
            : UseRecoveryCode ? "That recovery code is not right, or was already used." : "That code is not right. Type the six digits your app shows now.";
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}

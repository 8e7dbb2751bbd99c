using System.ComponentModel.DataAnnotations;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Email;
using Broadsheet.Site;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Accounts;

/// <summary>
/// Staff who forgot their password get a reset link by email. The answer is the same whether or
/// not the address has an account, so the form cannot be used to find out who works here.
/// </summary>
[AllowAnonymous]
public sealed class ForgotPasswordPageModel(
    UserManager<StaffUser> users, PasswordLinks links, AuditLog audit, BroadsheetDbContext db,
    TimeProvider time, ILogger<ForgotPasswordPageModel> logger)
    : PageModel, IStaffPage
{
    private const int LinksPerHour = 3;

    public string Title => "Reset your password";

    [BindProperty]
    [Required(ErrorMessage = "Please enter your email address.")]
    [EmailAddress(ErrorMessage = "Please enter a valid email address.")]
    [StringLength(256)]
    public string Email { get; set; } = "";

    public bool Sent { get; private set; }

    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var user = await users.FindByEmailAsync(Email.Trim());
        // A disabled account gets no link: resetting a password must not be a way back in.
        if (user is not null && !StaffAccounts.IsDisabled(user) && !await TooManyAsync(user, cancellationToken))
        {
            try
            {
                await links.SendResetAsync(user, Request, cancellationToken);
            }
            catch (SiteAddressUnknownException e)
            {
                // Most likely a forged Host header. The same answer as for an unknown address, so that
                // it does not tell whether the account exists; the log says what to set if it is not.
                logger.LogError(e, "Did not send a password reset link");
                Sent = true;
                return Page();
            }
            catch (Exception e) when (MailSender.IsDeliveryFailure(e))
            {
                logger.LogError(e, "Could not send a password reset link");
                Problem = "We could not send the email just now. Please try again in a few minutes.";
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Page();
            }

            audit.Record("account.password-reset-requested", "account", user.Id, null, user.Email);
            await db.SaveChangesAsync(cancellationToken);
        }

        Sent = true;
        return Page();
    }

    // A few links an hour per account: enough for a typo, not enough to flood a colleague's inbox.
    private async Task<bool> TooManyAsync(StaffUser user, CancellationToken cancellationToken)
    {
        var hourAgo = time.GetUtcNow().UtcDateTime.AddHours(-1);
        return await db.AuditEntries.CountAsync(
            e => e.Action == "account.password-reset-requested" && e.TargetId == user.Id && e.At > hourAgo, cancellationToken) >= LinksPerHour;
    }
}

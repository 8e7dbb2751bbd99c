using System.ComponentModel.DataAnnotations;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Email;
using Broadsheet.Site;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Accounts;

/// <summary>
/// Staff who forgot their password get a reset link by email. The answer is the same whether or
/// not the address has an account, so the form cannot be used to find out who works here.
/// </summary>
[AllowAnonymous]
public sealed class ForgotPasswordPageModel(
    UserManager<StaffUser> users, MailSender mail, SiteOptions site, SiteUrls urls, AuditLog audit, BroadsheetDbContext db,
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
        if (user is not null && !await TooManyAsync(user, cancellationToken))
        {
            var token = WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
            var link = urls.Absolute(Request, $"/admin/reset-password?user={Uri.EscapeDataString(user.Id)}&token={token}");
            try
            {
                await mail.SendAsync(new OutgoingMail(user.Email!, $"Reset your password for {site.Name}",
                    $"Someone, hopefully you, asked to reset the password of your {site.Name} newsroom account.\n\n" +
                    $"Choose a new password here within {ResetLinks.LifetimeHours} hours:\n\n{link}\n\n" +
                    "The link works once. If you did not ask for it, ignore this message: your password stays as it is.\n"), cancellationToken);
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

/// <summary>How long a password reset link works (Identity's reset token lifetime).</summary>
public static class ResetLinks
{
    public const int LifetimeHours = 2;
}

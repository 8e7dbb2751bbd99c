using System.Text;
using Broadsheet.Infrastructure.Email;
using Broadsheet.Site;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Broadsheet.Accounts;

/// <summary>
/// Emails a link to <c>/admin/reset-password</c> carrying an Identity password-reset token: to
/// someone who forgot their password, and to a new colleague, who chooses their first password
/// through the same page (nobody else ever knows it). Delivery failures are the caller's to report
/// (<see cref="MailSender.IsDeliveryFailure"/>).
/// </summary>
public sealed class PasswordLinks(UserManager<StaffUser> users, MailSender mail, SiteOptions site, SiteUrls urls)
{
    /// <summary>How long a link works (Identity's reset token lifetime).</summary>
    public const int LifetimeHours = 2;

    public async Task SendResetAsync(StaffUser user, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var link = await LinkAsync(user, request);
        await mail.SendAsync(new OutgoingMail(user.Email!, $"Reset your password for {site.Name}",
            $"Someone, hopefully you, asked to reset the password of your {site.Name} newsroom account.\n\n" +
            $"Choose a new password here within {LifetimeHours} hours:\n\n{link}\n\n" +
            "The link works once. If you did not ask for it, ignore this message: your password stays as it is.\n"), cancellationToken);
    }

    /// <summary>The message a new account gets (or one an Administrator sends again): choose your password.</summary>
    public async Task SendWelcomeAsync(StaffUser user, string role, string invitedBy, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var link = await LinkAsync(user, request);
        await mail.SendAsync(new OutgoingMail(user.Email!, $"Your {site.Name} newsroom account",
            $"Hello {user.DisplayName},\n\n{invitedBy} has given you {StaffRoles.WithArticle(role)} account in the {site.Name} newsroom.\n\n" +
            $"Choose your password here within {LifetimeHours} hours:\n\n{link}\n\n" +
            $"Then sign in at {urls.ForEmail(request, "/admin/login")} with this email address. If the link has expired, " +
            "use \"Forgot your password?\" on the sign-in page, or ask an Administrator for a new link.\n"), cancellationToken);
    }

    private async Task<string> LinkAsync(StaffUser user, HttpRequest request)
    {
        var token = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        return urls.ForEmail(request, $"/admin/reset-password?user={Uri.EscapeDataString(user.Id)}&token={token}");
    }
}

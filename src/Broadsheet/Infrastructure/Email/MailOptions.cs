using System.ComponentModel.DataAnnotations;
using MailKit.Security;
using MimeKit;

namespace Broadsheet.Infrastructure.Email;

/// <summary>
/// Outgoing email (password resets, commenters' data-rights links). Section <c>Broadsheet:Mail</c>.
/// With no <see cref="SmtpHost"/>, messages are written as <c>.eml</c> files into
/// <see cref="PickupDirectory"/> instead, so a fresh install works without a mail server.
/// </summary>
public sealed class MailOptions : IValidatableObject
{
    public const string SectionName = "Broadsheet:Mail";

    /// <summary>The SMTP server (e.g. <c>smtp.example.com</c>); empty writes <c>.eml</c> files instead.</summary>
    public string? SmtpHost { get; set; }

    /// <summary>587 for STARTTLS submission, 465 for TLS on connect, 25 on a trusted relay.</summary>
    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary><c>Auto</c> (TLS when the server offers it), <c>None</c>, <c>StartTls</c> or <c>SslOnConnect</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    /// <summary>SMTP user name; empty sends without authenticating.</summary>
    public string? UserName { get; set; }

    /// <summary>SMTP password: set it through an environment variable or a secret store, never in the repository.</summary>
    public string? Password { get; set; }

    /// <summary>The sender readers see, e.g. <c>The Broadsheet &lt;newsroom@example.com&gt;</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string From { get; set; } = "The Broadsheet <newsroom@localhost>";

    /// <summary>Where messages go without an SMTP server, relative to the data folder.</summary>
    [Required(AllowEmptyStrings = false)]
    public string PickupDirectory { get; set; } = "mail";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult(
                $"{SectionName}:From '{From}' is not an email address. Use e.g. 'The Broadsheet <newsroom@example.com>'.",
                [nameof(From)]);
        }

        if (!string.IsNullOrWhiteSpace(UserName) && string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult(
                $"{SectionName}:UserName is set but {SectionName}:Password is empty. Set both, or neither to send without authenticating.",
                [nameof(Password)]);
        }
    }
}

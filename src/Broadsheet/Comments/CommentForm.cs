using System.Globalization;
using System.Net.Mail;

namespace Broadsheet.Comments;

/// <summary>
/// The comment form as posted, with WordPress's field names so migrations and habits carry over.
/// Everything the reader typed is kept as typed, so a rejected form re-renders with it intact.
/// </summary>
public sealed class CommentForm
{
    public const string HoneypotField = "hp_check";

    public string? Comment { get; set; }

    public string? Author { get; set; }

    public string? Email { get; set; }

    public string? Url { get; set; }

    public string? SaveDetails { get; set; }

    public int ArticleId { get; set; }

    public int? ParentId { get; set; }

    public string? Stamp { get; set; }

    /// <summary>Hidden from people; bots that fill every field fill this one too.</summary>
    public string? Honeypot { get; set; }

    /// <summary>
    /// The form as posted. Read by hand rather than by MVC's model binding, which cost the comment POST
    /// a twentieth of its CPU for nine fields; its rules for these fields: the first value of a field,
    /// an empty or blank field as none, a number that does not parse as none.
    /// </summary>
    public static CommentForm Read(IFormCollection posted)
    {
        ArgumentNullException.ThrowIfNull(posted);
        return new CommentForm
        {
            Comment = Field(posted, "comment"),
            Author = Field(posted, "author"),
            Email = Field(posted, "email"),
            Url = Field(posted, "url"),
            SaveDetails = Field(posted, "wp-comment-cookies-consent"),
            ArticleId = Number(posted, "comment_post_ID") ?? 0,
            ParentId = Number(posted, "comment_parent"),
            Stamp = Field(posted, "form_stamp"),
            Honeypot = Field(posted, HoneypotField),
        };
    }

    private static string? Field(IFormCollection posted, string name) =>
        posted[name] is { Count: > 0 } values && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;

    private static int? Number(IFormCollection posted, string name) =>
        int.TryParse(Field(posted, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>Checks each field; returns the field name (as posted) and a message a reader can act on.</summary>
    public Dictionary<string, string> Validate(out CommentCandidateFields fields)
    {
        var errors = new Dictionary<string, string>();
        var text = (Comment ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        var name = (Author ?? "").Trim();
        var email = (Email ?? "").Trim();
        var url = (Url ?? "").Trim();

        if (!Infrastructure.Text.VisibleText.HasAny(text))
        {
            errors["comment"] = "Please type your comment.";
        }
        else if (text.Length > CommentLimits.Text)
        {
            errors["comment"] = $"Your comment is too long: {text.Length:N0} characters, at most {CommentLimits.Text:N0}.";
        }
        else if (!IsText(text, allowNewLines: true))
        {
            errors["comment"] = "Your comment contains characters that are not text. Please remove them.";
        }

        if (!Infrastructure.Text.VisibleText.HasAny(name))
        {
            errors["author"] = "Please enter your name.";
        }
        else if (name.Length > CommentLimits.Name)
        {
            errors["author"] = $"Your name is too long: at most {CommentLimits.Name} characters.";
        }
        else if (!IsText(name, allowNewLines: false))
        {
            errors["author"] = "Your name contains characters that are not text.";
        }

        if (!IsEmail(email))
        {
            errors["email"] = email.Length > CommentLimits.Email
                ? $"Your email address is too long: at most {CommentLimits.Email} characters."
                : "Please enter a valid email address.";
        }

        string? website = null;
        if (url.Length > 0)
        {
            website = url.Contains("://", StringComparison.Ordinal) ? url : "https://" + url;
            if (url.Length > CommentLimits.Url)
            {
                errors["url"] = $"Your website address is too long: at most {CommentLimits.Url} characters.";
            }
            else if (!Uri.TryCreate(website, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || !IsText(website, allowNewLines: false) || !uri.Host.Contains('.', StringComparison.Ordinal))
            {
                errors["url"] = "Please enter a valid website address, like https://example.com.";
            }
        }

        fields = new CommentCandidateFields(text, name, email, website);
        return errors;
    }

    private static bool IsText(string value, bool allowNewLines) =>
        !value.Any(c => c == '\uFFFD' || (char.IsControl(c) && !(allowNewLines && c is '\n' or '\t')));

    /// <summary>One address of at most <see cref="CommentLimits.Email"/> characters, nothing around it, with a dotted domain: what a reader can receive mail at.</summary>
    internal static bool IsEmail(string value) =>
        value.Length is > 0 and <= CommentLimits.Email
        && MailAddress.TryCreate(value, out var address)
        && address.Address == value
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !value.Any(char.IsWhiteSpace)
        && IsText(value, allowNewLines: false);
}

/// <summary>The form's fields after trimming and normalising, valid.</summary>
public sealed record CommentCandidateFields(string Text, string Name, string Email, string? Url);

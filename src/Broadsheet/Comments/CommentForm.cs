using System.Net.Mail;
using Microsoft.AspNetCore.Mvc;

namespace Broadsheet.Comments;

/// <summary>
/// The comment form as posted, with WordPress's field names so migrations and habits carry over.
/// Everything the reader typed is kept as typed, so a rejected form re-renders with it intact.
/// </summary>
public sealed class CommentForm
{
    public const string HoneypotField = "hp_check";

    [BindProperty(Name = "comment")]
    public string? Comment { get; set; }

    [BindProperty(Name = "author")]
    public string? Author { get; set; }

    [BindProperty(Name = "email")]
    public string? Email { get; set; }

    [BindProperty(Name = "url")]
    public string? Url { get; set; }

    [BindProperty(Name = "wp-comment-cookies-consent")]
    public string? SaveDetails { get; set; }

    [BindProperty(Name = "comment_post_ID")]
    public int ArticleId { get; set; }

    [BindProperty(Name = "comment_parent")]
    public int? ParentId { get; set; }

    [BindProperty(Name = "form_stamp")]
    public string? Stamp { get; set; }

    /// <summary>Hidden from people; bots that fill every field fill this one too.</summary>
    [BindProperty(Name = HoneypotField)]
    public string? Honeypot { get; set; }

    /// <summary>Checks each field; returns the field name (as posted) and a message a reader can act on.</summary>
    public Dictionary<string, string> Validate(out CommentCandidateFields fields)
    {
        var errors = new Dictionary<string, string>();
        var text = (Comment ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        var name = (Author ?? "").Trim();
        var email = (Email ?? "").Trim();
        var url = (Url ?? "").Trim();

        if (text.Length == 0)
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

        if (name.Length == 0)
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

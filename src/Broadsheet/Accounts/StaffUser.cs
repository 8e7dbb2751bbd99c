using Microsoft.AspNetCore.Identity;

namespace Broadsheet.Accounts;

/// <summary>A newsroom account (ASP.NET Core Identity). Readers have no accounts.</summary>
public sealed class StaffUser : IdentityUser
{
    /// <summary>How the person is shown to other staff and in the audit log.</summary>
    public string DisplayName { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}

/// <summary>WordPress's roles and meanings.</summary>
public static class StaffRoles
{
    /// <summary>Everything: settings, users, the audit log.</summary>
    public const string Administrator = nameof(Administrator);

    /// <summary>All articles and all comments.</summary>
    public const string Editor = nameof(Editor);

    /// <summary>Writes and publishes their own articles; moderates comments on them.</summary>
    public const string Author = nameof(Author);

    /// <summary>Writes their own drafts and submits them for review; cannot publish.</summary>
    public const string Contributor = nameof(Contributor);

    public static readonly IReadOnlyList<string> All = [Administrator, Editor, Author, Contributor];

    /// <summary>"an Editor", "a Contributor": for sentences.</summary>
    public static string WithArticle(string role) =>
        role is [var first, ..] && "AEIOU".Contains(first, StringComparison.Ordinal) ? $"an {role}" : $"a {role}";

    public static string? Parse(string? name) => All.FirstOrDefault(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase));
}

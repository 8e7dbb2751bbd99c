using Microsoft.AspNetCore.Authorization;

namespace Broadsheet.Accounts;

/// <summary>
/// One authorization policy per permission; pages and handlers ask for a permission, never for
/// a role, so what a role may do is decided here and only here.
/// </summary>
public static class Permissions
{
    /// <summary>Any staff page at all.</summary>
    public const string UseAdmin = "permission:use-admin";

    /// <summary>The comment moderation desk (Authors see only comments on their own articles).</summary>
    public const string ModerateComments = "permission:moderate-comments";

    /// <summary>Site settings, staff accounts and the audit log.</summary>
    public const string ManageSite = "permission:manage-site";

    /// <summary>Write articles: every role; Authors and Contributors only their own.</summary>
    public const string WriteArticles = "permission:write-articles";

    /// <summary>Edit anyone's articles.</summary>
    public const string EditAllArticles = "permission:edit-all-articles";

    /// <summary>Publish, schedule and unpublish (Contributors submit for review instead).</summary>
    public const string PublishArticles = "permission:publish-articles";

    /// <summary>
    /// Edit any byline (name, bio, photo) and link bylines to staff accounts. Everyone who writes may
    /// edit the byline linked to their own account.
    /// </summary>
    public const string EditAllBylines = "permission:edit-all-bylines";

    private static readonly Dictionary<string, string[]> RolesWith = new()
    {
        [UseAdmin] = [StaffRoles.Administrator, StaffRoles.Editor, StaffRoles.Author, StaffRoles.Contributor],
        [ModerateComments] = [StaffRoles.Administrator, StaffRoles.Editor, StaffRoles.Author],
        [ManageSite] = [StaffRoles.Administrator],
        [WriteArticles] = [StaffRoles.Administrator, StaffRoles.Editor, StaffRoles.Author, StaffRoles.Contributor],
        [EditAllArticles] = [StaffRoles.Administrator, StaffRoles.Editor],
        [PublishArticles] = [StaffRoles.Administrator, StaffRoles.Editor, StaffRoles.Author],
        [EditAllBylines] = [StaffRoles.Administrator, StaffRoles.Editor],
    };

    /// <summary>Whether <paramref name="user"/> holds <paramref name="permission"/> (for decisions inside a handler).</summary>
    public static bool Has(System.Security.Claims.ClaimsPrincipal user, string permission) =>
        user?.Identity?.IsAuthenticated == true && RolesWith[permission].Any(user.IsInRole);

    public static IReadOnlyCollection<string> All => RolesWith.Keys;

    public static IReadOnlyList<string> RolesFor(string permission) => RolesWith[permission];

    public static void AddPolicies(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (permission, roles) in RolesWith)
        {
            options.AddPolicy(permission, policy => policy.RequireAuthenticatedUser().RequireRole(roles));
        }
    }
}

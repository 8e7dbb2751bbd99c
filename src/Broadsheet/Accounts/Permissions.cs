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

    private static readonly Dictionary<string, string[]> RolesWith = new()
    {
        [UseAdmin] = [StaffRoles.Administrator, StaffRoles.Editor, StaffRoles.Author, StaffRoles.Contributor],
        [ModerateComments] = [StaffRoles.Administrator, StaffRoles.Editor, StaffRoles.Author],
        [ManageSite] = [StaffRoles.Administrator],
    };

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

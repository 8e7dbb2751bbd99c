using System.Security.Claims;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;

namespace Broadsheet.Admin;

/// <summary>
/// Adds audit entries to the pending changes of the request's DbContext, so an entry is saved in
/// the same transaction as the change it describes (no entry without the change, nor the reverse).
/// </summary>
public sealed class AuditLog(BroadsheetDbContext db, IHttpContextAccessor http, TimeProvider time)
{
    /// <summary>The signed-in staff member, or null outside a request (CLI, background work).</summary>
    public string? CurrentUserName => http.HttpContext?.User.Identity?.Name;

    public void Record(string action, string? targetType = null, string? targetId = null, string? details = null, string? userName = null)
    {
        var context = http.HttpContext;
        var user = context?.User;
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            UserId = user?.FindFirstValue(ClaimTypes.NameIdentifier),
            UserName = userName ?? user?.Identity?.Name ?? "system",
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Details = details is { Length: > 2000 } ? details[..2000] : details,
            IpPrefix = IpPrivacy.Truncate(context?.Connection.RemoteIpAddress),
        });
    }
}

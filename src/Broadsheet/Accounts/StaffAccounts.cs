using System.Security.Cryptography;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;

namespace Broadsheet.Accounts;

/// <summary>Creates staff accounts (the setup page and the CLI's <c>user add</c>), with an audit entry.</summary>
public sealed class StaffAccounts(UserManager<StaffUser> users, AuditLog audit, BroadsheetDbContext db, TimeProvider time)
{
    public async Task<IdentityResult> CreateAsync(string email, string? displayName, string role, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        email = email.Trim();
        var user = new StaffUser
        {
            UserName = email,
            Email = email,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email.Split('@')[0] : displayName.Trim(),
            CreatedAt = time.GetUtcNow().UtcDateTime,
            EmailConfirmed = true,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return created;
        }

        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return added;
        }

        audit.Record("account.create", "account", user.Id, $"{role} {email}", userName: audit.CurrentUserName ?? "cli");
        await db.SaveChangesAsync(cancellationToken);
        return IdentityResult.Success;
    }
}

public static class StaffPasswords
{
    /// <summary>20 characters from a 56-symbol alphabet without look-alikes: about 116 bits.</summary>
    public static string Generate() =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
}

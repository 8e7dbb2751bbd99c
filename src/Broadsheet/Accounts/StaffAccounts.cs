using System.Security.Cryptography;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Broadsheet.Accounts;

/// <summary>What became of a change to someone's account, in words for the Administrator who asked.</summary>
public sealed record AccountChange(bool Done, string Message);

/// <summary>
/// Creates and changes staff accounts (the setup page, the CLI's <c>user add</c>, the users page),
/// each change with its audit entry. The site never loses its last Administrator who can sign in:
/// demoting or disabling them is refused.
/// </summary>
public sealed class StaffAccounts(UserManager<StaffUser> users, AuditLog audit, BroadsheetDbContext db, TimeProvider time)
{
    // Disabling is a lockout without end. A real date rather than DateTimeOffset.MaxValue, which
    // PostgreSQL (microseconds) cannot store exactly; anything past the year 9000 reads as disabled.
    /// <summary>The lockout end that marks an account as disabled (also what a restored disabled account gets).</summary>
    public static readonly DateTimeOffset DisabledUntil = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DisabledFrom = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Whether an Administrator disabled the account (as opposed to a lockout after failed sign-ins, which ends by itself).</summary>
    public static bool IsDisabled(StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return IsDisabled(user.LockoutEnd);
    }

    /// <inheritdoc cref="IsDisabled(StaffUser)"/>
    public static bool IsDisabled(DateTimeOffset? lockoutEnd) => lockoutEnd >= DisabledFrom;

    /// <summary>
    /// A new account with one role. Without a <paramref name="password"/> the account cannot sign in
    /// until its owner chooses one through an emailed link (<see cref="PasswordLinks"/>).
    /// </summary>
    public async Task<IdentityResult> CreateAsync(string email, string? displayName, string role, string? password, CancellationToken cancellationToken)
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
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
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

    /// <summary>Gives the account exactly <paramref name="role"/> (accounts have one role each).</summary>
    public async Task<AccountChange> ChangeRoleAsync(StaffUser user, string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        // Both steps or neither: an account left without a role could sign in and do nothing, or worse, keep a role it lost.
        await using var transaction = await LockAdministratorsAsync(cancellationToken);
        var current = await users.GetRolesAsync(user);
        if (current.Count == 1 && current[0] == role)
        {
            return new(true, $"{user.DisplayName} is already {StaffRoles.WithArticle(role)}: nothing changed.");
        }

        if (role != StaffRoles.Administrator && await IsLastAdministratorAsync(user, cancellationToken))
        {
            return new(false, $"{user.DisplayName} is the only Administrator who can sign in, so they stay one: make someone else an Administrator first.");
        }

        Check(await users.RemoveFromRolesAsync(user, current));
        Check(await users.AddToRoleAsync(user, role));
        audit.Record("account.role-change", "account", user.Id, $"{user.Email}: {string.Join(", ", current)} → {role}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // Open sessions pick the new role up at their next security-stamp check (within a minute).
        return new(true, $"{user.DisplayName} is now {StaffRoles.WithArticle(role)}.");
    }

    /// <summary>Stops the account from signing in, and ends its sessions, until an Administrator enables it again.</summary>
    public async Task<AccountChange> DisableAsync(StaffUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (IsDisabled(user))
        {
            return new(true, $"{user.DisplayName}'s account is already disabled.");
        }

        await using var transaction = await LockAdministratorsAsync(cancellationToken);
        if (await IsLastAdministratorAsync(user, cancellationToken))
        {
            return new(false, $"{user.DisplayName} is the only Administrator who can sign in, so their account stays enabled: make someone else an Administrator first.");
        }

        Check(await users.SetLockoutEnabledAsync(user, true));
        Check(await users.SetLockoutEndDateAsync(user, DisabledUntil));
        // The lockout stops new sign-ins; a new security stamp ends the sessions already open.
        Check(await users.UpdateSecurityStampAsync(user));
        audit.Record("account.disable", "account", user.Id, user.Email);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(true, $"{user.DisplayName}'s account is disabled and signed out everywhere.");
    }

    /// <summary>Lets the account sign in again: ends a disablement and a lockout after failed sign-ins alike.</summary>
    public async Task<AccountChange> EnableAsync(StaffUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!(user.LockoutEnd > time.GetUtcNow()))
        {
            return new(true, $"{user.DisplayName} could already sign in: nothing changed.");
        }

        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
        audit.Record("account.enable", "account", user.Id, user.Email);
        await db.SaveChangesAsync(cancellationToken);
        return new(true, $"{user.DisplayName} can sign in again.");
    }

    /// <summary>Ends every session of the account (a lost laptop, a shared computer) at its next check, within a minute.</summary>
    public async Task<AccountChange> SignOutEverywhereAsync(StaffUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        Check(await users.UpdateSecurityStampAsync(user));
        audit.Record("account.sign-out-everywhere", "account", user.Id, user.Email);
        await db.SaveChangesAsync(cancellationToken);
        return new(true, $"{user.DisplayName} is signed out everywhere (within a minute).");
    }

    /// <summary>
    /// Begins the transaction in which a change that could take away the last Administrator checks
    /// and makes itself, so that two Administrators demoting or disabling each other at the same
    /// instant cannot both pass the check. On SQLite, EF begins with <c>BEGIN IMMEDIATE</c>, which
    /// takes the database's one write lock: the second change waits at the start. On PostgreSQL (read
    /// committed) the no-op update below locks the Administrator role's row until commit: the second
    /// change waits on it, and its check, a later statement, then reads what the first committed.
    /// (A serializable transaction would also catch the race, but by failing one of the two with an
    /// error to retry; waiting gives the second Administrator the page's usual refusal instead.)
    /// </summary>
    private async Task<IDbContextTransaction> LockAdministratorsAsync(CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var administrator = users.NormalizeName(StaffRoles.Administrator);
        await db.Roles.Where(r => r.NormalizedName == administrator)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ConcurrencyStamp, r => r.ConcurrencyStamp), cancellationToken);
        return transaction;
    }

    /// <summary>
    /// Whether <paramref name="user"/> is the one Administrator left who can sign in. Call it inside
    /// <see cref="LockAdministratorsAsync"/>: it reads the accounts afresh and untracked, because the
    /// ones this request loaded before it waited for the lock may since have been changed.
    /// </summary>
    private async Task<bool> IsLastAdministratorAsync(StaffUser user, CancellationToken cancellationToken)
    {
        var administrator = users.NormalizeName(StaffRoles.Administrator);
        var administrators = await db.Users.AsNoTracking()
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == administrator)))
            .Select(u => new { u.Id, u.LockoutEnd })
            .ToListAsync(cancellationToken);
        // Filtered here: SQLite stores the lockout end as text, which it cannot compare as a date.
        return administrators.Where(a => !IsDisabled(a.LockoutEnd)).Select(a => a.Id).ToList() is [var only] && only == user.Id;
    }

    // Identity reports failures as results; on these steps one means a bug or a database fault, never the user's input.
    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}

public static class StaffPasswords
{
    /// <summary>20 characters from a 56-symbol alphabet without look-alikes: about 116 bits.</summary>
    public static string Generate() =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
}

using System.Security.Cryptography;
using System.Text;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Infrastructure.Security;

/// <summary>
/// The site's secret for keyed hashes (avatars, rate-limit keys, signed form stamps). Created at
/// random on first use and kept in the database, so every app node shares it and it survives
/// restarts; it is never in the repository or in configuration files.
/// </summary>
public sealed class SiteKeys(IServiceScopeFactory scopes)
{
    private const string SettingKey = "secret:hash-key";
    private readonly Lazy<byte[]> _key = new(() => LoadOrCreate(scopes), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Reads (or creates) the key now. Called at start-up: creating it lazily inside another
    /// transaction would make it wait on that transaction's lock (SQLite has one writer).
    /// </summary>
    public void EnsureLoaded() => _ = _key.Value;

    /// <summary>A hex HMAC-SHA256 of <paramref name="value"/>, separated by <paramref name="purpose"/> so one hash never stands in for another.</summary>
    public string Hash(string purpose, string value)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(value);
        var mac = HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes($"{purpose}\n{value}"));
        return Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }

    public bool Verify(string purpose, string value, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(purpose, value)), Encoding.ASCII.GetBytes(hash));

    private static byte[] LoadOrCreate(IServiceScopeFactory scopes)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        var stored = db.SiteSettings.AsNoTracking().Where(s => s.Key == SettingKey).Select(s => s.Value).FirstOrDefault();
        if (stored is not null)
        {
            return Convert.FromBase64String(stored);
        }

        db.SiteSettings.Add(new SiteSetting { Key = SettingKey, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        try
        {
            db.SaveChanges();
        }
        catch (DbUpdateException)
        {
            // Another node created it first; use theirs.
        }

        return Convert.FromBase64String(db.SiteSettings.AsNoTracking().Where(s => s.Key == SettingKey).Select(s => s.Value).First());
    }
}

using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Email;
using Broadsheet.Infrastructure.Security;
using Broadsheet.Site;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Broadsheet.Privacy;

/// <summary>
/// Confirms that a reader owns an email address before showing or erasing what the site holds for
/// it: a single-use link, valid for <see cref="PrivacyOptions.LinkLifetime"/>, sent to that address.
/// </summary>
public sealed class DataRightsLinks(
    BroadsheetDbContext db, SiteKeys keys, MailSender mail, SiteOptions site, IOptions<PrivacyOptions> options, TimeProvider time)
{
    public const string PagePath = "/privacy/comments";

    /// <summary>How long a link works, in words ("24 hours").</summary>
    public string LifetimeText
    {
        get
        {
            var lifetime = options.Value.LinkLifetime;
            var hours = (int)Math.Round(lifetime.TotalHours);
            return hours >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{hours} hour{(hours == 1 ? "" : "s")}")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)lifetime.TotalMinutes} minutes");
        }
    }

    /// <summary>
    /// Sends a link to <paramref name="email"/>, whether or not the site holds comments for it (the
    /// answer must not tell a stranger whether an address has commented). Returns the seconds to
    /// wait when the limits are reached, or null when the link was sent.
    /// </summary>
    public async Task<int?> SendAsync(string email, IPAddress? requester, Func<string, string> absoluteUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(absoluteUrl);
        var now = time.GetUtcNow().UtcDateTime;
        var hourAgo = now.AddHours(-1);
        var commenterKey = CommentDerivedFields.AvatarKey(keys, email);
        var ipHash = requester is null ? null : keys.Hash("ip", requester.ToString());

        var forEmail = await db.DataRightsRequests.CountAsync(r => r.CommenterKey == commenterKey && r.CreatedAt > hourAgo, cancellationToken);
        var fromAddress = ipHash is null ? 0 : await db.DataRightsRequests.CountAsync(r => r.IpHash == ipHash && r.CreatedAt > hourAgo, cancellationToken);
        if (forEmail >= options.Value.RequestsPerEmailPerHour || fromAddress >= options.Value.RequestsPerAddressPerHour)
        {
            var oldest = await db.DataRightsRequests.AsNoTracking()
                .Where(r => r.CreatedAt > hourAgo && (r.CommenterKey == commenterKey || (ipHash != null && r.IpHash == ipHash)))
                .MinAsync(r => r.CreatedAt, cancellationToken);
            return Math.Max(1, (int)Math.Ceiling((oldest.AddHours(1) - now).TotalSeconds));
        }

        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var request = new DataRightsRequest
        {
            TokenHash = HashToken(token),
            CommenterKey = commenterKey,
            CreatedAt = now,
            ExpiresAt = now + options.Value.LinkLifetime,
            IpHash = ipHash,
        };
        db.DataRightsRequests.Add(request);
        await db.SaveChangesAsync(cancellationToken);

        try
        {
            await mail.SendAsync(Message(email, absoluteUrl($"{PagePath}/{token}")), cancellationToken);
        }
        catch
        {
            // No message, no link: the attempt should not count against the reader's hourly limit.
            db.DataRightsRequests.Remove(request);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }

        return null;
    }

    /// <summary>Whether <paramref name="token"/> is a link that still works (does not use it up).</summary>
    public async Task<string?> PeekAsync(string token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var hash = HashToken(token);
        return await db.DataRightsRequests.AsNoTracking()
            .Where(r => r.TokenHash == hash && r.UsedAt == null && r.ExpiresAt > now)
            .Select(r => r.CommenterKey)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Uses the link up and returns whose it is, or null when it has expired or was used. One
    /// conditional update, so two clicks at the same moment cannot both succeed.
    /// </summary>
    public async Task<string?> UseAsync(string token, CancellationToken cancellationToken)
    {
        var commenterKey = await PeekAsync(token, cancellationToken);
        if (commenterKey is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var hash = HashToken(token);
        var used = await db.DataRightsRequests
            .Where(r => r.TokenHash == hash && r.UsedAt == null && r.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.UsedAt, now), cancellationToken);
        return used == 1 ? commenterKey : null;
    }

    private OutgoingMail Message(string email, string link)
    {
        var lifetime = LifetimeText;
        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Someone, hopefully you, asked to see or erase the comments posted on {site.Name} with this email address.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Open this link within {lifetime} to download them or to erase them:")
            .AppendLine()
            .AppendLine(link)
            .AppendLine()
            .AppendLine("The link works once. If you did not ask for it, ignore this message: nothing changes.")
            .ToString();
        return new OutgoingMail(email, $"Your comments on {site.Name}", body);
    }

    private static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

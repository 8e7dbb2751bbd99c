using System.Globalization;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Infrastructure.Caching;

/// <summary>
/// Lets a change made by another process (another node behind the load balancer, the CLI's
/// <c>import</c> while the site is serving) reach this one: its cached pages, what it remembers in
/// <see cref="ContentMemo"/>, and the settings saved on the settings page. Every process stamps a
/// row of its own (<c>content-version/&lt;process&gt;</c>) in the same transaction as its change;
/// <see cref="ContentVersionWatcher"/> reads every process's row every few seconds and acts when a
/// row other than its own has a new stamp.
/// <para>
/// One row per process, because with one shared row a stamp could hide another's: a node that
/// changed content between another node's save and its own next look saw only its own stamp and
/// never learnt of the other change (its settings and remembered articles stayed old).
/// </para>
/// </summary>
public sealed class ContentVersion(TimeProvider time)
{
    /// <summary>Every process's row starts with this (and the single row of versions before one row per process was this key).</summary>
    public const string KeyPrefix = "content-version";

    /// <summary>
    /// A row this old belongs to a process that has gone (a node replaced, a CLI command finished; a
    /// serving process stamps at least every <see cref="KeepAlive"/>): the watchers delete it so that
    /// the rows do not pile up.
    /// </summary>
    internal static readonly TimeSpan Abandoned = TimeSpan.FromDays(30);

    /// <summary>A process that has changed nothing for this long stamps anyway, so that its row never looks <see cref="Abandoned"/>.</summary>
    internal static readonly TimeSpan KeepAlive = TimeSpan.FromDays(1);

    // The value of a row made when a process starts: there, not a change.
    private const string StartedMark = "started";

    /// <summary>This process's row.</summary>
    public string OwnKey { get; } = $"{KeyPrefix}/{Guid.NewGuid():N}";

    /// <summary>Adds a new stamp to the pending changes of <paramref name="db"/>; save it with them.</summary>
    public void Stamp(BroadsheetDbContext db) => Write(db, Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Makes this process's row before it serves, so that the first stamps of concurrent requests
    /// all update one row rather than race to insert it.
    /// </summary>
    internal void AddStartedRow(BroadsheetDbContext db) => Write(db, StartedMark);

    /// <summary>Whether a row's value is a stamp of a change (not the mark of a process starting).</summary>
    internal static bool IsChange(string value) => !value.EndsWith(' ' + StartedMark, StringComparison.Ordinal);

    /// <summary>When the row was written, or null for a row in an older format (never deleted).</summary>
    internal static DateTime? WrittenAt(string value) =>
        DateTime.TryParseExact(value.Split(' ')[0], "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;

    private void Write(BroadsheetDbContext db, string what)
    {
        ArgumentNullException.ThrowIfNull(db);
        var value = $"{time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture)} {what}";
        var row = db.SiteSettings.Local.FirstOrDefault(s => s.Key == OwnKey) ?? db.SiteSettings.Find(OwnKey);
        if (row is null)
        {
            db.SiteSettings.Add(new SiteSetting { Key = OwnKey, Value = value });
        }
        else
        {
            row.Value = value;
        }
    }
}

internal sealed class ContentVersionWatcher(
    IServiceScopeFactory scopes,
    ContentVersion version,
    ContentCache cache,
    Settings.StoredSettings settings,
    TimeProvider time,
    ILogger<ContentVersionWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    // Other processes' rows as of the last look; null until the first.
    private Dictionary<string, string>? _seen;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first look before the site serves: every stamp after it is news to this process.
        await LookSafelyAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await LookSafelyAsync(stoppingToken);
        }
    }

    private async Task LookSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LookAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database blip must not stop the watcher (or the start-up); the next tick tries again.
            logger.LogWarning(e, "Could not read the content version.");
        }
    }

    private async Task LookAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        var rows = await db.SiteSettings.AsNoTracking()
            .Where(s => s.Key.StartsWith(ContentVersion.KeyPrefix))
            .ToDictionaryAsync(s => s.Key, s => s.Value, StringComparer.Ordinal, cancellationToken);
        if (!rows.Remove(version.OwnKey, out var own))
        {
            // Not made yet, or deleted by an import that replaced the site.
            version.AddStartedRow(db);
            await db.SaveChangesAsync(cancellationToken);
        }
        else if (ContentVersion.WrittenAt(own) < time.GetUtcNow().UtcDateTime - ContentVersion.KeepAlive)
        {
            // Nothing changed here for a while: a new stamp shows the others this process is alive (see
            // Abandoned). A stamp, not a mark, so that it cannot hide a change stamped at the same moment.
            version.Stamp(db);
            await db.SaveChangesAsync(cancellationToken);
        }

        if (_seen is null)
        {
            // First look: settings saved by another node since this process read them (at start-up,
            // before migrating and seeding) would otherwise wait for the next change.
            await settings.ReloadAsync(db, cancellationToken);
        }
        else if (rows.Any(row => ContentVersion.IsChange(row.Value) && (!_seen.TryGetValue(row.Key, out var before) || before != row.Value)))
        {
            // Settings first: the pages rendered after the eviction must see them.
            logger.LogInformation("Content changed in another process; reloading settings and evicting cached pages.");
            await settings.ReloadAsync(db, cancellationToken);
            await cache.EverythingChangedAsync(cancellationToken);
        }

        // Only once acted on: after a failed reload the next look sees the change again.
        _seen = rows;
        await ForgetAbandonedAsync(db, rows, cancellationToken);
    }

    private async Task ForgetAbandonedAsync(BroadsheetDbContext db, Dictionary<string, string> rows, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - ContentVersion.Abandoned;
        foreach (var (key, value) in rows)
        {
            if (ContentVersion.WrittenAt(value) < cutoff)
            {
                // Only as last seen: a process that stamps meanwhile keeps its row.
                await db.SiteSettings.Where(s => s.Key == key && s.Value == value).ExecuteDeleteAsync(cancellationToken);
            }
        }
    }
}

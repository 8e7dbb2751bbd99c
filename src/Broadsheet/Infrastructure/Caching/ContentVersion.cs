using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Infrastructure.Caching;

/// <summary>
/// Lets a change made by another process (the CLI's <c>import</c> while the site is serving) evict
/// this process's cached pages. Writers stamp a new version in the same transaction as their
/// change; <see cref="ContentVersionWatcher"/> polls the stamp and evicts every page when a version it
/// did not write itself appears, after reloading the settings saved on the settings page. A single
/// cheap primary-key read every few seconds.
/// </summary>
public sealed class ContentVersion
{
    public const string SettingKey = "content-version";

    private string? _known;

    /// <summary>Adds a new version stamp to the pending changes of <paramref name="db"/>; save it with them.</summary>
    public void Stamp(BroadsheetDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var version = Guid.NewGuid().ToString("N");
        var setting = db.SiteSettings.Local.FirstOrDefault(s => s.Key == SettingKey)
            ?? db.SiteSettings.Find(SettingKey);
        if (setting is null)
        {
            db.SiteSettings.Add(new SiteSetting { Key = SettingKey, Value = version });
        }
        else
        {
            setting.Value = version;
        }

        Volatile.Write(ref _known, version);
    }

    internal bool Observe(string? version) => Interlocked.Exchange(ref _known, version) != version;
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var first = true;
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
                var current = await db.SiteSettings.AsNoTracking()
                    .Where(s => s.Key == ContentVersion.SettingKey).Select(s => s.Value)
                    .FirstOrDefaultAsync(stoppingToken);
                if (version.Observe(current) && !first)
                {
                    // Settings first: the pages rendered after the eviction must see them.
                    logger.LogInformation("Content changed in another process; reloading settings and evicting cached pages.");
                    await settings.ReloadAsync(db, stoppingToken);
                    await cache.EverythingChangedAsync(stoppingToken);
                }

                first = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database blip must not stop the watcher; the next tick tries again.
                logger.LogWarning(e, "Could not read the content version.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

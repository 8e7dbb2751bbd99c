using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Broadsheet.Site;

public static class SiteServiceCollectionExtensions
{
    public static IServiceCollection AddSite(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SiteOptions>()
            .Bind(configuration.GetSection(SiteOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Scoped, from the monitor: the settings page changes these while the site runs, and a
        // request sees one consistent set. Singletons take IOptionsMonitor<SiteOptions> instead.
        services.AddScoped(sp => sp.GetRequiredService<IOptionsMonitor<SiteOptions>>().CurrentValue);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SiteClock>();
        services.AddSingleton<SiteUrls>();
        return services;
    }
}

/// <summary>Converts stored UTC dates to the newsroom's local dates for display and URLs.</summary>
public sealed class SiteClock(IOptionsMonitor<SiteOptions> options, TimeProvider time)
{
    private CachedZone? _zone;

    // The zone can be changed on the settings page while the site runs.
    private TimeZoneInfo Zone
    {
        get
        {
            var id = options.CurrentValue.TimeZone;
            if (Volatile.Read(ref _zone) is { } cached && cached.Id == id)
            {
                return cached.Zone;
            }

            var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            Volatile.Write(ref _zone, new CachedZone(id, zone));
            return zone;
        }
    }

    private sealed record CachedZone(string Id, TimeZoneInfo Zone);

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>
    /// When the newsroom's <paramref name="day"/> begins, in UTC: local midnight, or the first
    /// moment after it where the clocks skip midnight (a daylight-saving change at 00:00).
    /// </summary>
    public DateTime StartOfDayUtc(DateOnly day)
    {
        var zone = Zone;
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return ToUtc(local);
    }

    /// <summary>A newsroom-local wall-clock time as UTC.</summary>
    public DateTime ToUtc(DateTime local) => TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone);

    public DateTimeOffset ToLocalOffset(DateTime utc)
    {
        var zone = Zone;
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return new DateTimeOffset(local, zone.GetUtcOffset(utc));
    }
}

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
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SiteOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SiteClock>();
        services.AddSingleton<SiteUrls>();
        return services;
    }
}

/// <summary>Converts stored UTC dates to the newsroom's local dates for display and URLs.</summary>
public sealed class SiteClock(SiteOptions options, TimeProvider time)
{
    private readonly TimeZoneInfo _zone = options.FindTimeZone();

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);

    /// <summary>
    /// When the newsroom's <paramref name="day"/> begins, in UTC: local midnight, or the first
    /// moment after it where the clocks skip midnight (a daylight-saving change at 00:00).
    /// </summary>
    public DateTime StartOfDayUtc(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (_zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return ToUtc(local);
    }

    /// <summary>A newsroom-local wall-clock time as UTC.</summary>
    public DateTime ToUtc(DateTime local) => TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), _zone);

    public DateTimeOffset ToLocalOffset(DateTime utc)
    {
        var local = ToLocal(utc);
        return new DateTimeOffset(local, _zone.GetUtcOffset(utc));
    }
}

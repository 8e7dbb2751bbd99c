using System.Globalization;
using Broadsheet.Site;

namespace Broadsheet.Articles;

/// <summary>
/// Builds the public, stable URLs of articles: <c>/2025/08/16/slug</c>, with the date of first
/// publication in the newsroom's time zone.
/// </summary>
public sealed class ArticleLinks(SiteClock clock)
{
    public string Article(string slug, DateTime publishedAtUtc)
    {
        var local = clock.ToLocal(publishedAtUtc);
        return string.Create(CultureInfo.InvariantCulture, $"/{local:yyyy}/{local:MM}/{local:dd}/{Uri.EscapeDataString(slug)}");
    }

    public static string Section(string slug) => $"/section/{Uri.EscapeDataString(slug)}";

    public static string Topic(string slug) => $"/topic/{Uri.EscapeDataString(slug)}";

    public static string Author(string slug) => $"/author/{Uri.EscapeDataString(slug)}";

    public static string Latest => "/latest";

    public static string Archive => "/archive";

    /// <summary><c>/archive/2025</c>, <c>/archive/2025/08</c> or <c>/archive/2025/08/16</c>.</summary>
    public static string ArchivePeriod(int year, int? month = null, int? day = null) =>
        string.Create(CultureInfo.InvariantCulture, $"/archive/{year:D4}")
        + (month is { } m ? string.Create(CultureInfo.InvariantCulture, $"/{m:D2}") : "")
        + (month is not null && day is { } d ? string.Create(CultureInfo.InvariantCulture, $"/{d:D2}") : "");
}

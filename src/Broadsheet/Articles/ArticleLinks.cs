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
}

using System.Globalization;

namespace Broadsheet.Site;

/// <summary>How dates read on pages ("August 16, 2025") and in machine-readable attributes (ISO 8601).</summary>
public static class DateFormat
{
    public static string Date(DateTime local) => local.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);

    public static string DateAndTime(DateTime local) => local.ToString("MMMM d, yyyy, h:mm tt", CultureInfo.InvariantCulture);

    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

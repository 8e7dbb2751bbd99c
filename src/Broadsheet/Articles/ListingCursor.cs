using System.Globalization;

namespace Broadsheet.Articles;

/// <summary>
/// A keyset-pagination position in a newest-first listing: "the articles published before this
/// one". Unlike OFFSET, reading page 500 costs the same as page 1, and a story published while the
/// reader pages does not shift the rest by one. Queries compare a position as
/// <c>time &lt;= t &amp;&amp; (time &lt; t || id &lt; i)</c> rather than the equivalent
/// <c>time &lt; t || (time == t &amp;&amp; id &lt; i)</c>: SQLite (and PostgreSQL) start an index
/// range only at a bound that is not inside an OR, so the second form reads every row before the cursor.
/// </summary>
public readonly record struct ListingCursor(DateTime PublishedAt, int Id)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{PublishedAt.Ticks}-{Id}");

    /// <summary>Reads an optional <c>?before=</c> value: false only when one is given and is not a cursor.</summary>
    public static bool TryParseOptional(string? text, out ListingCursor? cursor)
    {
        cursor = null;
        if (text is null)
        {
            return true;
        }

        if (!TryParse(text, out var parsed))
        {
            return false;
        }

        cursor = parsed;
        return true;
    }

    public static bool TryParse(string? text, out ListingCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 40)
        {
            return false;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !int.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        cursor = new ListingCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}

/// <summary>
/// The page before the one shown, written as an ordinary cursor so that paging back lands on the same
/// addresses (and cached copies) as paging forward: none on the first page, the listing's own address
/// when the page before is the first one, or the cursor just past the page before.
/// </summary>
public readonly record struct PreviousPage(bool Exists, ListingCursor? Cursor)
{
    public static PreviousPage None => default;

    public static PreviousPage First => new(true, null);

    /// <summary>The page before's address: <paramref name="path"/>, with <c>?{key}=cursor</c> unless it is the first page.</summary>
    public string? Href(string path, string key) =>
        !Exists ? null : Cursor is { } cursor ? $"{path}?{key}={cursor}" : path;
}

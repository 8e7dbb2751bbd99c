namespace Broadsheet.Infrastructure.Caching;

/// <summary>
/// Tags that cached pages carry so that a change evicts exactly the pages that show it.
/// An article page carries its article's tag; every listing (front page, section pages,
/// latest) carries <see cref="Listings"/>.
/// </summary>
public static class CacheTags
{
    public const string AllPages = "pages";
    public const string Listings = "listings";

    public static string Article(int articleId) => $"article:{articleId}";
}

namespace Broadsheet.Infrastructure.Caching;

/// <summary>
/// Tags that cached pages carry so that a change evicts exactly the pages that show it.
/// An article page carries its article's tag and one per byline; every listing (front page,
/// section, topic and author pages, latest) carries <see cref="Listings"/>.
/// </summary>
public static class CacheTags
{
    public const string AllPages = "pages";
    public const string Listings = "listings";

    public static string Article(int articleId) => $"article:{articleId}";

    /// <summary>
    /// Pages that show a byline's name or photo, by the byline's slug (the article pages it is on),
    /// escaped as in the page's address: tags travel in the <c>Surrogate-Key</c> header, which is ASCII.
    /// </summary>
    public static string Author(string slug) => $"author:{Uri.EscapeDataString(slug)}";
}

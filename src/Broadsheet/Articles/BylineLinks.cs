using Microsoft.AspNetCore.Html;

namespace Broadsheet.Articles;

/// <summary>
/// An article's authors as links, "A, B and C": written in C# rather than a partial view because
/// every listing shows one per story, and a partial costs a view lookup and an activation each
/// time (twenty-one a front page).
/// </summary>
public static class BylineLinks
{
    public static IHtmlContent For(IReadOnlyList<PersonLink> authors)
    {
        ArgumentNullException.ThrowIfNull(authors);
        var html = new HtmlContentBuilder(authors.Count * 6);
        for (var i = 0; i < authors.Count; i++)
        {
            // Append encodes (quotes included, so the slug's link is safe inside the attribute).
            html.AppendHtml("<a class=\"author\" href=\"").Append(ArticleLinks.Author(authors[i].Slug)).AppendHtml("\">")
                .Append(authors[i].Name).AppendHtml("</a>");
            if (i < authors.Count - 1)
            {
                html.AppendHtml(i == authors.Count - 2 ? " and " : ", ");
            }
        }

        return html;
    }
}

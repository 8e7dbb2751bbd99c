using System.Globalization;
using Broadsheet.Articles;
using Broadsheet.Site;
using Microsoft.AspNetCore.Mvc;

namespace Broadsheet.Search;

/// <summary>
/// <c>/search?q=</c>. Not output-cached: every query is different, and cached copies of random
/// queries would only crowd out the pages readers share.
/// </summary>
public sealed class SearchPageModel(ArticleSearch search, ArticleQueries articles, SiteClock clock) : SitePageModel
{
    [FromQuery(Name = "q")]
    public string? Query { get; set; }

    [FromQuery(Name = "section")]
    public string? Section { get; set; }

    [FromQuery(Name = "from")]
    public string? From { get; set; }

    [FromQuery(Name = "to")]
    public string? To { get; set; }

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<TopicLink> Sections { get; private set; } = [];

    public SearchResults? Results { get; private set; }

    public string? Problem { get; private set; }

    public string? NextHref { get; private set; }

    public string? PreviousHref { get; private set; }

    public bool HasFilters => !string.IsNullOrEmpty(Section) || !string.IsNullOrEmpty(From) || !string.IsNullOrEmpty(To);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Title = string.IsNullOrWhiteSpace(Query) ? "Search" : $"Search: {Query}";
        Sections = await articles.NavigationSectionsAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(Query))
        {
            return;
        }

        if (Query.Length > ArticleSearch.MaxQueryLength)
        {
            Query = Query[..ArticleSearch.MaxQueryLength];
        }

        int? sectionId = null;
        if (!string.IsNullOrEmpty(Section))
        {
            sectionId = (await articles.FindSectionAsync(Section, cancellationToken))?.Id;
        }

        if (!TryDay(From, out var from) || !TryDay(To, out var to))
        {
            Problem = "Please enter dates like 2025-08-16.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Results = await search.SearchAsync(new SearchRequest(Query, sectionId, from, to?.AddDays(1), PageNumber), cancellationToken);
        var page = Math.Clamp(PageNumber, 1, ArticleSearch.MaxPage);
        if (Results.HasMore && page < ArticleSearch.MaxPage)
        {
            NextPagePath = NextHref = PageHref(page + 1);
        }

        if (page > 1)
        {
            PreviousPagePath = PreviousHref = PageHref(page - 1);
        }
    }

    /// <summary>This search's page <paramref name="page"/>; the first page has no <c>page</c> parameter.</summary>
    private string PageHref(int page) =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["q"] = Query, ["section"] = Section, ["from"] = From, ["to"] = To,
            ["page"] = page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null,
        }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent().Insert(0, "/search");

    /// <summary>A yyyy-MM-dd day in the newsroom's time zone, as the UTC instant it starts.</summary>
    private bool TryDay(string? text, out DateTime? utc)
    {
        utc = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return false;
        }

        utc = clock.ToUtc(day.ToDateTime(TimeOnly.MinValue));
        return true;
    }
}

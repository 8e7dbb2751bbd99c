using System.Globalization;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace Broadsheet.Articles;

/// <summary>
/// The articles of one year, month or day in the newsroom's time zone, newest first, keyset-paginated.
/// Under <c>/archive/</c> so that <c>/2025/08/16/slug</c> stays the articles' own address space.
/// </summary>
[OutputCache(PolicyName = PageCache.AnonymousPage, Tags = [CacheTags.Listings])]
public sealed class ArchivePageModel(ArticleQueries queries, SiteClock clock, SiteOptions site) : SitePageModel
{
    public string Heading { get; private set; } = "";

    public ArticleListing Listing { get; private set; } = new([], null);

    public string? OlderHref { get; private set; }

    public string? NewerHref { get; private set; }

    /// <summary>On a year's page: its months that have stories, with their counts.</summary>
    public IReadOnlyList<ArchiveMonth> Months { get; private set; } = [];

    public int Year { get; private set; }

    public async Task<IActionResult> OnGetAsync(int year, int? month, int? day, string? before, CancellationToken cancellationToken)
    {
        if (year is < 1900 or > 2999 || month is < 1 or > 12 || (day is { } d && (month is null || d < 1 || d > DateTime.DaysInMonth(year, month.Value)))
            || !ListingCursor.TryParseOptional(before, out var cursor))
        {
            return NotFound();
        }

        var path = ArticleLinks.ArchivePeriod(year, month, day);
        if (!string.Equals(Request.Path.Value, path, StringComparison.Ordinal))
        {
            // /archive/2025/8 and /archive/2025/8/6/: one address per period.
            return RedirectPermanent(path + Request.QueryString);
        }

        var first = new DateOnly(year, month ?? 1, day ?? 1);
        var end = day is not null ? first.AddDays(1) : month is not null ? first.AddMonths(1) : first.AddYears(1);
        var filter = new ListingFilter(FromUtc: clock.StartOfDayUtc(first), ToUtc: clock.StartOfDayUtc(end));
        Listing = await queries.ListAsync(filter, cursor, site.ListingPageSize, cancellationToken);
        if (Listing.Articles.Count == 0)
        {
            return NotFound();
        }

        if (month is null && cursor is null)
        {
            Months = await queries.ArchiveMonthsAsync(filter.FromUtc, filter.ToUtc, cancellationToken);
        }

        Year = year;
        Heading = day is not null ? DateFormat.Date(first.ToDateTime(TimeOnly.MinValue))
            : month is not null ? first.ToString("MMMM yyyy", CultureInfo.InvariantCulture)
            : year.ToString(CultureInfo.InvariantCulture);
        Title = $"Stories from {Heading}";
        Description = $"Everything {site.Name} published in {Heading}.";
        NextPagePath = OlderHref = Listing.OlderHref(path);
        PreviousPagePath = NewerHref = Listing.NewerHref(path);
        CanonicalPath = before is null ? path : $"{path}?before={before}";
        return Page();
    }
}

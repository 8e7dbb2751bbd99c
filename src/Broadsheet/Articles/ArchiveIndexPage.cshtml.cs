using Broadsheet.Infrastructure.Caching;
using Broadsheet.Site;
using Microsoft.AspNetCore.OutputCaching;

namespace Broadsheet.Articles;

/// <summary><c>/archive</c>: every year and month that has stories, with how many, newest first.</summary>
[OutputCache(PolicyName = PageCache.AnonymousPage, Tags = [CacheTags.Listings])]
public sealed class ArchiveIndexPageModel(ArticleQueries queries, SiteOptions site) : SitePageModel
{
    public IReadOnlyList<IGrouping<int, ArchiveMonth>> Years { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var months = await queries.ArchiveMonthsAsync(null, null, cancellationToken);
        Years = months.GroupBy(m => m.Year).ToList();
        Title = "Archive";
        Description = $"Everything {site.Name} has published, by year and month.";
        CanonicalPath = ArticleLinks.Archive;
    }
}

using Broadsheet.Articles;
using Microsoft.AspNetCore.Mvc;

namespace Broadsheet.Site;

/// <summary>The section links in the masthead of every page.</summary>
public sealed class SectionNavigationViewComponent(ArticleQueries queries) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View(await queries.NavigationSectionsAsync(HttpContext.RequestAborted));
}

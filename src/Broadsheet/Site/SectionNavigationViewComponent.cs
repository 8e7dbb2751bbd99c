using Broadsheet.Articles;
using Broadsheet.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Broadsheet.Site;

/// <summary>The section links in the masthead of every page.</summary>
public sealed class SectionNavigationViewComponent(ArticleQueries queries, ILogger<SectionNavigationViewComponent> logger) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        try
        {
            return View(await queries.NavigationSectionsAsync(HttpContext.RequestAborted));
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            // The error page for a database outage uses this layout too: show it without sections.
            logger.LogWarning(e, "Section navigation unavailable.");
            return View(new List<TopicLink>());
        }
    }
}

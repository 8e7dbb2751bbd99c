using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Infrastructure.Data;

/// <summary>
/// Opens the request's database connection once, before a page's handler runs, and keeps it until the
/// request's context goes back to the pool. Left to itself EF Core opens and closes the connection
/// around every query, and a page asks several (the article, its bylines and topics, the comments,
/// the related stories, the navigation): on SQLite each open and close costs more than the query.
/// Pages served from the output cache never get here, so a cache hit opens nothing.
/// </summary>
internal sealed class OneConnectionPerPage : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!IsErrorPage(context.HttpContext))
        {
            var db = context.HttpContext.RequestServices.GetRequiredService<BroadsheetDbContext>();
            await db.Database.OpenConnectionAsync(context.HttpContext.RequestAborted);
        }

        await next();
    }

    /// <summary>
    /// An error page shown for a failure (or a bare status code) must render while the database is
    /// down: it asks only for the navigation, which gives up quietly, so it must not open a
    /// connection first and fail before the page can say "back in a moment".
    /// </summary>
    private static bool IsErrorPage(HttpContext context) =>
        context.Features.Get<IExceptionHandlerFeature>() is not null
        || context.Features.Get<IStatusCodeReExecuteFeature>() is not null;
}

using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Infrastructure.Data;

/// <summary>
/// Opens the request's database connection once for a page's GET handler, and closes it when the
/// handler is done. Left to itself EF Core opens and closes the connection around every query, and
/// a page asks several (the article, its bylines and topics, the comments, the related stories):
/// on SQLite each open and close costs more than the query. Pages served from the output cache
/// never get here, so a cache hit opens nothing.
/// </summary>
/// <remarks>
/// Closed before the page is rendered and sent, so a slow reader never holds a pooled connection
/// (PostgreSQL's are counted). POST handlers are left alone: a comment waits for the writer's next
/// batch, and must not hold a connection of its own while it waits.
/// </remarks>
internal sealed class OneConnectionPerPage : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (!(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) || IsErrorPage(http))
        {
            await next();
            return;
        }

        var db = http.RequestServices.GetRequiredService<BroadsheetDbContext>();
        await db.Database.OpenConnectionAsync(http.RequestAborted);
        try
        {
            await next();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
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

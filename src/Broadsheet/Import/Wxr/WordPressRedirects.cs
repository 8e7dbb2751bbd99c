using System.Globalization;
using Broadsheet.Articles;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Import.Wxr;

/// <summary>
/// Old WordPress links of imported posts answer 301 with the article's address here, so search
/// engines and other sites' links follow the move: <c>/?p=ID</c> and <c>/?page_id=ID</c>, and
/// <c>/slug/</c>. (<c>/yyyy/mm/dd/slug/</c> needs nothing here: the article page already sends
/// any date and a trailing slash to its canonical address, and a WordPress slug that could not be
/// kept is stored as one of the article's old slugs.)
/// </summary>
public static class WordPressRedirects
{
    /// <summary>Before the page cache: the front page is cached whole, and <c>?p=</c> would otherwise get it.</summary>
    public static WebApplication UseWordPressRedirects(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                && request.Path.Value is "/" or "/index.php"
                && (request.Query["p"].FirstOrDefault() ?? request.Query["page_id"].FirstOrDefault()) is { } idText
                && long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && await AddressAsync(context, l => l.WordPressId == id) is { } address)
            {
                context.Response.Redirect(address, permanent: true);
                return;
            }

            await next(context);
        });

        // Every method, so an unknown path still answers 404 (not 405) to a POST.
        app.Map("/{slug}", async context =>
        {
            var slug = context.Request.RouteValues["slug"] as string ?? "";
            if ((HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                && await AddressAsync(context, l => l.Slug == slug) is { } address)
            {
                context.Response.Redirect(address, permanent: true);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
        return app;
    }

    private static async Task<string?> AddressAsync(HttpContext context, System.Linq.Expressions.Expression<Func<WordPressPostLink, bool>> match)
    {
        var db = context.RequestServices.GetRequiredService<BroadsheetDbContext>();
        // Two imported blogs may share an id or a slug: the later import wins.
        var article = await db.Set<WordPressPostLink>().AsNoTracking()
            .Where(match)
            .Join(db.Articles.AsNoTracking().Published(), l => l.ArticleId, a => a.Id, (l, a) => new { a.Id, a.Slug, a.PublishedAt })
            .OrderByDescending(a => a.Id)
            .FirstOrDefaultAsync(context.RequestAborted);
        return article is null ? null : context.RequestServices.GetRequiredService<ArticleLinks>().Article(article.Slug, article.PublishedAt!.Value);
    }
}

using Broadsheet.Accounts;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles.Editing;

/// <summary>
/// <c>GET /admin/topics/suggestions?q=</c>: the names of existing topics whose address starts like
/// the typed text (so "city co" finds "City Council" whatever the case or accents), most used first,
/// for the editor's topics field (editor.js). Matching on the slug uses the slug's unique index.
/// </summary>
public static class TopicSuggestions
{
    public const string Path = "/admin/topics/suggestions";

    public const int Limit = 10;

    public static async Task<List<string>> FindAsync(BroadsheetDbContext db, string? typed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var prefix = Slugs.From(typed ?? "");
        if (prefix.Length == 0)
        {
            return [];
        }

        return await db.Tags.AsNoTracking()
            .Where(t => t.Slug.StartsWith(prefix))
            .OrderByDescending(t => t.Articles.Count).ThenBy(t => t.Name)
            .Select(t => t.Name)
            .Take(Limit)
            .ToListAsync(cancellationToken);
    }

    public static IEndpointRouteBuilder MapTopicSuggestions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, async (string? q, BroadsheetDbContext db, HttpContext http, CancellationToken cancellationToken) =>
            {
                // Staff data: never kept by a shared cache, nor by the browser past this page.
                http.Response.Headers.CacheControl = "private, no-store";
                return TypedResults.Ok(await FindAsync(db, q is { Length: > 100 } ? q[..100] : q, cancellationToken));
            })
            .RequireAuthorization(Permissions.WriteArticles);
        return endpoints;
    }
}

namespace Broadsheet.Infrastructure.Web;

/// <summary>
/// Refuses cross-site form posts without a per-visitor token, so that public pages stay cacheable
/// (DESIGN.md, "Caching and forgery"). Browsers say where a request comes from: Sec-Fetch-Site
/// (modern browsers) or Origin (all browsers on POST). A request with neither did not come from a
/// browser form on another site, so it cannot be a forgery riding on a reader's browser.
/// </summary>
internal sealed class SameOriginPosts(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || IsSameOrigin(request))
        {
            return next(context);
        }

        const string Refusal = "This form was sent from another site, so it was refused. Please post it from this site's page.";
        if (request.Headers.Accept.Any(accept => accept?.Contains("json", StringComparison.OrdinalIgnoreCase) == true))
        {
            // The page's script posts asking for JSON: problem details, as for its other refusals.
            return Results.Problem(detail: Refusal, statusCode: StatusCodes.Status403Forbidden, title: "Sent from another site").ExecuteAsync(context);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsync(Refusal);
    }

    private static bool IsSameOrigin(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
        {
            return fetchSite is "same-origin" or "none";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}

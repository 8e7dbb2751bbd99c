using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Broadsheet.Site;

/// <summary>The page readers see for 404s and other errors, in the site's layout and with the real status code.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorPageModel : SitePageModel
{
    public string Explanation { get; private set; } = "";

    public void OnGet(int code) => Describe(code);

    // Errors can happen on a POST; the re-executed request keeps the method.
    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || HttpContext.Features.Get<IExceptionHandlerPathFeature>() is not null;
        if (!reExecuted)
        {
            Response.StatusCode = code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound;
        }

        if (Response.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            Response.Headers.RetryAfter = "5";
        }

        (Title, Explanation) = Response.StatusCode switch
        {
            404 => ("Page not found", "We couldn't find the page you asked for. It may have moved, or the address may be mistyped."),
            400 => ("Bad request", "The request could not be understood. Please check the address and try again."),
            403 => ("Not allowed", "You don't have permission to see this page."),
            405 => ("Not allowed", "That action isn't available here."),
            429 => ("Too many requests", "You are sending requests too quickly. Please wait a moment and try again."),
            503 => ("Back in a moment", "The site is briefly unavailable. Please try again in a few seconds."),
            >= 500 => ("Something went wrong", "We're sorry: the page could not be shown. Please try again in a moment."),
            _ => ("Something went wrong", "The page could not be shown."),
        };
    }
}

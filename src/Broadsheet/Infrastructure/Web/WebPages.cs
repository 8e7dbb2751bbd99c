using System.IO.Compression;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.ResponseCompression;

namespace Broadsheet.Infrastructure.Web;

public static class WebPages
{
    public static IServiceCollection AddWebPages(this IServiceCollection services)
    {
        // Pages live in their feature folders (Articles/ArticlePage.cshtml), not in /Pages.
        services.AddRazorPages(options => options.RootDirectory = "/");
        services.Configure<MvcOptions>(mvc => mvc.Filters.Add<MethodNotAllowed>());
        // An unchecked box sends nothing and so binds as false (the form models default to false). MVC's
        // extra hidden "false" input after each box would give one form two controls of one name.
        services.Configure<MvcViewOptions>(options => options.HtmlHelperOptions.CheckBoxHiddenInputRenderMode = CheckBoxHiddenInputRenderMode.None);
        services.AddResponseCompression(options =>
        {
            // Public pages carry no secrets, so compressing them over HTTPS is safe (no BREACH target).
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services;
    }

    public static WebApplication UseSitePages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        ProxyOptions.UseTrustedProxies(app); // first, so every later step sees the reader's own address
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error/500",
            // A database or Redis that is restarting is worth retrying in a moment: 503, not 500.
            StatusCodeSelector = exception => TransientFailures.IsTransient(exception) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
            // A reader who closed the tab mid-request ("unexpected end of request content") is not an error of ours.
            SuppressDiagnosticsCallback = context => context.HttpContext.RequestAborted.IsCancellationRequested,
        });
        // 404s and other bare status codes get a real page in the site's layout, keeping their status.
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<SameOriginPosts>();
        return app;
    }
}

/// <summary>
/// A PUT, DELETE or other request to a page with no handler for it answers 405 with the methods it
/// takes. Razor Pages would otherwise render the page without running any handler, so with none of
/// the data it shows (a 500), or quietly ignore a POST it has no handler for.
/// </summary>
internal sealed class MethodNotAllowed : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var method = context.HttpContext.Request.Method;
        // The error page re-executed for a failed PUT or DELETE keeps that method: it must still show the error.
        if (context.HandlerMethod is not null || HttpMethods.IsGet(method) || HttpMethods.IsHead(method)
            || context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null
            || context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null)
        {
            return next();
        }

        var allowed = context.ActionDescriptor.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).Append("GET").Append("HEAD").Distinct();
        context.HttpContext.Response.Headers.Allow = string.Join(", ", allowed.Order(StringComparer.Ordinal));
        context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
        return Task.CompletedTask;
    }
}

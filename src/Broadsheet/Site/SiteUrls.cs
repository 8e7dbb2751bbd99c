using Microsoft.Extensions.Options;

namespace Broadsheet.Site;

/// <summary>Absolute URLs for canonical links, feeds and sitemaps.</summary>
public sealed class SiteUrls(IOptionsMonitor<SiteOptions> options)
{
    public string Absolute(HttpRequest request, string path)
    {
        ArgumentNullException.ThrowIfNull(request);
        var root = options.CurrentValue.PublicUrl is { } configured
            ? configured.GetLeftPart(UriPartial.Authority) + configured.AbsolutePath.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";
        return root + path;
    }

    /// <summary>
    /// A stored image address (a featured image, an author's photo) as an absolute URL: a site path is
    /// put under <paramref name="root"/> (the site's address, as <see cref="Absolute"/> gives for ""),
    /// an http(s) URL (e.g. kept from a WordPress import) is used as it is; anything else is no image.
    /// </summary>
    public static string? Resolve(string root, string? pathOrUrl)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (string.IsNullOrWhiteSpace(pathOrUrl))
        {
            return null;
        }

        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && !pathOrUrl.StartsWith('/'))
        {
            return absolute.Scheme is "http" or "https" ? absolute.AbsoluteUri : null;
        }

        return pathOrUrl.StartsWith("//", StringComparison.Ordinal) ? null : root + (pathOrUrl.StartsWith('/') ? "" : "/") + pathOrUrl;
    }
}

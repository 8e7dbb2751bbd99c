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
}

using Microsoft.Extensions.Options;

namespace Broadsheet.Site;

/// <summary>Absolute URLs for canonical links, feeds, sitemaps and emailed links.</summary>
public sealed class SiteUrls(IOptionsMonitor<SiteOptions> options)
{
    public string Absolute(HttpRequest request, string path)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (ConfiguredRoot() ?? $"{request.Scheme}://{request.Host}{request.PathBase}") + path;
    }

    /// <summary>
    /// A link for an email that carries a secret (a password-reset or data-rights token). Its address
    /// must not come from the request's Host header, which the sender chooses: a forged one would
    /// mail the victim a link to the forger's server, token included. So: <see cref="SiteOptions.PublicUrl"/>,
    /// or without it the request's address only when it names this machine (<c>localhost</c>, a
    /// loopback address: one-machine use, where a forged one leads nowhere). Otherwise nothing is
    /// sent (<see cref="SiteAddressUnknownException"/>).
    /// </summary>
    public string ForEmail(HttpRequest request, string path)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ConfiguredRoot() is { } root)
        {
            return root + path;
        }

        var host = request.Host.Host;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address)))
        {
            return Absolute(request, path);
        }

        throw new SiteAddressUnknownException(request.Host.Value ?? "");
    }

    private string? ConfiguredRoot() => options.CurrentValue.PublicUrl is { } configured
        ? configured.GetLeftPart(UriPartial.Authority) + configured.AbsolutePath.TrimEnd('/')
        : null;

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

/// <summary>An emailed link was asked for on a request to another machine's name, and no public address is configured.</summary>
public sealed class SiteAddressUnknownException(string requestHost)
    : InvalidOperationException(
        $"Not sending an emailed link: {SiteOptions.SectionName}:PublicUrl is not set, and the request named '{requestHost}', which is not this machine. "
        + $"Links carrying a secret are never addressed to a host a request names. Set {SiteOptions.SectionName}:PublicUrl to the site's address (e.g. https://news.example.com).");

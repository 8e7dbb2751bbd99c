using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Broadsheet.Infrastructure.Web;

/// <summary>
/// Behind a load balancer or CDN, the client's address and scheme arrive in X-Forwarded-For and
/// X-Forwarded-Proto. They are believed only from the proxies listed here (section
/// <c>Broadsheet:Proxies</c>), so a reader cannot forge their address to dodge rate limits.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Broadsheet:Proxies";

    /// <summary>Addresses or networks (CIDR, e.g. <c>10.0.0.0/8</c>) of trusted proxies. Empty: no proxy headers are read.</summary>
    public List<string> Trusted { get; set; } = [];

    public static WebApplication UseTrustedProxies(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var trusted = app.Configuration.GetSection(SectionName).Get<ProxyOptions>()?.Trusted ?? [];
        if (trusted.Count == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in trusted)
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                throw new Data.StartupException($"{SectionName}:Trusted entry '{entry}' is neither an IP address nor a network like 10.0.0.0/8.");
            }
        }

        app.UseForwardedHeaders(options);
        return app;
    }
}

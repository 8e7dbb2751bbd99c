using System.Globalization;
using System.Text;

namespace Broadsheet.Comments;

/// <summary>
/// Avatars drawn here from a commenter's <see cref="Comment.AvatarKey"/> (a keyed hash of their
/// email): a symmetric 5×5 pattern in a colour of its own. No third-party avatar service learns
/// who reads or comments, and the key cannot be turned back into the email without the site key.
/// </summary>
public static class Avatars
{
    public static string Url(string avatarKey) => $"/avatars/{avatarKey}.svg";

    public static IEndpointRouteBuilder MapAvatars(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/avatars/{key:regex(^[0-9a-f]{{32}}$)}.svg", (string key, HttpContext context) =>
        {
            // The picture of a key never changes, so browsers and CDNs may keep it for a year.
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Text(Svg(key), "image/svg+xml", Encoding.UTF8);
        });
        return endpoints;
    }

    public static string Svg(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bytes = Convert.FromHexString(key);
        var hue = (bytes[0] << 8 | bytes[1]) % 360;
        var svg = new StringBuilder(1024);
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 5 5\" width=\"40\" height=\"40\" shape-rendering=\"crispEdges\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"5\" height=\"5\" fill=\"hsl({hue},30%,92%)\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<g fill=\"hsl({hue},55%,42%)\">");
        for (var row = 0; row < 5; row++)
        {
            for (var column = 0; column < 3; column++)
            {
                var bit = row * 3 + column;
                if ((bytes[2 + bit / 8] >> (bit % 8) & 1) == 1)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{column}\" y=\"{row}\" width=\"1\" height=\"1\"/>");
                    if (column < 2)
                    {
                        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{4 - column}\" y=\"{row}\" width=\"1\" height=\"1\"/>");
                    }
                }
            }
        }

        svg.Append("</g></svg>");
        return svg.ToString();
    }
}

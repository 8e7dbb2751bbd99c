using System.Globalization;
using System.Text;

namespace Broadsheet.Infrastructure.Text;

/// <summary>URL slugs: lower-case ASCII words joined by hyphens ("Café Society!" → "cafe-society").</summary>
public static class Slugs
{
    public const int MaxLength = 80;

    public static string From(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var pendingHyphen = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '\'' or '’')
            {
                continue; // "café" → "cafe", "Putin's" → "putins"
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                if (pendingHyphen && builder.Length > 0)
                {
                    builder.Append('-');
                }

                pendingHyphen = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingHyphen = true;
            }
        }

        var slug = builder.ToString();
        if (slug.Length > MaxLength)
        {
            slug = slug[..MaxLength];
            var lastHyphen = slug.LastIndexOf('-');
            slug = lastHyphen > MaxLength / 2 ? slug[..lastHyphen] : slug.TrimEnd('-');
        }

        return slug;
    }
}

using System.Globalization;
using System.Text;

namespace Broadsheet.Infrastructure.Text;

/// <summary>
/// Whether text shows anything: zero-width characters, lone combining marks and the "filler"
/// characters that render as blanks (Hangul fillers, the Braille blank) make a name or a slug that
/// looks empty, so they do not count as something typed.
/// </summary>
public static class VisibleText
{
    public static bool HasAny(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var rune in value.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune) && !Rune.IsControl(rune) && !IsBlank(rune)
                && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Characters that are letters or symbols to Unicode but draw nothing.</summary>
    public static bool IsBlank(Rune rune) => rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800 or 0x034F;
}

using System.Globalization;
using System.Text;

namespace Broadsheet.Infrastructure.Text;

/// <summary>
/// URL slugs: lower-case words joined by hyphens. Latin letters lose their accents ("Café Society!" →
/// "cafe-society"); letters of other scripts stay as they are ("Россия сегодня" → "россия-сегодня",
/// "国際" → "国際"), so a newsroom writing in any language gets a readable address for every name
/// (links percent-encode them, as <see cref="Articles.ArticleLinks"/> does). A text without any letter
/// or digit has no slug ("").
/// </summary>
public static class Slugs
{
    public const int MaxLength = 80;

    public static string From(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var pendingHyphen = false;
        var dropsMarks = false;
        // Compatibility forms folded too: full-width "ＮＨＫ" and the ligature in "ﬁnal" become plain letters.
        foreach (var rune in text.Normalize(NormalizationForm.FormKD).EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                // "café" → "cafe" (and Greek "Αθήνα" → "αθηνα", as its capitals are written without accents);
                // but a Devanagari vowel sign or an Arabic vowel mark is part of its word.
                if (!dropsMarks && builder.Length > 0 && !pendingHyphen)
                {
                    builder.Append(rune.ToString());
                }

                continue;
            }

            if (rune.Value is '\'' or '’')
            {
                continue; // "Putin's" → "putins"
            }

            if (Rune.IsLetterOrDigit(rune) && !VisibleText.IsBlank(rune))
            {
                if (pendingHyphen && builder.Length > 0)
                {
                    builder.Append('-');
                }

                pendingHyphen = false;
                dropsMarks = rune.IsAscii || rune.Value is >= 0x0370 and <= 0x03FF;
                // Greek's word-final sigma is the same letter as σ: one slug however the name is cased.
                var lower = Rune.ToLowerInvariant(rune);
                builder.Append(lower.Value == 'ς' ? "σ" : lower.ToString());
            }
            else
            {
                pendingHyphen = true;
            }
        }

        // Recomposed: Hangul syllables and accented letters of other scripts back to one character each.
        var slug = builder.ToString().Normalize(NormalizationForm.FormC);
        if (slug.Length > MaxLength)
        {
            slug = Shortened(slug);
        }

        return slug;
    }

    /// <summary>At most <see cref="MaxLength"/> characters, cut at a hyphen when one is near the end, never inside a character.</summary>
    private static string Shortened(string slug)
    {
        var length = 0;
        var elements = StringInfo.GetTextElementEnumerator(slug);
        while (elements.MoveNext() && elements.ElementIndex + elements.GetTextElement().Length <= MaxLength)
        {
            length = elements.ElementIndex + elements.GetTextElement().Length;
        }

        var cut = slug[..length];
        var lastHyphen = cut.LastIndexOf('-');
        return lastHyphen > MaxLength / 2 ? cut[..lastHyphen] : cut.TrimEnd('-');
    }
}

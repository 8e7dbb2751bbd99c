using System.Text;

namespace Broadsheet.Import;

/// <summary>Reading and checking import files before any parser sees them.</summary>
internal static class ImportText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public const int MaxFileBytes = 10 * 1024 * 1024;

    public static async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ImportProblemException("file not found.");
        }

        if (info.Length > MaxFileBytes)
        {
            throw new ImportProblemException($"file is {info.Length / 1024 / 1024} MB; the limit is {MaxFileBytes / 1024 / 1024} MB.");
        }

        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, StrictUtf8, cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            throw new ImportProblemException("file is not valid UTF-8 text. Save it as UTF-8 and try again.");
        }

        text = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not '\n' and not '\t')
            {
                var line = text.AsSpan(0, i).Count('\n') + 1;
                throw new ImportProblemException($"line {line} contains a control character (U+{(int)c:X4}); this is not a text file.");
            }
        }

        return text;
    }

    /// <summary>Splits text into paragraphs at blank lines, joining wrapped lines with a space.</summary>
    public static List<string> Paragraphs(string text) =>
        string.Join('\n', text.Split('\n').Select(line => line.TrimEnd()))
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => string.Join(' ', p.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .Where(p => p.Length > 0)
            .ToList();
}

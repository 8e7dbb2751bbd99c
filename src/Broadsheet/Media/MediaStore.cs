using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Broadsheet.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Broadsheet.Media;

/// <summary>What became of an uploaded image.</summary>
public abstract record ImageUploadOutcome
{
    private ImageUploadOutcome()
    {
    }

    /// <summary>The image is in the store; <see cref="Url"/> is <c>/media/{hash}.{ext}</c>.</summary>
    public sealed record Stored(string Url) : ImageUploadOutcome;

    /// <summary>Not an image the site accepts; nothing was stored. <see cref="Problem"/> speaks to an editor choosing a file.</summary>
    public sealed record Refused(string Problem, ImageRefusal Reason) : ImageUploadOutcome;
}

/// <summary>Why an image was refused, for callers that word it their own way (an import's log).</summary>
public enum ImageRefusal
{
    TooLarge,
    Empty,
    NotAnImage,

    /// <summary>Never reached the store: an import could not download it.</summary>
    NotDownloaded,
}

/// <summary>
/// Images under <c>data/media/</c>, each named by the SHA-256 of its bytes: the same file uploaded
/// twice is stored once, and a URL always means the same picture, so it can be cached for a year.
/// Files are written under a temporary name and renamed into place when complete, so a reader never
/// gets half an image.
/// </summary>
public sealed partial class MediaStore(DataPaths paths, IOptions<MediaOptions> options)
{
    public const string UrlPrefix = "/media/";

    private readonly ConcurrentDictionary<string, (int Width, int Height)?> _sizes = new(StringComparer.Ordinal);

    public string Folder { get; } = Path.Combine(paths.DataDirectory, "media");

    public long MaxImageBytes => options.Value.MaxImageBytes;

    /// <summary>
    /// Whether an article's image path is on this site (uploads here, or a path an import kept). Images
    /// WordPress imports point at elsewhere are not shown: the pages' Content-Security-Policy admits
    /// images from this site only.
    /// </summary>
    public static bool IsServedHere(string path) =>
        path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("/\\", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="name"/> is a stored file's name (and only that: no folders, no dots but the one).</summary>
    public static bool IsFileName(string name) => FileNamePattern().IsMatch(name);

    public async Task<ImageUploadOutcome> SaveImageAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        Directory.CreateDirectory(Folder);
        var partial = Path.Combine(Folder, $".upload-{Guid.NewGuid():N}");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var head = new byte[ImageFormat.SniffLength];
            var (headLength, total) = (0, 0L);
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > MaxImageBytes)
                    {
                        return new ImageUploadOutcome.Refused(string.Create(CultureInfo.InvariantCulture,
                            $"The image is too large: at most {LimitText}. Make it smaller (for a web page, 2,000 pixels wide is plenty) and choose it again."), ImageRefusal.TooLarge);
                    }

                    var copy = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, copy).CopyTo(head.AsSpan(headLength));
                    headLength += copy;
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
            }

            if (total == 0)
            {
                return new ImageUploadOutcome.Refused("The chosen file is empty.", ImageRefusal.Empty);
            }

            if (ImageFormat.Detect(head.AsSpan(0, headLength)) is not { } format)
            {
                return new ImageUploadOutcome.Refused("That file is not a JPEG, PNG, WebP or GIF image (judged by its content, whatever its name says).", ImageRefusal.NotAnImage);
            }

            var name = $"{Convert.ToHexStringLower(hash.GetHashAndReset())}.{format.Extension}";
            var final = Path.Combine(Folder, name);
            if (!File.Exists(final))
            {
                try
                {
                    File.Move(partial, final);
                }
                catch (IOException) when (File.Exists(final))
                {
                    // The same image stored by another upload a moment ago: the same bytes, so either copy will do.
                }
            }

            return new ImageUploadOutcome.Stored(UrlPrefix + name);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>The file behind a <c>/media/…</c> URL or file name, if it is one of ours and exists.</summary>
    public string? FileFor(string urlOrName)
    {
        ArgumentNullException.ThrowIfNull(urlOrName);
        var name = urlOrName.StartsWith(UrlPrefix, StringComparison.Ordinal) ? urlOrName[UrlPrefix.Length..] : urlOrName;
        if (!IsFileName(name))
        {
            return null;
        }

        var file = Path.Combine(Folder, name);
        return File.Exists(file) ? file : null;
    }

    /// <summary>Width and height of a stored image (read once from its header; files never change), or null.</summary>
    public (int Width, int Height)? SizeOf(string? url)
    {
        if (url is null || FileFor(url) is not { } file)
        {
            return null;
        }

        return _sizes.GetOrAdd(file, static path =>
        {
            using var stream = File.OpenRead(path);
            return ImageFormat.ByExtension(Path.GetExtension(path)[1..])?.ReadSize(stream) is { Width: > 0, Height: > 0 } size ? size : null;
        });
    }

    /// <summary>The size limit as people read it ("5 MB"; exact bytes when not a whole number of megabytes).</summary>
    public string LimitText => MaxImageBytes % (1024 * 1024) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{MaxImageBytes / (1024 * 1024)} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{MaxImageBytes:N0} bytes");

    [GeneratedRegex("^[0-9a-f]{64}\\.(jpg|png|webp|gif)$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}

using System.Buffers.Binary;

namespace Broadsheet.Media;

/// <summary>
/// The image types the site accepts, recognised by their first bytes (a file's name and the
/// browser's content type are the uploader's claims, not facts), and the picture's size read from
/// the header, so pages can reserve its space before it loads.
/// </summary>
public sealed record ImageFormat(string Extension, string ContentType)
{
    public static readonly ImageFormat Jpeg = new("jpg", "image/jpeg");
    public static readonly ImageFormat Png = new("png", "image/png");
    public static readonly ImageFormat WebP = new("webp", "image/webp");
    public static readonly ImageFormat Gif = new("gif", "image/gif");

    public static readonly IReadOnlyList<ImageFormat> All = [Jpeg, Png, WebP, Gif];

    /// <summary>Bytes enough to recognise every accepted type.</summary>
    public const int SniffLength = 16;

    public static ImageFormat? ByExtension(string extension) => All.FirstOrDefault(f => f.Extension == extension);

    public static ImageFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP;
        }

        return head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8) ? Gif : null;
    }

    /// <summary>Width and height from the header, or null when they are not where the format puts them.</summary>
    public (int Width, int Height)? ReadSize(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> head = stackalloc byte[30];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        return Extension switch
        {
            "png" when read >= 24 => (BinaryPrimitives.ReadInt32BigEndian(head[16..]), BinaryPrimitives.ReadInt32BigEndian(head[20..])),
            "gif" when read >= 10 => (BinaryPrimitives.ReadUInt16LittleEndian(head[6..]), BinaryPrimitives.ReadUInt16LittleEndian(head[8..])),
            "webp" when read >= 16 => WebPSize(head),
            "jpg" => JpegSize(stream),
            _ => null,
        };
    }

    private static (int, int)? WebPSize(ReadOnlySpan<byte> head)
    {
        var chunk = head[12..16];
        if (chunk.SequenceEqual("VP8 "u8) && head.Length >= 30)
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(head[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(head[28..]) & 0x3FFF);
        }

        if (chunk.SequenceEqual("VP8L"u8) && head.Length >= 25)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(head[21..]);
            return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }

        if (chunk.SequenceEqual("VP8X"u8) && head.Length >= 30)
        {
            return ((head[24] | head[25] << 8 | head[26] << 16) + 1, (head[27] | head[28] << 8 | head[29] << 16) + 1);
        }

        return null;
    }

    /// <summary>Walks the JPEG's marker segments (skipping EXIF and the like) to the first frame header.</summary>
    private static (int, int)? JpegSize(Stream stream)
    {
        stream.Position = 2;
        Span<byte> segment = stackalloc byte[9];
        for (var segments = 0; segments < 1000; segments++)
        {
            if (stream.ReadAtLeast(segment[..4], 4, throwOnEndOfStream: false) < 4 || segment[0] != 0xFF)
            {
                return null;
            }

            var marker = segment[1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(segment[2..]);
            // SOF0–SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (stream.ReadAtLeast(segment[..5], 5, throwOnEndOfStream: false) < 5)
                {
                    return null;
                }

                return (BinaryPrimitives.ReadUInt16BigEndian(segment[3..]), BinaryPrimitives.ReadUInt16BigEndian(segment[1..]));
            }

            if (length < 2)
            {
                return null;
            }

            stream.Seek(length - 2, SeekOrigin.Current);
        }

        return null;
    }
}

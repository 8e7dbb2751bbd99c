using Broadsheet.Media;

namespace Broadsheet.Tests.Media;

/// <summary>Recognising the accepted image types by their first bytes, and reading their size from the header.</summary>
public sealed class ImageFormatTests
{
    public static TheoryData<string, byte[], int, int> Headers => new()
    {
        { "jpg", Images.Jpeg(1200, 800), 1200, 800 },
        { "png", Images.Png(), 1, 1 },
        { "gif", Images.Gif(320, 200), 320, 200 },
        // WebP: lossy (VP8), lossless (VP8L) and extended (VP8X) headers.
        { "webp", WebP("VP8 ", [0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]), 640, 480 },
        { "webp", WebP("VP8L", [0x2F, .. BitConverter.GetBytes((uint)(99 | (49 << 14)))]), 100, 50 },
        { "webp", WebP("VP8X", [0, 0, 0, 0, 0x7F, 0x07, 0x00, 0x37, 0x04, 0x00]), 1920, 1080 },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void ImageFormat_RecognisesTheTypeAndSize_FromTheHeader(string extension, byte[] bytes, int width, int height)
    {
        var format = ImageFormat.Detect(bytes.AsSpan(0, ImageFormat.SniffLength));

        Assert.Equal(extension, format?.Extension);
        using var stream = new MemoryStream(bytes);
        Assert.Equal((width, height), format!.ReadSize(stream));
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html>")]
    [InlineData("<svg xmlns='http://www.w3.org/2000/svg'/>")]
    [InlineData("RIFF\0\0\0\0WAVEfmt ")]
    [InlineData("GIF88a, almost")]
    public void ImageFormat_RefusesOtherContent(string content)
    {
        Assert.Null(ImageFormat.Detect(System.Text.Encoding.ASCII.GetBytes(content)));
    }

    private static byte[] WebP(string chunk, byte[] payload) =>
        [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. System.Text.Encoding.ASCII.GetBytes(chunk), (byte)payload.Length, 0, 0, 0, .. payload, 0, 0];
}

using System.Buffers.Binary;
using System.Globalization;
using Broadsheet.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Broadsheet.BrowserTests;

/// <summary>
/// Full-page screenshots of the main pages, light and dark, phone and desktop, saved on every run under
/// artifacts/screenshots/ so a person can look at what readers see.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenshotTests(BrowserSite site)
{
    [Theory]
    [InlineData("front", "/", 375)]
    [InlineData("front", "/", 1280)]
    [InlineData("article", BrowserSite.SampleArticle, 375)]
    [InlineData("article", BrowserSite.SampleArticle, 1280)]
    public async Task Screenshots_AreSaved_InLightAndDarkMode(string name, string path, int width)
    {
        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        var light = await ScreenshotAsync(name, path, width, ColorScheme.Light);
        var dark = await ScreenshotAsync(name, path, width, ColorScheme.Dark);

        // Dark mode is something a reader notices: the page itself turns dark, not just a detail of it.
        Assert.True(light.Luminance - dark.Luminance > 0.5,
            $"Dark mode should darken the page: body background is {light.Background} in light mode and {dark.Background} in dark mode");
    }

    private sealed record Shot(string Background, double Luminance);

    private async Task<Shot> ScreenshotAsync(string name, string path, int width, ColorScheme scheme)
    {
        var file = Path.Combine(RepositoryPaths.Screenshots,
            string.Create(CultureInfo.InvariantCulture, $"{name}-{width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}.png"));
        File.Delete(file); // a picture left by an earlier run must not pass for this one

        await using var context = await site.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = 800 },
            ColorScheme = scheme,
        });
        var page = await BrowserSite.OpenAsync(context, path);
        await page.EvaluateAsync("() => document.fonts.ready");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });

        var png = await File.ReadAllBytesAsync(file);
        Assert.True(png.Length > 1000, $"{file} is {png.Length} bytes");
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), $"{file} is not a PNG");
        // IHDR comes first: width and height, big-endian, at bytes 16 and 20.
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.True(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)) >= 800, $"{file} is not a full-page picture");

        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        return new Shot(background, RelativeLuminance(background));
    }

    /// <summary>WCAG relative luminance of a computed colour such as "rgb(253, 252, 248)".</summary>
    private static double RelativeLuminance(string cssColor)
    {
        var channels = cssColor[(cssColor.IndexOf('(', StringComparison.Ordinal) + 1)..cssColor.IndexOf(')', StringComparison.Ordinal)]
            .Split([',', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Take(3)
            .Select(c => double.Parse(c, CultureInfo.InvariantCulture) / 255)
            .Select(c => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4))
            .ToArray();
        Assert.True(channels.Length == 3, $"Cannot read the colour {cssColor}");
        return (0.2126 * channels[0]) + (0.7152 * channels[1]) + (0.0722 * channels[2]);
    }
}

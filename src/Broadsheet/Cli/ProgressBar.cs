using System.Globalization;
using Broadsheet.Articles.Seeding;

namespace Broadsheet.Cli;

/// <summary>A one-line progress bar with rate and time left, redrawn in place on standard error.</summary>
internal sealed class ProgressBar(string unit) : IProgress<SeedProgress>
{
    private const int Width = 30;

    public void Report(SeedProgress value)
    {
        var fraction = value.Total == 0 ? 1 : (double)value.Done / value.Total;
        var filled = (int)Math.Round(fraction * Width);
        var rate = value.Elapsed.TotalSeconds > 0 ? value.Done / value.Elapsed.TotalSeconds : 0;
        var left = rate > 0 ? TimeSpan.FromSeconds((value.Total - value.Done) / rate) : TimeSpan.Zero;
        Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
            $"\r[{new string('#', filled)}{new string('-', Width - filled)}] {fraction,4:P0} {value.Done:N0}/{value.Total:N0} {unit}, {rate:N0}/s, about {left:hh\\:mm\\:ss} left "));
    }
}

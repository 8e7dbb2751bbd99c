using System.CommandLine;
using System.Globalization;
using Broadsheet.Cli;
using Broadsheet.Infrastructure.Data;

namespace Broadsheet.Import.Wxr;

/// <summary><c>import wxr FILE</c> and <c>export wxr FILE</c>: moving a WordPress site in and out.</summary>
public static class WxrCommands
{
    public static Command Import(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var file = new Argument<string>("file") { Description = "The WordPress export (Tools → Export → All content), a WXR 1.0–1.2 file." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Import the valid items and list the bad ones, instead of storing nothing." };
        var timeZone = new Option<string?>("--time-zone") { Description = "The blog's IANA time zone, for dates the export has only in local time (default: Broadsheet:Site:TimeZone)." };
        var pages = new Option<string>("--pages-section") { Description = "Section that WordPress pages go into.", DefaultValueFactory = _ => "Pages" };
        var fetchImages = new Option<bool>("--fetch-images")
        {
            Description = "Download each featured image into the media library (data/media); without it they keep the old blog's address, which pages do not show.",
        };
        var imageTimeout = new Option<int>("--image-timeout")
        {
            Description = "Seconds one featured image's download may take (with --fetch-images).",
            DefaultValueFactory = _ => 30,
        };
        var command = new Command("wxr", "A WordPress export: posts, pages, authors, categories, tags, featured images and threaded comments.")
        {
            file, skipInvalid, timeZone, pages, fetchImages, imageTimeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            TimeZoneInfo? zone = null;
            if (parse.GetValue(timeZone) is { } zoneName && !TimeZoneInfo.TryFindSystemTimeZoneById(zoneName, out zone))
            {
                await Console.Error.WriteLineAsync($"error: --time-zone '{zoneName}' is not a known time zone. Use an IANA name such as 'Europe/London'.");
                return 2;
            }

            if (parse.GetValue(imageTimeout) is var seconds and (< 1 or > 3600))
            {
                await Console.Error.WriteLineAsync($"error: --image-timeout {seconds} is out of range; give the seconds one image may take, from 1 to 3600.");
                return 2;
            }

            var options = new WxrImportOptions
            {
                SkipInvalid = parse.GetValue(skipInvalid),
                TimeZone = zone,
                PagesSection = parse.GetValue(pages) is { Length: > 0 } section ? section : "Pages",
                FetchImages = parse.GetValue(fetchImages),
                ImageTimeout = TimeSpan.FromSeconds(parse.GetValue(imageTimeout)),
                // On a line of its own: the progress bar is redrawn in place on the same stream.
                Warning = problem => Console.Error.WriteLine($"\nwarning: {problem}"),
            };
            await DatabaseSetup.PrepareForServingAsync(app.Services, cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            var importer = scope.ServiceProvider.GetRequiredService<WxrImporter>();
            WxrImportSummary summary;
            try
            {
                summary = await importer.ImportAsync(
                    parse.GetValue(file)!, options, new ProgressBar("KB checked"), new ProgressBar("items stored"), cancellationToken);
            }
            catch (WxrFileException e)
            {
                await Console.Error.WriteLineAsync();
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                await Console.Error.WriteLineAsync("Nothing was imported.");
                return 1;
            }

            await Console.Error.WriteLineAsync();
            return await ReportAsync(summary, options.FetchImages);
        });
        return command;
    }

    public static Command Export(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var file = new Argument<string>("file") { Description = "Where to write the WXR 1.2 file (replaced if it exists)." };
        var command = new Command("wxr", "Everything as a WordPress export (WXR 1.2) that WordPress's importer reads; includes commenters' emails: a staff file, not for publishing.")
        {
            file,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await DatabaseSetup.PrepareForServingAsync(app.Services, cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            var path = parse.GetValue(file)!;
            WxrExportSummary summary;
            try
            {
                summary = await scope.ServiceProvider.GetRequiredService<WxrExporter>().ExportAsync(path, new ProgressBar("articles"), cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"error: cannot write {path}: {e.Message}");
                return 1;
            }

            await Console.Error.WriteLineAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Exported {summary.Articles:N0} article(s) and {summary.Comments:N0} comment(s) to {path}."));
            if (scope.ServiceProvider.GetRequiredService<Site.SiteOptions>().PublicUrl is null)
            {
                // A command has no request to take the site's address from.
                await Console.Error.WriteLineAsync(
                    "warning: Broadsheet:Site:PublicUrl is not set, so the export's links and WordPress ids name http://localhost. "
                    + "Set it to the site's address (e.g. Broadsheet__Site__PublicUrl=https://news.example.com) and export again.");
            }

            return 0;
        });
        return command;
    }

    /// <summary>How many images of one kind were copied here, and how many still point elsewhere (which pages do not show).</summary>
    private static void ReportImages(string what, int copied, int elsewhere, bool fetched, string address, string withoutFetching)
    {
        if (copied > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what} copied into the media library: {copied:N0}."));
        }

        if (elsewhere > 0)
        {
            var count = elsewhere.ToString("N0", CultureInfo.InvariantCulture);
            Console.WriteLine(fetched
                ? $"{what} that could not be fetched (warnings above): {count}; they keep {address}, which pages do not show."
                : $"{what} left at {address}, which pages do not show: {count}. {withoutFetching}");
        }
    }

    private static async Task<int> ReportAsync(WxrImportSummary summary, bool fetched)
    {
        foreach (var problem in summary.Problems)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
        }

        if (!summary.Stored)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Nothing was imported: {summary.Problems.Count} problem(s) above. Fix them, or run again with --skip-invalid to import the rest."));
            return 1;
        }

        var from = summary.Site.Length > 0 ? $" from {summary.Site}" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Imported{from}: {summary.Articles:N0} post(s), {summary.Pages:N0} page(s), {summary.Comments:N0} comment(s)."));
        if (summary.ArticlesAlreadyImported + summary.CommentsAlreadyImported > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Already imported before (left as they are): {summary.ArticlesAlreadyImported:N0} post(s) and page(s), {summary.CommentsAlreadyImported:N0} comment(s)."));
        }

        ReportImages("Featured images", summary.FeaturedImagesFetched, summary.FeaturedImagesElsewhere, fetched,
            "the old blog's address", "Run the import again with --fetch-images to copy them here.");
        ReportImages("Images inside articles", summary.InlineImagesFetched, summary.InlineImagesElsewhere, fetched,
            "their old address", "Import into a new site with --fetch-images to copy them here.");

        if (summary.Skipped.Count > 0)
        {
            Console.WriteLine("Not imported, by design: " + string.Join(", ", summary.Skipped.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Value:N0} {s.Key}"))) + ".");
        }

        if (summary.Problems.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Skipped {summary.Problems.Count} invalid item(s) or comment(s), listed on standard error."));
        }

        return 0;
    }
}

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
        var command = new Command("wxr", "A WordPress export: posts, pages, authors, categories, tags, featured images and threaded comments.")
        {
            file, skipInvalid, timeZone, pages,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            TimeZoneInfo? zone = null;
            if (parse.GetValue(timeZone) is { } zoneName && !TimeZoneInfo.TryFindSystemTimeZoneById(zoneName, out zone))
            {
                await Console.Error.WriteLineAsync($"error: --time-zone '{zoneName}' is not a known time zone. Use an IANA name such as 'Europe/London'.");
                return 2;
            }

            var options = new WxrImportOptions
            {
                SkipInvalid = parse.GetValue(skipInvalid),
                TimeZone = zone,
                PagesSection = parse.GetValue(pages) is { Length: > 0 } section ? section : "Pages",
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
            return await ReportAsync(summary);
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
            return 0;
        });
        return command;
    }

    private static async Task<int> ReportAsync(WxrImportSummary summary)
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

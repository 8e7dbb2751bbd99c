using System.CommandLine;
using System.Globalization;
using Broadsheet.Cli;
using Broadsheet.Infrastructure.Data;

namespace Broadsheet.Export;

/// <summary><c>export json FILE</c>: the whole site as one JSON document (docs/export-format.md).</summary>
internal static class ExportJsonCommand
{
    public static Command Create(WebApplication app)
    {
        var file = new Argument<string>("file") { Description = "Where to write the export (replaced if it exists)." };
        var command = new Command("json", "Everything the site holds (articles with revisions, comments, staff accounts without passwords, settings, audit log) as JSON.") { file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            if (Path.GetDirectoryName(path) is { } directory && !Directory.Exists(directory))
            {
                await Console.Error.WriteLineAsync($"error: the folder {directory} does not exist.");
                return 2;
            }

            await DatabaseSetup.PrepareForServingAsync(app.Services, cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            var exporter = ActivatorUtilities.CreateInstance<JsonExporter>(scope.ServiceProvider);

            // Written beside the target and moved into place at the end, so an interrupted export never leaves half a file under the real name.
            var partial = $"{path}.{Guid.NewGuid():N}.partial";
            try
            {
                ExportCounts counts;
                await using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    counts = await exporter.ExportAsync(output, new ProgressBar("records"), cancellationToken);
                }

                File.Move(partial, path, overwrite: true);
                Console.Error.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Exported {counts.Articles:N0} articles ({counts.Revisions:N0} revisions), {counts.Comments:N0} comments ({counts.Reports:N0} reports), "
                    + $"{counts.Users:N0} staff accounts, {counts.AuditLog:N0} audit entries, {counts.Erasures:N0} erasure records, "
                    + $"{counts.WordPressPosts + counts.WordPressComments:N0} WordPress links and {counts.Settings:N0} settings to {path} ({new FileInfo(path).Length:N0} bytes)."));
                Console.WriteLine("The file holds commenters' emails and the site's hashing key: keep it as safe as the database.");
                return 0;
            }
            finally
            {
                File.Delete(partial);
            }
        });
        return command;
    }
}

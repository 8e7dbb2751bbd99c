using System.CommandLine;
using System.Globalization;
using Broadsheet.Accounts;
using Broadsheet.Cli;
using Broadsheet.Infrastructure.Data;

namespace Broadsheet.Export;

/// <summary><c>import json FILE</c>: restores an export into a fresh site, all or nothing.</summary>
internal static class ImportJsonCommand
{
    public static Command Create(WebApplication app)
    {
        var file = new Argument<string>("file") { Description = "A file written by `export json`." };
        var command = new Command("json", "Restore a JSON export into a fresh site (ids kept; staff accounts without passwords).") { file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"error: {path}: no such file.");
                return 2;
            }

            await DatabaseSetup.PrepareForServingAsync(app.Services, cancellationToken);
            await AccountsServiceCollectionExtensions.EnsureRolesAsync(app.Services);
            await using var scope = app.Services.CreateAsyncScope();
            var importer = ActivatorUtilities.CreateInstance<JsonImporter>(scope.ServiceProvider);
            JsonImportOutcome outcome;
            await using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                outcome = await importer.ImportAsync(input, new ProgressBar("records"), cancellationToken);
            }

            Console.Error.WriteLine();
            switch (outcome)
            {
                case JsonImportOutcome.Imported { Counts: var counts }:
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"Imported {counts.Articles:N0} articles ({counts.Revisions:N0} revisions), {counts.Comments:N0} comments ({counts.Reports:N0} reports), "
                        + $"{counts.Users:N0} staff accounts, {counts.AuditLog:N0} audit entries, {counts.Erasures:N0} erasure records, "
                        + $"{counts.WordPressPosts + counts.WordPressComments:N0} WordPress links and {counts.Settings:N0} settings."));
                    if (counts.Users > 0)
                    {
                        Console.WriteLine("Staff accounts have no password yet: set one for each with `user password --email E`.");
                    }

                    Console.WriteLine("Restart the site if it is running, so that it uses the imported hashing key.");
                    return 0;
                case JsonImportOutcome.SiteNotEmpty { What: var what }:
                    await Console.Error.WriteLineAsync(
                        $"error: this site is not empty: it has {what}. `import json` restores into a fresh site only "
                        + "(a new database on which `migrate` has run, holding at most the untouched sample article). Nothing was imported.");
                    return 1;
                case JsonImportOutcome.Invalid invalid:
                    var column = invalid.Column is { } c ? string.Create(CultureInfo.InvariantCulture, $", column {c}") : "";
                    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"error: {path}, line {invalid.Line}{column}: {invalid.Problem.TrimEnd('.')}."));
                    await Console.Error.WriteLineAsync("Nothing was imported.");
                    return 1;
                default:
                    throw new InvalidOperationException($"Unknown outcome {outcome}.");
            }
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Broadsheet.Backup;

/// <summary><c>backup FILE [--force]</c>: an online backup of the SQLite database while the site serves.</summary>
internal static class BackupCommand
{
    public static Command Create(WebApplication app)
    {
        var file = new Argument<string>("file") { Description = "Where to write the copy of the database." };
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists." };
        var command = new Command("backup", "Copy the SQLite database consistently while the site keeps serving (for PostgreSQL use pg_dump).") { file, force };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider != DatabaseProvider.Sqlite)
            {
                await Console.Error.WriteLineAsync(
                    "error: `backup` copies the SQLite database; this site runs on PostgreSQL. Use PostgreSQL's own tools, e.g. "
                    + "`pg_dump --format=custom --file=broadsheet.dump \"$DATABASE_URL\"` (restore with `pg_restore --clean --dbname=... broadsheet.dump`).");
                return 1;
            }

            var target = Path.GetFullPath(parse.GetValue(file)!);
            if (File.Exists(target) && !parse.GetValue(force))
            {
                await Console.Error.WriteLineAsync($"error: {target} already exists. Choose another name, or add --force to replace it.");
                return 1;
            }

            if (Path.GetDirectoryName(target) is { } directory && !Directory.Exists(directory))
            {
                await Console.Error.WriteLineAsync($"error: the folder {directory} does not exist.");
                return 2;
            }

            await using var scope = app.Services.CreateAsyncScope();
            var connectionString = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>().Database.GetConnectionString()!;
            var databaseFile = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
            if (!File.Exists(databaseFile))
            {
                await Console.Error.WriteLineAsync($"error: there is no database at {Path.GetFullPath(databaseFile)} to back up.");
                return 1;
            }

            var result = await SqliteBackup.CopyAsync(connectionString, target, overwrite: parse.GetValue(force), cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Backed up {Path.GetFullPath(databaseFile)} to {target}: {result.Bytes / 1024.0 / 1024.0:N1} MB ({result.Bytes:N0} bytes) in {result.Elapsed.TotalSeconds:N1} s."));
            return 0;
        });
        return command;
    }
}

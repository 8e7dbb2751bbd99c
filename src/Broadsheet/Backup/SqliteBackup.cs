using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Broadsheet.Backup;

/// <summary>
/// A consistent copy of a live SQLite database. <c>VACUUM INTO</c> runs on a connection of its
/// own inside one read transaction: it copies one snapshot of the file (WAL lets the site keep
/// writing meanwhile, and a comment committed before it began is in the copy), and the copy
/// comes out compacted. It is written under a temporary name and renamed, so a failed backup
/// never leaves a half-written file under the name asked for.
/// </summary>
public static class SqliteBackup
{
    public sealed record Result(long Bytes, TimeSpan Elapsed);

    public static async Task<Result> CopyAsync(string connectionString, string target, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var clock = Stopwatch.StartNew();
        var partial = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            // Not pooled: the backup's connection is closed with the file, and never shared with the app's.
            var source = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
            await using (var connection = new SqliteConnection(source.ConnectionString))
            {
                await connection.OpenAsync(cancellationToken);
                await using var vacuum = connection.CreateCommand();
                vacuum.CommandText = "VACUUM INTO $target";
                vacuum.Parameters.AddWithValue("$target", partial);
                await vacuum.ExecuteNonQueryAsync(cancellationToken);
            }

            File.Move(partial, target, overwrite);
            return new Result(new FileInfo(target).Length, clock.Elapsed);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}

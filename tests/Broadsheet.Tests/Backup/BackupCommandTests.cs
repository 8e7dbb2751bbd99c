using System.Collections.Concurrent;
using System.Globalization;
using Broadsheet.Tests.Comments;
using Broadsheet.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Broadsheet.Tests.Backup;

/// <summary><c>backup</c> run as a real process against the SQLite file of a site that is serving and taking comments.</summary>
[Trait("Database", TestDatabase.SqliteOnly)]
public sealed class BackupCommandTests(CommentsFactory app) : IClassFixture<CommentsFactory>
{
    [Fact]
    public async Task Backup_IsConsistent_AndHoldsEveryAcknowledgedComment_WhileCommentsArePosted()
    {
        var (_, url) = await app.CreateArticleAsync();
        var acknowledged = new ConcurrentQueue<int>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var posters = Enumerable.Range(1, 3).Select(poster => Task.Run(async () =>
        {
            var client = app.CreateReader();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var response = await app.PostCommentAsync(url, $"Comment {i} from poster {poster} {Guid.NewGuid():N}", $"Poster {poster}",
                    $"poster{poster}-{i}@example.com", clientAddress: $"10.{poster}.{i / 250}.{i % 250 + 1}", client: client);
                acknowledged.Enqueue(CommentsFactory.CommentIdFrom(response));
                if (acknowledged.Count >= 6)
                {
                    enough.TrySetResult();
                }
            }
        })).ToList();
        await enough.Task.WaitAsync(TimeSpan.FromMinutes(1));

        var before = acknowledged.ToArray();
        var file = Path.Combine(app.DataDirectory, $"backup-{Guid.NewGuid():N}.db");
        var result = await BroadsheetProcess.RunAsync(app.Database, "backup", file);
        var during = acknowledged.Count - before.Length;
        await stop.CancelAsync();
        await Task.WhenAll(posters);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"Backed up .* to .*: [\d.,]+ MB \([\d,]+ bytes\) in [\d.,]+ s\.", result.Output);
        await using var backup = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await backup.OpenAsync();
        Assert.Equal("ok", await ScalarAsync(backup, "PRAGMA integrity_check"));
        var stored = new HashSet<int>();
        await using (var query = backup.CreateCommand())
        {
            query.CommandText = "SELECT Id FROM Comments";
            await using var rows = await query.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                stored.Add(rows.GetInt32(0));
            }
        }

        Assert.Equal([], before.Where(id => !stored.Contains(id)).ToArray());
        Assert.True(before.Length >= 6, $"{before.Length} comments before, {during} while the backup ran");
    }

    [Fact]
    public async Task Backup_RefusesToReplaceAFile_UnlessForced()
    {
        await app.CreateArticleAsync();
        var file = Path.Combine(app.DataDirectory, $"existing-{Guid.NewGuid():N}.db");
        await File.WriteAllTextAsync(file, "an older backup");

        var refused = await BroadsheetProcess.RunAsync(app.Database, "backup", file);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already exists", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal("an older backup", await File.ReadAllTextAsync(file));

        var forced = await BroadsheetProcess.RunAsync(app.Database, "backup", file, "--force");

        Assert.True(forced.ExitCode == 0, forced.Error);
        await using var backup = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await backup.OpenAsync();
        Assert.Equal("ok", await ScalarAsync(backup, "PRAGMA integrity_check"));
        Assert.NotEqual("0", await ScalarAsync(backup, "SELECT count(*) FROM Articles"));
        Assert.Empty(Directory.GetFiles(app.DataDirectory, "*.partial"));
    }

    private static async Task<string> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }
}

/// <summary>On PostgreSQL the command points to pg_dump instead of pretending.</summary>
[Trait("Database", TestDatabase.PostgresOnly)]
public sealed class BackupOnPostgresTests
{
    [Fact]
    public async Task Backup_PointsToPgDump_OnPostgres()
    {
        using var database = TestDatabase.Create();
        var file = Path.Combine(database.DataDirectory, "backup.db");

        var result = await BroadsheetProcess.RunAsync(database, "backup", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pg_dump", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }
}

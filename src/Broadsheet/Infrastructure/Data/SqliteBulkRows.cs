using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Broadsheet.Infrastructure.Data;

/// <summary>
/// SQLite has no bulk path of its own: what costs is a statement per row compiled again and a
/// commit per few rows. Here each table has one prepared <c>INSERT</c>, kept for the whole run and
/// given each row's values, inside the caller's transaction. Triggers run as for any insert (the
/// articles' FTS5 index stays in step).
/// </summary>
internal sealed class SqliteBulkRows(BroadsheetDbContext db) : BulkRows
{
    private readonly Dictionary<IEntityType, (SqliteCommand Insert, IReadOnlyList<BulkColumn> Columns)> _inserts = [];

    public override async Task<IReadOnlyList<int>> ReserveIdsAsync(IEntityType rows, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (count == 0)
        {
            return [];
        }

        // The caller's transaction holds SQLite's write lock (BEGIN IMMEDIATE), so nobody else can
        // insert until it commits. Past the highest id ever used (AUTOINCREMENT's sqlite_sequence,
        // which the explicit ids then move on), so a deleted row's id is never reused.
        var table = TableOf(rows);
        await using var command = Command(
            $"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = $table), 0), coalesce((SELECT max({Quote(KeyColumnOf(rows))}) FROM {Quote(table)}), 0))");
        command.Parameters.AddWithValue("$table", table);
        var last = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        return Enumerable.Range(last + 1, count).ToList();
    }

    public override async Task WriteAsync(IEntityType type, IEnumerable<object> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(rows);
        if (!_inserts.TryGetValue(type, out var insert))
        {
            var columns = ColumnsOf(type);
            var command = Command(
                $"INSERT INTO {Quote(TableOf(type))} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) "
                + $"VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})");
            for (var i = 0; i < columns.Count; i++)
            {
                command.Parameters.Add(new SqliteParameter($"$p{i}", null));
            }

            insert = (command, columns);
            _inserts[type] = insert;
        }

        insert.Insert.Transaction = Transaction();
        foreach (var row in rows)
        {
            for (var i = 0; i < insert.Columns.Count; i++)
            {
                insert.Insert.Parameters[i].Value = insert.Columns[i].Read(row) ?? DBNull.Value;
            }

            await insert.Insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var (insert, _) in _inserts.Values)
        {
            await insert.DisposeAsync();
        }

        _inserts.Clear();
        await base.DisposeAsync();
    }

    private SqliteCommand Command(string sql)
    {
        var command = (SqliteCommand)db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction();
        return command;
    }

    private SqliteTransaction Transaction() =>
        db.Database.CurrentTransaction?.GetDbTransaction() as SqliteTransaction
        ?? throw new InvalidOperationException("BulkRows on SQLite needs the caller's transaction (the write lock that keeps reserved ids free).");
}

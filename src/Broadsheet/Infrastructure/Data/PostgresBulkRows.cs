using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace Broadsheet.Infrastructure.Data;

/// <summary>
/// Binary <c>COPY … FROM STDIN</c> (Npgsql's <see cref="NpgsqlBinaryImporter"/>): one stream per table
/// and batch, no statement per row, values in PostgreSQL's binary format. Generated columns (the
/// articles' search vector) are computed by PostgreSQL as the rows arrive, and foreign keys and
/// unique indexes are checked as for any insert.
/// </summary>
internal sealed class PostgresBulkRows(BroadsheetDbContext db) : BulkRows
{
    private readonly Dictionary<IEntityType, (string Copy, IReadOnlyList<BulkColumn> Columns)> _copies = [];

    public override async Task<IReadOnlyList<int>> ReserveIdsAsync(IEntityType rows, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (count == 0)
        {
            return [];
        }

        var connection = Connection();
        // The identity column's own sequence: ids taken here are never handed to anyone else, even
        // by a site taking comments at the same time; an explicit id does not move the sequence on.
        await using var command = new NpgsqlCommand(
            "SELECT nextval(pg_get_serial_sequence(@table, @column))::integer FROM generate_series(1, @count)", connection);
        command.Parameters.AddWithValue("table", Quote(TableOf(rows)));
        command.Parameters.AddWithValue("column", KeyColumnOf(rows));
        command.Parameters.AddWithValue("count", count);
        var ids = new List<int>(count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt32(0));
        }

        return ids;
    }

    public override async Task WriteAsync(IEntityType type, IEnumerable<object> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(rows);
        if (!_copies.TryGetValue(type, out var copy))
        {
            var columns = ColumnsOf(type);
            copy = ($"COPY {Quote(TableOf(type))} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)", columns);
            _copies[type] = copy;
        }

        var connection = Connection();
        await using var importer = await connection.BeginBinaryImportAsync(copy.Copy, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var column in copy.Columns)
            {
                if (column.Read(row) is { } value)
                {
                    // The column's own type, as the migration made it: binary COPY has no implicit casts.
                    await importer.WriteAsync(value, column.StoreType, cancellationToken);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private NpgsqlConnection Connection() =>
        db.Database.GetDbConnection() is NpgsqlConnection { State: System.Data.ConnectionState.Open } connection
            ? connection
            : throw new InvalidOperationException("BulkRows needs the context's connection open (Database.OpenConnectionAsync) for the whole run.");
}

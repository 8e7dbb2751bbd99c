using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Broadsheet.Infrastructure.Data;

/// <summary>
/// Writes many new rows at the speed the database allows, past EF Core's change tracker: binary
/// <c>COPY</c> on PostgreSQL, one prepared <c>INSERT</c> per table reused for every row on SQLite.
/// Columns, names and value conversions come from the EF model, so a column added to an entity is
/// written here too. Rows carry their own ids (<see cref="ReserveIdsAsync"/>), because neither
/// path hands generated keys back and children need their parents' ids. Used by the demo seeder
/// and by the comment writer for each batch of new comments; the caller owns the transaction (on
/// SQLite, EF's <c>BEGIN IMMEDIATE</c>, which the id reservation relies on).
/// </summary>
public abstract class BulkRows : IAsyncDisposable
{
    public static BulkRows For(BroadsheetDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.IsNpgsql() ? new PostgresBulkRows(db) : new SqliteBulkRows(db);
    }

    /// <summary>
    /// <paramref name="count"/> unused values of the table's generated key, never handed out again
    /// (rows written meanwhile by the running site get others).
    /// </summary>
    public abstract Task<IReadOnlyList<int>> ReserveIdsAsync(IEntityType rows, int count, CancellationToken cancellationToken);

    /// <summary>Inserts <paramref name="rows"/> (instances of <paramref name="type"/>'s CLR type, in order) into its table.</summary>
    public abstract Task WriteAsync(IEntityType type, IEnumerable<object> rows, CancellationToken cancellationToken);

    public Task<IReadOnlyList<int>> ReserveIdsAsync<T>(BroadsheetDbContext db, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return ReserveIdsAsync(db.Model.FindEntityType(typeof(T))!, count, cancellationToken);
    }

    public Task WriteAsync<T>(BroadsheetDbContext db, IEnumerable<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        return WriteAsync(db.Model.FindEntityType(typeof(T))!, rows, cancellationToken);
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>The table's columns as EF maps them, with each value read and converted as EF would store it.</summary>
    protected static IReadOnlyList<BulkColumn> ColumnsOf(IEntityType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var table = StoreObjectIdentifier.Table(TableOf(type), type.GetSchema());
        return type.GetProperties()
            .Where(p => p.GetColumnName(table) is not null && p.GetComputedColumnSql(table) is null)
            .Select(p =>
            {
                if (p.IsShadowProperty())
                {
                    throw new NotSupportedException(
                        $"{type.DisplayName()}.{p.Name} is a shadow property; BulkRows reads values from the entities themselves.");
                }

                var getter = p.GetGetter();
                var mapping = p.GetRelationalTypeMapping();
                var converter = mapping.Converter;
                return new BulkColumn(
                    p.GetColumnName(table)!,
                    mapping.StoreType,
                    row => getter.GetClrValue(row) is { } value ? converter is null ? value : converter.ConvertToProvider(value) : null);
            })
            .ToList();
    }

    protected static string TableOf(IEntityType type) =>
        type.GetTableName() ?? throw new NotSupportedException($"{type.DisplayName()} is not mapped to a table.");

    protected static string KeyColumnOf(IEntityType type)
    {
        var key = type.FindPrimaryKey()?.Properties;
        return key is [{ } single] && single.ClrType == typeof(int)
            ? single.GetColumnName(StoreObjectIdentifier.Table(TableOf(type), type.GetSchema()))!
            : throw new NotSupportedException($"{type.DisplayName()} has no single integer key to reserve ids of.");
    }

    protected static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    protected sealed record BulkColumn(string Name, string StoreType, Func<object, object?> Read);
}

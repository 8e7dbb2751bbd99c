using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Infrastructure.Data;

/// <summary>
/// Keeps SQLite's temporary data in memory (<c>temp_store=MEMORY</c>) on a context's connection
/// until disposed, then hands the pooled connection back with the default (temporary files). For
/// the comment writer: a batch is inserted behind a savepoint, and SQLite writes a savepoint's
/// statement journal (the pages the batch changes, as they were) to a temporary file past 64 KB,
/// created, written page by page and deleted again per batch, a third of the writer's system
/// calls. Not for every connection: a migration building an index over millions of rows, or a
/// large sort, would then hold all of its temporary data in memory.
/// </summary>
public sealed class SqliteTemporaryData : IAsyncDisposable
{
    private readonly BroadsheetDbContext _db;

    private SqliteTemporaryData(BroadsheetDbContext db) => _db = db;

    /// <summary>Null on other databases (nothing to do).</summary>
    public static async Task<SqliteTemporaryData?> InMemoryAsync(BroadsheetDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            return null;
        }

        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA temp_store=MEMORY;");
        return new SqliteTemporaryData(db);
    }

    public async ValueTask DisposeAsync()
    {
        await _db.Database.ExecuteSqlRawAsync("PRAGMA temp_store=DEFAULT;");
        await _db.Database.CloseConnectionAsync();
    }
}

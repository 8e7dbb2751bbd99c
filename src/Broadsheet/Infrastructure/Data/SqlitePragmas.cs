using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Broadsheet.Infrastructure.Data;

/// <summary>
/// <c>synchronous=FULL</c> on every SQLite connection: each commit is durable before we answer
/// (WAL's usual NORMAL may lose the last commits on power loss). <c>temp_store=MEMORY</c>: EF Core
/// saves inside a transaction behind a savepoint, and SQLite keeps a savepoint's statement journal
/// (the pages the save changes, as they were) in a temporary file once it passes 64 KB, as a
/// batch of comments does: a file created, written page by page and deleted per batch, a third of
/// the comment writer's system calls. The settings belong to the underlying sqlite3 handle, which
/// Microsoft.Data.Sqlite pools and reuses, so they are applied once per handle, not on every open.
/// (Foreign keys and the busy timeout come from the connection string.)
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;";
    private static readonly ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (FirstOpen(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (FirstOpen(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static bool FirstOpen(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Configured.TryAdd(handle, handle);
}

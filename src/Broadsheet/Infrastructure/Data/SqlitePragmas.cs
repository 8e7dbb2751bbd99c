using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Broadsheet.Infrastructure.Data;

/// <summary>
/// <c>synchronous=FULL</c> on every SQLite connection: each commit is durable before we answer
/// (WAL's usual NORMAL may lose the last commits on power loss); and foreign keys enforced (the
/// bundled e_sqlite3 is built with them on; saying so keeps it true on a SQLite built without).
/// Both belong to the underlying sqlite3 handle, which Microsoft.Data.Sqlite pools and reuses, so
/// they are applied once per handle, not on every open. (<c>Foreign Keys=True</c> in the
/// connection string would run its pragma as a statement of its own on every open: one more
/// statement for every page rendered.) The busy timeout comes from the connection string.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private static readonly ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (FirstOpen(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = PragmasFor(connection);
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (FirstOpen(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = PragmasFor(connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // A connection string that says "Foreign Keys" has Microsoft.Data.Sqlite set them its way on every open.
    private static string PragmasFor(DbConnection connection) =>
        new SqliteConnectionStringBuilder(connection.ConnectionString).ForeignKeys is null
            ? "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            : "PRAGMA synchronous=FULL;";

    private static bool FirstOpen(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Configured.TryAdd(handle, handle);
}

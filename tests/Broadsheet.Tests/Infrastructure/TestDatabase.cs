using Broadsheet.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Broadsheet.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database for one test class (or one CLI test), on the provider this test run
/// is for: SQLite by default, PostgreSQL when BROADSHEET_TEST_DATABASE=postgres (./test.sh runs
/// the suite once per provider). Gives the settings to hand to the app, in-process or as a child
/// process's environment.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    /// <summary>Trait value of tests about the SQLite file itself; the PostgreSQL pass leaves them out.</summary>
    public const string SqliteOnly = "SqliteOnly";

    /// <summary>Trait value of tests that need the PostgreSQL + Redis deployment (many nodes); the SQLite pass leaves them out.</summary>
    public const string PostgresOnly = "PostgresOnly";

    private readonly string? _postgresDatabase;
    private readonly string? _postgresServer;

    private TestDatabase(string dataDirectory, string? postgresServer, string? postgresDatabase, string? connectionString)
    {
        DataDirectory = dataDirectory;
        _postgresServer = postgresServer;
        _postgresDatabase = postgresDatabase;
        var settings = new Dictionary<string, string> { ["Broadsheet:Database:DataDirectory"] = dataDirectory };
        if (connectionString is not null)
        {
            settings["Broadsheet:Database:Provider"] = "Postgres";
            settings["ConnectionStrings:Broadsheet"] = connectionString;
        }

        Settings = settings;
    }

    public static bool IsPostgres => System.Environment.GetEnvironmentVariable("BROADSHEET_TEST_DATABASE") == "postgres";

    public string DataDirectory { get; }

    /// <summary>Configuration keys as the app reads them (Broadsheet:Database:Provider, …).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The same settings as environment variables for a child process.</summary>
    public IReadOnlyDictionary<string, string> Environment => Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    public static TestDatabase Create()
    {
        if (!IsPostgres)
        {
            return new TestDatabase(TempDirectory.Create("broadsheet-test"), null, null, null);
        }

        return CreateOnPostgres(System.Environment.GetEnvironmentVariable("BROADSHEET_TEST_POSTGRES")
            ?? throw new InvalidOperationException("BROADSHEET_TEST_POSTGRES is not set: run the suite through ./test.sh, which starts PostgreSQL."));
    }

    /// <summary>A fresh, migrated database on the PostgreSQL server at <paramref name="server"/> (e.g. a fault test's own).</summary>
    public static TestDatabase CreateOnPostgres(string server)
    {
        var dataDirectory = TempDirectory.Create("broadsheet-test");
        var name = $"bs_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        // Production nodes never migrate at start-up (the `migrate` command does); a test database starts migrated.
        using (var db = new PostgresBroadsheetDbContext(new DbContextOptionsBuilder<PostgresBroadsheetDbContext>().UseNpgsql(connectionString).Options))
        {
            db.Database.Migrate();
        }

        return new TestDatabase(dataDirectory, server, name, connectionString);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(_postgresServer);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        }

        TempDirectory.Delete(DataDirectory);
    }
}

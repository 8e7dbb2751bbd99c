using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Infrastructure;

public sealed class DatabaseTests(BroadsheetFactory app) : IClassFixture<BroadsheetFactory>
{
    [Fact]
    [Trait("Database", TestDatabase.SqliteOnly)]
    public async Task SqliteDatabase_UsesWalAndFullSynchronousCommits()
    {
        _ = app.Server; // start the app: it migrates and seeds
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal("2", await ScalarAsync(connection, "PRAGMA synchronous;")); // 2 = FULL
        Assert.Equal(Path.Combine(app.DataDirectory, "broadsheet.db"), connection.DataSource);
    }

    [Fact]
    [Trait("Database", TestDatabase.SqliteOnly)]
    public async Task SqliteLibrary_IsConfigured_BeforeTheAppsFirstConnection()
    {
        // The real executable, where nothing else touches SQLite first: it warns when it came too late.
        var result = await BroadsheetProcess.RunAsync(app.Database, "migrate");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("SQLite was in use before Broadsheet configured it", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Database", TestDatabase.SqliteOnly)]
    public async Task SqliteLibrary_TakesItsSettings_BeforeSqliteStarts()
    {
        // In this process the test assembly applies them as it loads (SqliteLibrarySettings); this
        // shows SQLite accepts them, i.e. nothing in the bundled library starts SQLite earlier.
        var response = await app.CreateClient().GetAsync(new Uri("/", UriKind.Relative));
        response.EnsureSuccessStatusCode(); // a page read from SQLite

        // Allocation statistics off (set with multi-thread mode, in the same call before SQLite
        // starts): SQLite counts nothing, so no process-wide lock is taken per allocation.
        Assert.True(SqliteLibrary.EnsureConfigured());
        Assert.Equal(0, SQLitePCL.raw.sqlite3_memory_used());
    }

    [Fact]
    [Trait("Database", TestDatabase.SqliteOnly)]
    public async Task SqliteForeignKeys_AreEnforced_OnAReusedPooledConnection()
    {
        _ = app.Server;
        for (var open = 1; open <= 2; open++) // the second open usually gets the first one's pooled handle back
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();

            Assert.Equal("1", await ScalarAsync(connection, "PRAGMA foreign_keys;"));
            var orphan = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => ScalarAsync(connection,
                "INSERT INTO \"ArticleTags\" (\"ArticlesId\", \"TagsId\") VALUES (2147483000, 2147483000);"));
            Assert.Contains("FOREIGN KEY", orphan.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    [Trait("Database", TestDatabase.PostgresOnly)]
    public async Task PostgresComments_AreAnalyzedAfterEveryThousandChanges_NotAfterATenthOfTheTable()
    {
        _ = app.Server; // start the app: it migrates and seeds
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        await db.Database.OpenConnectionAsync();

        // A story gathering thousands of comments must not be planned as one with a handful (bench/README, Scale).
        var options = await ScalarAsync(db.Database.GetDbConnection(), "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'Comments'");
        Assert.Equal("autovacuum_analyze_scale_factor=0,autovacuum_analyze_threshold=1000", options);
    }

    [Fact]
    [Trait("Database", TestDatabase.PostgresOnly)]
    public async Task PostgresStatements_ArePreparedOnTheServer_OnceAConnectionRepeatsThem()
    {
        _ = app.Server;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var preparedBefore = int.Parse(await ScalarAsync(connection, "SELECT count(*) FROM pg_prepared_statements") ?? "", System.Globalization.CultureInfo.InvariantCulture);

        var slug = $"never-{Guid.NewGuid():N}"; // a statement of this test's own: not prepared on this connection before
        for (var i = 0; i < 6; i++)
        {
            await db.Articles.CountAsync(a => a.Id > i && a.Slug != slug);
        }

        // PostgreSQL no longer parses and plans it each time: the statement is kept on the connection.
        var prepared = int.Parse(await ScalarAsync(connection, "SELECT count(*) FROM pg_prepared_statements") ?? "", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(preparedBefore + 1, prepared);
    }

    [Theory]
    [InlineData("Host=db;Database=news", 30)]
    [InlineData("Host=db;Database=news;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Database=news;MaxAutoPrepare=5", 5)]
    public void PostgresConnectionString_PreparesRepeatedStatements_UnlessTheOperatorSaysOtherwise(string given, int expected)
    {
        var used = new Npgsql.NpgsqlConnectionStringBuilder(DataServiceCollectionExtensions.WithAutomaticPreparation(given));

        Assert.Equal(expected, used.MaxAutoPrepare);
        Assert.Equal("db", used.Host);
    }

    [Fact]
    public async Task TheApp_RunsOnTheDatabaseThisTestRunIsFor()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();

        Assert.IsType(TestDatabase.IsPostgres ? typeof(PostgresBroadsheetDbContext) : typeof(SqliteBroadsheetDbContext), db);
        Assert.True(await db.Articles.AnyAsync(a => a.Slug == Broadsheet.Articles.Seeding.SampleArticleSeeder.Slug));
    }

    [Fact]
    public void MigrationSets_MatchTheModel_ForBothProviders()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);

        Assert.False(sqlite.Database.HasPendingModelChanges(), "Run scripts/add-migration.sh: the SQLite migrations are behind the model.");
        Assert.False(postgres.Database.HasPendingModelChanges(), "Run scripts/add-migration.sh: the PostgreSQL migrations are behind the model.");
        Assert.NotEmpty(sqlite.Database.GetMigrations());
        Assert.Equal(
            sqlite.Database.GetMigrations().Select(m => m[15..]),
            postgres.Database.GetMigrations().Select(m => m[15..]));
    }

    private static async Task<string?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Broadsheet.Infrastructure.Data;

public static class DataServiceCollectionExtensions
{
    public const string ConnectionStringName = "Broadsheet";

    /// <summary>
    /// Registers the database chosen by <see cref="DatabaseOptions.Provider"/>. Both provider contexts
    /// are registered and the choice is made when the first context is resolved, so that settings
    /// from every configuration source (including test hosts) are seen.
    /// </summary>
    public static IServiceCollection AddBroadsheetData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(
                options => options.Provider != DatabaseProvider.Postgres
                    || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)),
                "Broadsheet:Database:Provider is Postgres but ConnectionStrings:Broadsheet is empty. "
                + "Set ConnectionStrings__Broadsheet to a PostgreSQL connection string, e.g. "
                + "\"Host=localhost;Database=broadsheet;Username=broadsheet;Password=...\".")
            .ValidateOnStart();

        services.AddSingleton<DataPaths>();
        // Both providers: a list in a query (ids.Contains(x)) goes to SQL as one array parameter
        // (json_each on SQLite, = ANY on PostgreSQL), EF Core 8's translation, not EF Core 10's one
        // parameter per element: one SQL text whatever the list's length, so a compiled query can
        // take an array (the article page's replies, a listing's counts), and no list is too long
        // for the databases' parameter limits (imports, recounts).
        services.AddDbContextPool<SqliteBroadsheetDbContext>((sp, options) =>
        {
            if (!SqliteLibrary.EnsureConfigured())
            {
                sp.GetRequiredService<ILogger<SqliteBroadsheetDbContext>>().LogWarning(
                    "SQLite was in use before Broadsheet configured it; it keeps its default (serialized) threading mode.");
            }

            var paths = sp.GetRequiredService<DataPaths>();
            var connectionString = configuration.GetConnectionString(ConnectionStringName);
            options.UseSqlite(
                    string.IsNullOrWhiteSpace(connectionString) ? paths.SqliteConnectionString : connectionString,
                    sqlite => sqlite.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .AddInterceptors(new SqlitePragmas())
                // A table rebuild must turn foreign keys off, which SQLite allows only outside a
                // transaction; the rebuild itself still runs in one (see ArticleBodiesStoredLast).
                .ConfigureWarnings(warnings => warnings.Ignore(RelationalEventId.NonTransactionalMigrationOperationWarning));
        });
        services.AddDbContextPool<PostgresBroadsheetDbContext>(options =>
            options.UseNpgsql(
                WithAutomaticPreparation(configuration.GetConnectionString(ConnectionStringName)),
                npgsql => npgsql.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)));

        services.AddScoped<BroadsheetDbContext>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
                ? sp.GetRequiredService<PostgresBroadsheetDbContext>()
                : sp.GetRequiredService<SqliteBroadsheetDbContext>());
        services.Configure<MvcOptions>(mvc => mvc.Filters.Add<OneConnectionPerPage>());
        return services;
    }

    /// <summary>
    /// Npgsql prepares a statement on the server once a connection has run it a few times, and keeps
    /// it across the pool's opens and closes: PostgreSQL then skips parsing and planning every page's
    /// queries. Off by default in Npgsql; on here unless the connection string says otherwise
    /// (<c>Max Auto Prepare=0</c> behind a PgBouncer in transaction mode older than 1.21, which
    /// cannot route prepared statements).
    /// </summary>
    internal static string? WithAutomaticPreparation(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        // As written ("Max Auto Prepare", "MaxAutoPrepare", any case): Npgsql's own builder calls
        // every keyword it knows present.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (written.Keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }

        // Enough for every statement a node repeats (pages, the comment writer, the watchers): past
        // it the least recently used is dropped and prepared again when next needed.
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 30 }.ConnectionString;
    }
}

/// <summary>Resolves the local data folder against the content root, and makes sure it exists.</summary>
public sealed class DataPaths
{
    public DataPaths(IOptions<DatabaseOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        DataDirectory = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.DataDirectory));
        // Created here, not only by `migrate`/start-up: settings saved in the database are read while
        // the app checks its settings, before either runs, and SQLite cannot open a file in a missing folder.
        Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; }

    public string SqliteFile => Path.Combine(DataDirectory, "broadsheet.db");

    // A writer waits up to 30 s for the lock (Default Timeout) instead of failing with SQLITE_BUSY.
    // Foreign keys are turned on once per pooled connection by SqlitePragmas.
    public string SqliteConnectionString => $"Data Source={SqliteFile};Default Timeout=30";
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Broadsheet.Infrastructure.Data;

/// <summary>
/// Brings the database to the current schema. SQLite migrates itself at start-up (one machine,
/// nothing to race with); PostgreSQL is migrated by the explicit <c>migrate</c> command so that many
/// app nodes starting together do not race, and a node refuses to serve an out-of-date schema.
/// </summary>
public static class DatabaseSetup
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        if (db is SqliteBroadsheetDbContext)
        {
            Directory.CreateDirectory(scope.ServiceProvider.GetRequiredService<DataPaths>().DataDirectory);
        }

        await RunAsync(async () =>
        {
            await db.Database.MigrateAsync(cancellationToken);
            return true;
        });
        await FillArticleBodyTextAsync(db, cancellationToken);
        if (db is SqliteBroadsheetDbContext)
        {
            // WAL is a property of the file, so setting it once is enough; readers then never block the writer.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            // A migration that rebuilds a table turns foreign keys off on its connection, and SqlitePragmas
            // turns them on once per pooled connection: the connections the migrations used are not reused.
            SqliteConnection.ClearPool((SqliteConnection)db.Database.GetDbConnection());
        }
    }

    // Done once per database: the setting row says so, so that later starts do not scan the articles.
    private const string BodyTextFilled = "upgrade:article-body-text";

    /// <summary>
    /// Articles stored before <see cref="Articles.Article.BodyText"/> existed (migration ArticleBodyText)
    /// get it from their HTML, which SQL cannot strip: 500 at a time, each batch committed, so an
    /// interrupted run goes on where it stopped. Every save writes it since.
    /// </summary>
    private static async Task FillArticleBodyTextAsync(BroadsheetDbContext db, CancellationToken cancellationToken)
    {
        if (await db.SiteSettings.AnyAsync(s => s.Key == BodyTextFilled, cancellationToken))
        {
            return;
        }

        var lastId = 0;
        while (true)
        {
            var batch = await db.Articles.AsNoTracking()
                .Where(a => a.Id > lastId && a.BodyText == "" && a.BodyHtml != "")
                .OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.BodyHtml })
                .Take(500)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var article in batch)
            {
                var text = Text.ArticleHtmlRenderer.TextOf(article.BodyHtml);
                // Only if the body is still the one read: a save meanwhile wrote its own, newer text.
                await db.Articles.Where(a => a.Id == article.Id && a.BodyHtml == article.BodyHtml)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.BodyText, text), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            lastId = batch[^1].Id;
        }

        // Two `migrate` runs at once both get here; the second finds the row the first wrote.
        if (!await db.SiteSettings.AnyAsync(s => s.Key == BodyTextFilled, cancellationToken))
        {
            db.SiteSettings.Add(new SiteSetting { Key = BodyTextFilled, Value = "done" });
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Called before serving: migrates SQLite, and checks that PostgreSQL was migrated.</summary>
    public static async Task PrepareForServingAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var provider = services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider;
        if (provider == DatabaseProvider.Sqlite)
        {
            await MigrateAsync(services, cancellationToken);
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        var pending = await RunAsync(() => db.Database.GetPendingMigrationsAsync(cancellationToken));
        if (pending.Any())
        {
            throw new StartupException(
                $"The PostgreSQL database is missing {pending.Count()} migration(s) ({string.Join(", ", pending)}). "
                + "Run `Broadsheet migrate` (dotnet run --project src/Broadsheet -- migrate) with the same settings, then start again.");
        }
    }

    private static async Task<T> RunAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is NpgsqlException or SqliteException or InvalidOperationException { InnerException: NpgsqlException })
        {
            throw new StartupException(
                $"Could not open the database ({e.Message}). Check ConnectionStrings:Broadsheet "
                + "(environment variable ConnectionStrings__Broadsheet) and Broadsheet:Database.", e);
        }
    }
}

/// <summary>A configuration or environment problem that stops the app, with a message that says how to fix it.</summary>
public sealed class StartupException : Exception
{
    public StartupException(string message) : base(message) { }
    public StartupException(string message, Exception inner) : base(message, inner) { }
    public StartupException() { }
}

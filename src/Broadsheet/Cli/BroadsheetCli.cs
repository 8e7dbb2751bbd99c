using System.CommandLine;
using System.Globalization;
using Broadsheet.Accounts;
using Broadsheet.Articles;
using Broadsheet.Articles.Seeding;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Import;
using Broadsheet.Import.Wxr;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Security;
using Broadsheet.Site;
using Microsoft.Extensions.Options;

namespace Broadsheet.Cli;

/// <summary>
/// The command line of the one executable: <c>serve</c> (the default), <c>migrate</c>, <c>import</c>.
/// Commands run on the same built app as the web server, so they see the same configuration
/// and services.
/// </summary>
public static class BroadsheetCli
{
    public static async Task<int> RunAsync(string[] args, Func<WebApplication> buildApp)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(buildApp);
        try
        {
            var app = buildApp();
            // Every command checks the settings, not only `serve` (whose host start would): a wrong one stops `migrate` too.
            app.Services.GetService<IStartupValidator>()?.Validate();

            // No command, or only host settings such as --urls: serve, as `dotnet run` expects.
            if (args.Length == 0 || args[0].StartsWith('-') && args[0] is not "-h" and not "--help" and not "-?")
            {
                await ServeAsync(app);
                return 0;
            }

            return await Commands(app).Parse(args).InvokeAsync();
        }
        catch (Exception e) when (e is StartupException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"Broadsheet cannot start: {e.Message}");
            return 1;
        }
    }

    private static async Task ServeAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        await DatabaseSetup.PrepareForServingAsync(app.Services, cancellationToken);
        await SeedAsync(app.Services, cancellationToken);
        await app.RunAsync();
    }

    private static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await AccountsServiceCollectionExtensions.EnsureRolesAsync(services);
        services.GetRequiredService<SiteKeys>().EnsureLoaded();
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SampleArticleSeeder>().SeedOnceAsync(cancellationToken);
    }

    private static RootCommand Commands(WebApplication app)
    {
        var root = new RootCommand("Broadsheet: news publishing with reader comments. Without a command, serves the site.");

        var serve = new Command("serve", "Serve the site (the default when no command is given).");
        serve.SetAction(async (_, cancellationToken) =>
        {
            await ServeAsync(app, cancellationToken);
            return 0;
        });
        root.Subcommands.Add(serve);

        var migrate = new Command("migrate", "Bring the database schema up to date (a deploy step on PostgreSQL) and seed a fresh database.");
        migrate.SetAction(async (_, cancellationToken) =>
        {
            await DatabaseSetup.MigrateAsync(app.Services, cancellationToken);
            await SeedAsync(app.Services, cancellationToken);
            Console.WriteLine("The database is up to date.");
            return 0;
        });
        root.Subcommands.Add(migrate);

        var import = new Command("import", "Import articles from files.");
        import.Subcommands.Add(ImportCommand(app, "text", ImportFormat.Text,
            "Plain text files: headline, blank line, dek, blank line, then the body's paragraphs."));
        import.Subcommands.Add(ImportCommand(app, "markdown", ImportFormat.Markdown,
            "Markdown files with YAML front matter (title, dek, author, date, section, tags, slug, status)."));
        import.Subcommands.Add(WxrCommands.Import(app));
        import.Subcommands.Add(Export.ImportJsonCommand.Create(app));
        root.Subcommands.Add(import);

        var export = new Command("export", "Export the site to a file.");
        export.Subcommands.Add(WxrCommands.Export(app));
        export.Subcommands.Add(Export.ExportJsonCommand.Create(app));
        root.Subcommands.Add(export);
        root.Subcommands.Add(Backup.BackupCommand.Create(app));

        root.Subcommands.Add(SeedDemoCommand(app));

        var user = new Command("user", "Staff accounts.");
        user.Subcommands.Add(UserAddCommand(app));
        user.Subcommands.Add(UserPasswordCommand.Create(app));
        root.Subcommands.Add(user);
        return root;
    }

    private static Command ImportCommand(WebApplication app, string name, ImportFormat format, string description)
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "Files to import." };
        var authors = new Option<string[]>("--author") { Description = "Byline for files that name none (repeat for several).", AllowMultipleArgumentsPerToken = false };
        var section = new Option<string?>("--section") { Description = "Section for files that name none." };
        var tags = new Option<string[]>("--tag") { Description = "Tag for files that name none (repeat for several)." };
        var date = new Option<string?>("--date") { Description = "Publication date (UTC, e.g. 2025-08-16T09:30:00Z) for files that give none; default now." };
        var draft = new Option<bool>("--draft") { Description = "Import as drafts instead of publishing." };

        var command = new Command(name, description) { files, authors, section, tags, date, draft };
        command.SetAction(async (parse, cancellationToken) =>
        {
            DateTime? publishedAt = null;
            if (parse.GetValue(date) is { } dateText)
            {
                if (!DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    await Console.Error.WriteLineAsync($"error: --date '{dateText}' is not a date. Use e.g. 2025-08-16T09:30:00Z.");
                    return 2;
                }

                publishedAt = parsed.UtcDateTime;
            }

            var defaults = new ImportDefaults
            {
                Authors = parse.GetValue(authors) ?? [],
                Section = parse.GetValue(section),
                Tags = parse.GetValue(tags) ?? [],
                PublishedAt = publishedAt,
                Status = parse.GetValue(draft) ? ArticleStatus.Draft : null,
            };

            await DatabaseSetup.PrepareForServingAsync(app.Services, cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            var importer = scope.ServiceProvider.GetRequiredService<ArticleImporter>();
            var result = await importer.ImportAsync(format, parse.GetValue(files) ?? [], defaults, cancellationToken);
            return await ReportAsync(result, scope.ServiceProvider.GetRequiredService<ArticleLinks>());
        });
        return command;
    }

    private static Command SeedDemoCommand(WebApplication app)
    {
        var articles = new Option<int>("--articles") { Description = "Generated articles to add.", DefaultValueFactory = _ => 1000 };
        var comments = new Option<int>("--comments-per-article") { Description = "Comments per generated article (threaded, mixed statuses).", DefaultValueFactory = _ => 10 };
        var sample = new Option<int>("--sample-comments") { Description = "Approved comments to add to the sample article (for benchmarks).", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed makes the same newsroom.", DefaultValueFactory = _ => 7 };
        var command = new Command("seed-demo", "Fill the site with generated articles and comments, for demos and load tests.") { articles, comments, sample, seed };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var size = new DemoSize(parse.GetValue(articles), parse.GetValue(comments), parse.GetValue(sample), parse.GetValue(seed));
            if (size.Articles < 0 || size.CommentsPerArticle < 0 || size.SampleArticleComments < 0)
            {
                await Console.Error.WriteLineAsync("error: counts cannot be negative.");
                return 2;
            }

            await DatabaseSetup.PrepareForServingAsync(app.Services, cancellationToken);
            await SeedAsync(app.Services, cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(size, new ProgressBar("articles"), cancellationToken);
            await scope.ServiceProvider.GetRequiredService<Infrastructure.Caching.ContentCache>().EverythingChangedAsync(cancellationToken);
            Console.Error.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Added {size.Articles:N0} articles with {size.CommentsPerArticle} comments each, and {size.SampleArticleComments} comments on the sample article."));
            // The figures bench/README.md quotes for seeding speed: every row counted, the whole run timed.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{seeded.Total:N0} rows ({seeded.Articles:N0} articles, {seeded.Bylines:N0} bylines, {seeded.TopicLinks:N0} topic links, {seeded.Comments:N0} comments) "
                + $"in {seeded.Elapsed.TotalSeconds:N1} s: {seeded.Articles / Math.Max(seeded.Elapsed.TotalSeconds, 0.001):N0} articles/s, "
                + $"{seeded.Total / Math.Max(seeded.Elapsed.TotalSeconds, 0.001):N0} rows/s; {seeded.Writing.TotalSeconds:N1} s of it writing to the database, the rest making the text."));
            return 0;
        });
        return command;
    }

    private static Command UserAddCommand(WebApplication app)
    {
        var email = new Option<string>("--email") { Description = "The account's email (also its sign-in name).", Required = true };
        var role = new Option<string>("--role") { Description = "Administrator, Editor, Author or Contributor.", Required = true };
        var name = new Option<string?>("--name") { Description = "Display name; defaults to the part of the email before @." };
        var passwordFromStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input instead of generating one." };
        var command = new Command("add", "Create a staff account (for scripted installs).") { email, role, name, passwordFromStdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var roleName = StaffRoles.Parse(parse.GetValue(role));
            if (roleName is null)
            {
                await Console.Error.WriteLineAsync($"error: --role must be one of {string.Join(", ", StaffRoles.All)}.");
                return 2;
            }

            var generated = !parse.GetValue(passwordFromStdin);
            var password = generated ? StaffPasswords.Generate() : (await Console.In.ReadLineAsync(cancellationToken))?.Trim() ?? "";
            await DatabaseSetup.PrepareForServingAsync(app.Services, cancellationToken);
            await AccountsServiceCollectionExtensions.EnsureRolesAsync(app.Services);
            await using var scope = app.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<StaffAccounts>()
                .CreateAsync(parse.GetValue(email)!, parse.GetValue(name), roleName, password, cancellationToken);
            if (!result.Succeeded)
            {
                foreach (var error in result.Errors)
                {
                    await Console.Error.WriteLineAsync($"error: {error.Description}");
                }

                return 1;
            }

            Console.WriteLine($"Created {roleName} account {parse.GetValue(email)}.");
            if (generated)
            {
                Console.WriteLine($"One-time password (shown once; sign in at /admin/login and keep it safe): {password}");
            }

            return 0;
        });
        return command;
    }

    private static async Task<int> ReportAsync(ImportResult result, ArticleLinks links)
    {
        if (result.Failures.Count > 0)
        {
            foreach (var failure in result.Failures)
            {
                await Console.Error.WriteLineAsync($"error: {failure.File}: {failure.Problem}");
            }

            await Console.Error.WriteLineAsync("Nothing was imported. Fix the files above and run the import again.");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Imported {result.Imported.Count} article(s):"));
        foreach (var article in result.Imported)
        {
            var where = article.PublishedAt is { } published && article.Status == ArticleStatus.Published
                ? links.Article(article.Slug, published)
                : $"({article.Status.ToString().ToLowerInvariant()})";
            Console.WriteLine($"  {where}  {article.Headline}");
        }

        return 0;
    }
}

using AngleSharp;
using AngleSharp.Dom;
using Broadsheet.Articles;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Infrastructure;

/// <summary>
/// The real app over real HTTP (TestServer), on its own SQLite file in a fresh temporary folder.
/// One per test class (IClassFixture); tests create the data they assert on.
/// </summary>
public class BroadsheetFactory : WebApplicationFactory<Program>
{
    private readonly bool _ownsDatabase;

    public BroadsheetFactory()
        : this(null)
    {
    }

    /// <summary>Serves <paramref name="database"/> (e.g. one a CLI test wrote); without one, a fresh database of its own.</summary>
    protected BroadsheetFactory(TestDatabase? database)
    {
        _ownsDatabase = database is null;
        Database = database ?? TestDatabase.Create();
    }

    public TestDatabase Database { get; }

    public string DataDirectory => Database.DataDirectory;

    /// <summary>Settings a test class wants on top of appsettings.json (keys as in configuration, e.g. "Broadsheet:Site:Name").</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in Database.Settings)
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public HttpClient CreateReader() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async Task<IDocument> GetDocumentAsync(string path, HttpClient? client = null)
    {
        client ??= CreateReader();
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}");
        return await ParseAsync(response);
    }

    public static async Task<IDocument> ParseAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var address = response.RequestMessage?.RequestUri?.ToString() ?? "http://localhost/";
        return await BrowsingContext.New(Configuration.Default).OpenAsync(request => request.Content(html).Address(address));
    }

    /// <summary>Creates published articles through the app's own writer (as an import would).</summary>
    public async Task<IReadOnlyList<Article>> CreateArticlesAsync(params ArticleDraft[] drafts)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ArticleWriter>().CreateAsync(drafts);
    }

    public async Task<T> WithServiceAsync<T, TService>(Func<TService, Task<T>> use)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
        {
            Database.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

public static class TempDirectory
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}

/// <summary>A unique, readable marker for the data one test creates.</summary>
public static class Unique
{
    public static string Words(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";
}

/// <summary>The site started over a database that something else (a CLI test) wrote; the caller owns the database.</summary>
public sealed class ExistingDatabaseFactory(TestDatabase database) : BroadsheetFactory(database);

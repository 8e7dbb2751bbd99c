using Microsoft.Playwright;

namespace Broadsheet.BrowserTests.Infrastructure;

/// <summary>
/// One running app and one headless Debian Chromium, shared by every browser test (starting them is
/// the slow part). Each test opens its own browser context, so no cookies, storage or settings leak
/// between tests, and the app is only read, never changed.
/// </summary>
public class BrowserSite : IAsyncLifetime
{
    public const string SampleArticle = "/2025/08/16/putin-and-trump-discuss-ukraine-war-end-in-alaska-talks";

    /// <summary>Debian's package; these machines have no internet, so Playwright never downloads a browser.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", // tests run as root in CI, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];

    /// <summary>Settings for the app (configuration keys), on top of its appsettings.json.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    private IPlaywright? playwright;
    private IBrowser? browser;
    private BroadsheetServer? server;

    public BroadsheetServer Server => server ?? throw new InvalidOperationException("The site has not started.");

    public Uri BaseAddress => Server.BaseAddress;

    public virtual async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumPath}: run scripts/ensure-test-deps.sh as root (it installs Debian's chromium).");
        }

        // The app and the browser start side by side: both take a second or two.
        var starting = BroadsheetServer.StartAsync(Settings);
        try
        {
            playwright = await Playwright.CreateAsync();
            browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
            });
        }
        catch
        {
            await StopStartingServerAsync(starting);
            throw;
        }

        server = await starting;
    }

    /// <summary>Leaves no app process behind when the browser could not start; the browser's error is the one reported.</summary>
    private static async Task StopStartingServerAsync(Task<BroadsheetServer> starting)
    {
        try
        {
            await (await starting).DisposeAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException)
        {
            // The app failed too; the browser's failure is rethrown by the caller.
        }
    }

    /// <summary>A fresh browser context on the site (1280×800 unless the options say otherwise); dispose it after the test.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL ??= BaseAddress.ToString();
        options.ViewportSize ??= new ViewportSize { Width = 1280, Height = 800 };
        var context = await (browser ?? throw new InvalidOperationException("The browser has not started.")).NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        return context;
    }

    /// <summary>
    /// Opens <paramref name="path"/> in a new page of <paramref name="context"/>, checks the status a reader
    /// would get, and waits until no CSS transition is running, so what a test sees or photographs is the
    /// page at rest.
    /// </summary>
    public static async Task<IPage> OpenAsync(IBrowserContext context, string path, int expectedStatus = 200)
    {
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(path);
        Assert.True(response is not null && response.Status == expectedStatus,
            $"GET {path} answered {response?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}, expected {expectedStatus}");
        await page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running')");
        return page;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSite>
{
    public const string Name = "Browser";
}

/// <summary>
/// A second site for the tests that post comments, so the shared site stays read-only. Comments
/// appear at once and the anti-flood limits are off: every post comes from 127.0.0.1 within seconds.
/// </summary>
public sealed class CommentingSite : BrowserSite
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:Comments:HoldFirstTimeCommenters"] = "false",
        ["Broadsheet:Comments:MinSecondsToPost"] = "0",
        ["Broadsheet:Comments:SecondsBetweenComments"] = "0",
        // Comments containing this word are held, so the staff journey has something to moderate.
        ["Broadsheet:Comments:HoldWords:0"] = "hold-for-moderation",
    };
}

[CollectionDefinition(Name)]
public sealed class CommentingCollection : ICollectionFixture<CommentingSite>
{
    public const string Name = "Commenting";
}

using Broadsheet.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Broadsheet.BrowserTests;

/// <summary>axe-core (npm, version pinned in package.json) run in Chromium on every page kind: no WCAG 2.2 A/AA violation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserSite site)
{
    public static TheoryData<string, string> PagesInBothColorSchemes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var path in SitePages.Paths)
            {
                data.Add(path, "light");
                data.Add(path, "dark");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PagesInBothColorSchemes))]
    public async Task Page_HasNoAccessibilityViolations(string path, string colorScheme)
    {
        await using var context = await NewContextAsync(colorScheme, new ViewportSize { Width = 1280, Height = 800 });
        var page = await BrowserSite.OpenAsync(context, path, SitePages.ExpectedStatus(path));

        await AssertNoViolationsAsync(page, $"{path} ({colorScheme})");
    }

    /// <summary>The Scroll to Top control is hidden at the top of a page, so axe only judges it (its contrast, its name) once it shows.</summary>
    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task ScrolledArticle_HasNoAccessibilityViolations_WithScrollToTopShowing(string colorScheme)
    {
        await using var context = await NewContextAsync(colorScheme, new ViewportSize { Width = 375, Height = 600 });
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);
        await page.EvaluateAsync("() => window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' })");
        var control = page.GetByRole(AriaRole.Link, new() { Name = "Scroll to Top" });
        await Expect(control).ToBeVisibleAsync();
        await Expect(control).ToHaveCSSAsync("opacity", "1"); // faded in: contrast is judged on the final colours

        await AssertNoViolationsAsync(page, $"{BrowserSite.SampleArticle} scrolled, Scroll to Top showing ({colorScheme})");
    }

    /// <summary>The check itself: on a page with known problems, axe reports them (so a clean result means something).</summary>
    [Fact]
    public async Task AxeCheck_ReportsViolations_OnAPageWithKnownProblems()
    {
        await using var context = await NewContextAsync("light", new ViewportSize { Width = 1280, Height = 800 });
        var page = await context.NewPageAsync();
        await page.SetContentAsync(
            """
            <!DOCTYPE html>
            <html><head><title>Known problems</title></head>
            <body><main><img src="data:,"><button></button><p style="color:#777;background:#888">Low contrast</p></main></body></html>
            """);

        var found = (await RunAxeAsync(page)).Select(v => v.Id).ToArray();

        Assert.Contains("html-has-lang", found);
        Assert.Contains("image-alt", found);
        Assert.Contains("button-name", found);
        Assert.Contains("color-contrast", found);
    }

    private Task<IBrowserContext> NewContextAsync(string colorScheme, ViewportSize viewport) =>
        site.NewContextAsync(Axe.ContextOptions(colorScheme, viewport));

    private static Task AssertNoViolationsAsync(IPage page, string what) => Axe.AssertNoViolationsAsync(page, what);

    private static Task<Axe.Violation[]> RunAxeAsync(IPage page) => Axe.RunAsync(page);
}

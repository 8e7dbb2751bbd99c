using System.Text;
using System.Text.Json;
using Broadsheet.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Broadsheet.BrowserTests;

/// <summary>axe-core (npm, version pinned in package.json) run in Chromium on every page kind: no WCAG 2.2 A/AA violation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserSite site)
{
    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

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
        site.NewContextAsync(new()
        {
            ViewportSize = viewport,
            ColorScheme = colorScheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            // The site's Content-Security-Policy rightly refuses inline scripts, and that is how Playwright
            // injects axe; bypassing it in the test browser changes nothing axe looks at.
            BypassCSP = true,
        });

    private static async Task AssertNoViolationsAsync(IPage page, string what)
    {
        var violations = await RunAxeAsync(page);
        Assert.True(violations.Length == 0, Describe(what, violations));
    }

    private static async Task<Violation[]> RunAxeAsync(IPage page)
    {
        await page.AddScriptTagAsync(new() { Path = RepositoryPaths.NodePackageFile("axe-core", "axe.min.js") });
        var json = await page.EvaluateAsync<string>(
            """
            async tags => {
              const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
              return JSON.stringify(result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                  target: n.target.map(t => Array.isArray(t) ? t.join(" >>> ") : t).join(" "),
                  html: n.html,
                  failureSummary: n.failureSummary,
                })),
              })));
            }
            """,
            WcagTags);
        return JsonSerializer.Deserialize<Violation[]>(json, JsonOptions)!;
    }

    private static string Describe(string what, Violation[] violations)
    {
        var text = new StringBuilder($"axe found {violations.Length} WCAG 2.2 A/AA violation(s) on {what}:");
        foreach (var violation in violations)
        {
            text.Append($"\n- {violation.Id} ({violation.Impact}): {violation.Help} <{violation.HelpUrl}>");
            foreach (var node in violation.Nodes)
            {
                text.Append($"\n    at {node.Target}\n      {node.Html}\n      {node.FailureSummary?.ReplaceLineEndings("\n      ")}");
            }
        }

        return text.ToString();
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record Violation(string Id, string? Impact, string Help, string HelpUrl, ViolationNode[] Nodes);

    private sealed record ViolationNode(string Target, string Html, string? FailureSummary);
}

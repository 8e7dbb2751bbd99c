using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Broadsheet.BrowserTests.Infrastructure;

/// <summary>axe-core (npm, version pinned in package.json) injected into a page: its WCAG 2.2 A/AA violations.</summary>
public static class Axe
{
    public static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    /// <summary>
    /// Options for a context that axe can run in. The site's Content-Security-Policy rightly refuses inline
    /// scripts, and that is how Playwright injects axe; bypassing it in the test browser changes nothing axe looks at.
    /// </summary>
    public static BrowserNewContextOptions ContextOptions(string colorScheme, ViewportSize? viewport = null) => new()
    {
        ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 },
        ColorScheme = colorScheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
        BypassCSP = true,
    };

    public static async Task AssertNoViolationsAsync(IPage page, string what)
    {
        var violations = await RunAsync(page);
        Assert.True(violations.Length == 0, Describe(what, violations));
    }

    public static async Task<Violation[]> RunAsync(IPage page)
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

    public sealed record Violation(string Id, string? Impact, string Help, string HelpUrl, ViolationNode[] Nodes);

    public sealed record ViolationNode(string Target, string Html, string? FailureSummary);
}

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Broadsheet.BrowserTests.Infrastructure;

namespace Broadsheet.BrowserTests;

/// <summary>
/// The HTML the server sends for every page kind, checked by html-validate (npm, version pinned in
/// package.json; rules and their reasons in .htmlvalidate.mjs): no errors.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HtmlValidityTests(BrowserSite site)
{
    // Node and html-validate take a second or two to start, so every page is checked in one run, the first
    // time a test asks; each test then judges its own page. One site per test run, so one check.
    private static readonly Lock Gate = new();
    private static Task<IReadOnlyDictionary<string, PageCheck>>? allPages;

    [Theory]
    [MemberData(nameof(SitePages.All), MemberType = typeof(SitePages))]
    public async Task Page_IsValidHtml(string path)
    {
        var page = (await CheckAllPagesOnceAsync())[path];
        Assert.Equal(SitePages.ExpectedStatus(path), page.Status);
        var errors = page.Messages.Where(m => m.Severity == 2).ToArray();
        Assert.True(errors.Length == 0, Describe(path, errors, page.Html));
    }

    /// <summary>The check itself: markup with known errors gets them reported (so a clean result means something).</summary>
    [Fact]
    public async Task HtmlCheck_ReportsErrors_InBrokenMarkup()
    {
        var broken = (await CheckAllPagesOnceAsync())[BrokenSample];

        var rules = broken.Messages.Where(m => m.Severity == 2).Select(m => m.RuleId).ToArray();
        Assert.Contains("element-required-attributes", rules); // <html> without lang
        Assert.Contains("no-implicit-close", rules);           // <p> closed by a <div>
        Assert.Contains("close-order", rules);                 // the stray </p>
    }

    /// <summary>Checked in the same html-validate run as the pages, in place of a page.</summary>
    private const string BrokenSample = "(known-bad sample)";

    private const string BrokenMarkup =
        "<!DOCTYPE html>\n<html><head><title>Broken</title></head><body><p>Text<div>block</div></p></body></html>\n";

    private Task<IReadOnlyDictionary<string, PageCheck>> CheckAllPagesOnceAsync()
    {
        lock (Gate)
        {
            return allPages ??= CheckAllPagesAsync(site.BaseAddress);
        }
    }

    private sealed record PageCheck(int Status, string Html, ValidationMessage[] Messages);

    private static async Task<IReadOnlyDictionary<string, PageCheck>> CheckAllPagesAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var folder = Directory.CreateTempSubdirectory("broadsheet-html-");
        try
        {
            var pages = new List<(string Path, int Status, string Html, string File)>();
            foreach (var (path, index) in SitePages.Paths.Select((p, i) => (p, i)))
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                var html = await response.Content.ReadAsStringAsync();
                var file = Path.Combine(folder.FullName, $"page{index}.html");
                await File.WriteAllTextAsync(file, html);
                pages.Add((path, (int)response.StatusCode, html, file));
            }

            var brokenFile = Path.Combine(folder.FullName, "broken.html");
            await File.WriteAllTextAsync(brokenFile, BrokenMarkup);
            pages.Add((BrokenSample, 0, BrokenMarkup, brokenFile));

            var messages = await ValidateAsync(pages.Select(p => p.File));
            return pages.ToDictionary(
                p => p.Path,
                p => new PageCheck(p.Status, p.Html, messages.TryGetValue(p.File, out var found) ? found : []));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Runs html-validate on the files; its messages by file.</summary>
    private static async Task<Dictionary<string, ValidationMessage[]>> ValidateAsync(IEnumerable<string> files)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.BrowserTests,
        };
        start.ArgumentList.Add(RepositoryPaths.NodePackageFile("html-validate", "bin/html-validate.mjs"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.BrowserTests, ".htmlvalidate.mjs"));
        start.ArgumentList.Add("--formatter");
        start.ArgumentList.Add("json");
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        // Exit 0: valid; 1: errors found, or html-validate itself failed (then it prints no JSON report).
        FileResult[]? results = null;
        try
        {
            results = JsonSerializer.Deserialize<FileResult[]>(await output, JsonOptions);
        }
        catch (JsonException)
        {
            // Reported just below, with what html-validate said.
        }

        if (process.ExitCode is not (0 or 1) || results is null)
        {
            throw new InvalidOperationException($"html-validate failed (exit {process.ExitCode}):\n{await error}\n{await output}");
        }

        return results.ToDictionary(r => r.FilePath, r => r.Messages);
    }

    private static string Describe(string path, ValidationMessage[] errors, string html)
    {
        var lines = html.Split('\n');
        var text = new StringBuilder($"html-validate found {errors.Length} error(s) in {path}:");
        foreach (var error in errors)
        {
            var source = error.Line >= 1 && error.Line <= lines.Length ? lines[error.Line - 1].Trim() : "";
            text.Append($"\n- {error.RuleId} at line {error.Line}:{error.Column} ({error.Selector}): {error.Message}\n    {source}");
        }

        return text.ToString();
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record FileResult(string FilePath, ValidationMessage[] Messages);

    private sealed record ValidationMessage(string RuleId, int Severity, string Message, int Line, int Column, string? Selector);
}

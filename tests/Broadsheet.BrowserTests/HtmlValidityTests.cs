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
        var errors = HtmlValidator.Errors(page.Messages);
        Assert.True(errors.Length == 0, HtmlValidator.Describe(path, errors, page.Html));
    }

    /// <summary>The check itself: markup with known errors gets them reported (so a clean result means something).</summary>
    [Fact]
    public async Task HtmlCheck_ReportsErrors_InBrokenMarkup()
    {
        var broken = (await CheckAllPagesOnceAsync())[BrokenSample];

        var rules = HtmlValidator.Errors(broken.Messages).Select(m => m.RuleId).ToArray();
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

    private sealed record PageCheck(int Status, string Html, HtmlValidator.Message[] Messages);

    private static async Task<IReadOnlyDictionary<string, PageCheck>> CheckAllPagesAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var pages = new Dictionary<string, (int Status, string Html)>();
        foreach (var path in SitePages.Paths)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            pages[path] = ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        pages[BrokenSample] = (0, BrokenMarkup);
        var messages = await HtmlValidator.CheckAsync(pages.ToDictionary(p => p.Key, p => p.Value.Html));
        return pages.ToDictionary(p => p.Key, p => new PageCheck(p.Value.Status, p.Value.Html, messages[p.Key]));
    }
}

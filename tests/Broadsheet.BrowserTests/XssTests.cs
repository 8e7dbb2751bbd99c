using System.Text.RegularExpressions;
using Broadsheet.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Broadsheet.BrowserTests;

/// <summary>
/// Every payload of TestData/xss-payloads.txt through the reader inputs of the comment form (comment,
/// name, website) and the search query, then the pages that show them loaded in Chromium (the check
/// is <see cref="XssCheck"/>). Report notes and the newsroom's inputs: <see cref="StaffXssTests"/>.
/// </summary>
[Collection(CommentingCollection.Name)]
public sealed partial class XssTests(CommentingSite site)
{
    [Fact]
    public async Task XssPayloads_InCommentsNamesAndWebsites_NeverRun()
    {
        var payloads = Payloads();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = site.BaseAddress };
        var page = await http.GetStringAsync(BrowserSite.SampleArticle);
        var stamp = StampPattern().Match(page).Groups[1].Value;
        var articleId = ArticleIdPattern().Match(page).Groups[1].Value;
        var rejected = new List<string>();

        foreach (var payload in payloads)
        {
            foreach (var (comment, name, url) in new[] { (payload, Cut(payload, 245), ""), ($"Safe text {Guid.NewGuid():N}", "Safe name", Cut(payload, 200)) })
            {
                using var response = await http.PostAsync(BrowserSite.SampleArticle, new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["comment"] = comment, ["author"] = name, ["email"] = $"{Guid.NewGuid():N}@example.com", ["url"] = url,
                    ["comment_post_ID"] = articleId, ["comment_parent"] = "0", ["form_stamp"] = stamp,
                }));
                Assert.True((int)response.StatusCode is 303 or 400, $"{(int)response.StatusCode} for {payload}");
                if ((int)response.StatusCode == 400)
                {
                    rejected.Add(await response.Content.ReadAsStringAsync());
                }
            }
        }

        await using var context = await site.NewContextAsync();
        var dialogs = new List<string>();
        var browserPage = await context.NewPageAsync();
        browserPage.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };

        // Every page of the comment thread, as readers get it.
        string? next = BrowserSite.SampleArticle;
        var pages = 0;
        while (next is not null)
        {
            await browserPage.GotoAsync(next);
            await AssertCleanAsync(browserPage, next);
            next = await browserPage.Locator("#comments a[rel=next]").CountAsync() > 0
                ? await browserPage.Locator("#comments a[rel=next]").GetAttributeAsync("href")
                : null;
            pages++;
        }

        Assert.True(pages >= 4, $"expected the {payloads.Count} payload comments to span several pages, saw {pages}");
        // Every rejected form, re-rendered with the reader's text kept.
        foreach (var html in rejected)
        {
            await browserPage.SetContentAsync(html);
            await AssertCleanAsync(browserPage, "a rejected comment form");
        }

        Assert.Empty(dialogs);
    }

    [Fact]
    public async Task XssPayloads_InTheSearchQuery_NeverRun()
    {
        await using var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();
        var dialogs = 0;
        page.Dialog += async (_, dialog) =>
        {
            dialogs++;
            await dialog.DismissAsync();
        };

        foreach (var payload in Payloads())
        {
            var response = await page.GotoAsync($"/search?q={Uri.EscapeDataString(payload)}");
            Assert.True(response!.Status is 200, $"{response.Status} for {payload}");
            await AssertCleanAsync(page, $"search for {payload}");
            // The box shows the query as typed (a search box drops line breaks, as browsers do).
            var typed = (payload.Length > 200 ? payload[..200] : payload).Replace("\n", "", StringComparison.Ordinal);
            Assert.Equal(typed, await page.InputValueAsync("#q"));
        }

        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task TheCheck_CatchesAPayloadThatWasNotEscaped()
    {
        await using var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.SetContentAsync("<p>ok</p><img src=x onerror=window.__xss=1><a href='javascript:void 0'>x</a><script>window.__xss=1</script>");
        await page.WaitForFunctionAsync("() => window.__xss === 1");
        var result = await page.EvaluateAsync<XssCheck.DomResult>(XssCheck.DomCheck);

        Assert.True(result.Ran);
        Assert.Contains(result.Problems, p => p.Contains("onerror", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Contains("javascript:", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.StartsWith("foreign script", StringComparison.Ordinal));
    }

    private static Task AssertCleanAsync(IPage page, string where) => XssCheck.AssertCleanAsync(page, where);

    private static IReadOnlyList<string> Payloads() => XssCheck.Payloads;

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;

    [GeneratedRegex("name=\"form_stamp\" value=\"([^\"]+)\"")]
    private static partial Regex StampPattern();

    [GeneratedRegex("name=\"comment_post_ID\" value=\"([0-9]+)\"")]
    private static partial Regex ArticleIdPattern();
}

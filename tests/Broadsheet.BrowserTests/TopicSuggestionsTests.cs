using Broadsheet.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Broadsheet.BrowserTests;

/// <summary>The article editor's topics field offers existing topics as the last one is typed (editor.js, a datalist).</summary>
[Collection(NewsroomCollection.Name)]
public sealed class TopicSuggestionsTests(NewsroomSite site)
{
    [Fact]
    public async Task TypingInTheTopicsField_OffersAnExistingTopic()
    {
        var topic = $"Wharfside {Guid.NewGuid().ToString("N")[..6]}";
        await using (var staff = await site.NewStaffContextAsync())
        {
            var token = await SiteForms.AntiforgeryTokenAsync(staff);
            await SiteForms.SaveArticleAsync(staff, token, null, new Dictionary<string, string>
            {
                ["Headline"] = "Piers to be rebuilt",
                ["BodyMarkdown"] = "Work starts in spring.",
                ["Tags"] = $"{topic}, Harbour",
            }, action: "save");

            // Under the site's Content-Security-Policy, as staff use it.
            var suggestions = await TypeAsync(staff, $"Transport, {topic[..^3].ToLowerInvariant()}");

            await Expect(suggestions).ToHaveCountAsync(1);
            await Expect(suggestions).ToHaveAttributeAsync("value", $"Transport, {topic}");
        }

        // axe needs its script injected, which the policy forbids: a context of its own, with the list showing.
        await using var checking = await site.NewStaffContextAsync(Axe.ContextOptions("light"));
        var offered = await TypeAsync(checking, topic[..^2]);
        await Expect(offered).ToHaveCountAsync(1);
        await Axe.AssertNoViolationsAsync(offered.Page, "article editor offering a topic");
    }

    /// <summary>Types into a new article's topics field, key by key; the options its datalist then holds.</summary>
    private static async Task<ILocator> TypeAsync(IBrowserContext staff, string text)
    {
        var editor = await BrowserSite.OpenAsync(staff, "/admin/articles/new");
        var field = editor.Locator("#Edit_Tags");
        await field.PressSequentiallyAsync(text);
        return editor.Locator($"datalist#{await field.GetAttributeAsync("list")} option");
    }
}

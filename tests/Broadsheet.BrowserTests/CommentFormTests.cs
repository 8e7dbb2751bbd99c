using Broadsheet.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Broadsheet.BrowserTests;

/// <summary>The comment section's JavaScript: posting without a reload, remembered details, the moving reply form, keyboard use.</summary>
[Collection(CommentingCollection.Name)]
public sealed class CommentFormTests(CommentingSite site)
{
    private static string Name() => $"Reader {Guid.NewGuid().ToString("N")[..6]}";

    private static string Email() => $"{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task PostingAComment_InsertsItWithoutReloadingThePage()
    {
        await using var context = await site.NewContextAsync();
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);
        await page.EvaluateAsync("() => window.stillTheSamePage = true");
        var name = Name();

        await page.FillAsync("#comment", "Posted from the browser, *without* a reload.");
        await page.FillAsync("#author", name);
        await page.FillAsync("#email", Email());
        await page.ClickAsync("#commentform button[type=submit]");

        var comment = page.Locator("ol.comment-list > li.comment").Filter(new() { HasText = name });
        await Expect(comment).ToBeVisibleAsync();
        await Expect(comment.Locator(".comment-content em")).ToHaveTextAsync("without");
        await Expect(page.Locator(".comment-status")).ToHaveTextAsync("Your comment has been posted.");
        await Expect(page.Locator("#comment")).ToHaveValueAsync("");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
        await Expect(comment.Locator("time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("now|second|minute"));
    }

    [Fact]
    public async Task ARejectedComment_ShowsMessagesAtTheFields_AndKeepsTheText()
    {
        await using var context = await site.NewContextAsync();
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);

        await page.FillAsync("#comment", "Text I do not want to lose");
        await page.FillAsync("#email", "not an email");
        await page.ClickAsync("#commentform button[type=submit]");

        var problems = page.Locator("#commentform .form-problems[role=alert]");
        await Expect(problems).ToBeVisibleAsync();
        await Expect(problems).ToBeFocusedAsync();
        await Expect(page.Locator("#author-error")).ToHaveTextAsync("Please enter your name.");
        await Expect(page.Locator("#email-error")).ToHaveTextAsync("Please enter a valid email address.");
        await Expect(page.Locator("#author")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#comment")).ToHaveValueAsync("Text I do not want to lose");

        await page.FillAsync("#author", Name());
        await page.FillAsync("#email", Email());
        await page.ClickAsync("#commentform button[type=submit]");
        await Expect(problems).ToHaveCountAsync(0);
        await Expect(page.Locator("#author-error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SavedDetails_FillTheFormNextTime_InThisBrowserOnly()
    {
        await using var context = await site.NewContextAsync();
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);
        var (name, email) = (Name(), Email());
        await page.FillAsync("#comment", "Remember me, please.");
        await page.FillAsync("#author", name);
        await page.FillAsync("#email", email);
        await page.FillAsync("#url", "https://reader.example");
        await page.CheckAsync("#wp-comment-cookies-consent");
        await page.ClickAsync("#commentform button[type=submit]");
        await Expect(page.Locator(".comment-status")).ToHaveTextAsync("Your comment has been posted.");

        var later = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);

        await Expect(later.Locator("#author")).ToHaveValueAsync(name);
        await Expect(later.Locator("#email")).ToHaveValueAsync(email);
        await Expect(later.Locator("#url")).ToHaveValueAsync("https://reader.example");
        await Expect(later.Locator("#wp-comment-cookies-consent")).ToBeCheckedAsync();
        // The page itself, as the server sent it, carries none of it: only this browser's storage does.
        var html = await (await later.APIRequest.GetAsync(BrowserSite.SampleArticle)).TextAsync();
        Assert.DoesNotContain(email, html, StringComparison.OrdinalIgnoreCase);

        await using var stranger = await site.NewContextAsync();
        var elsewhere = await BrowserSite.OpenAsync(stranger, BrowserSite.SampleArticle);
        await Expect(elsewhere.Locator("#email")).ToHaveValueAsync("");
    }

    [Fact]
    public async Task Reply_MovesTheFormUnderTheComment_AndCancelPutsItBack()
    {
        await using var context = await site.NewContextAsync();
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);
        var parentName = Name();
        await PostAsync(page, "A comment worth answering.", parentName);
        var parent = page.Locator("li.comment").Filter(new() { HasText = parentName }).First;

        await parent.Locator(".comment-reply-link").First.ClickAsync();

        await Expect(parent.Locator("#respond")).ToHaveCountAsync(1);
        await Expect(page.Locator("#reply-title")).ToContainTextAsync($"Reply to {parentName}");
        await Expect(page.Locator("#comment")).ToBeFocusedAsync();
        var replier = Name();
        await PostAsync(page, "And here is my answer.", replier);
        await Expect(parent.Locator("ol.children > li.comment").Filter(new() { HasText = replier })).ToBeVisibleAsync();
        await Expect(page.Locator("#comments > #respond")).ToHaveCountAsync(1);

        await parent.Locator(".comment-reply-link").First.ClickAsync();
        await page.ClickAsync("#cancel-comment-reply-link");
        await Expect(page.Locator("#comments > #respond")).ToHaveCountAsync(1);
        await Expect(page.Locator("#comment_parent")).ToHaveValueAsync("0");
        await Expect(page.Locator("#reply-title")).ToContainTextAsync("Leave a Comment");
    }

    [Fact]
    public async Task TheFormCanBeFilledAndSentWithTheKeyboardAlone()
    {
        await using var context = await site.NewContextAsync();
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);
        var name = Name();
        await page.Locator("#comment").FocusAsync();

        await page.Keyboard.TypeAsync("Typed without a mouse.");
        foreach (var (id, text) in new[] { ("author", name), ("email", Email()), ("url", "") })
        {
            await page.Keyboard.PressAsync("Tab");
            await Expect(page.Locator($"#{id}")).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync(text);
        }

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#wp-comment-cookies-consent")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#commentform button[type=submit]")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("li.comment").Filter(new() { HasText = name })).ToBeVisibleAsync();
    }

    private static async Task PostAsync(IPage page, string text, string name)
    {
        await page.FillAsync("#comment", text);
        await page.FillAsync("#author", name);
        await page.FillAsync("#email", Email());
        await page.ClickAsync("#commentform button[type=submit]");
        await Expect(page.Locator("li.comment").Filter(new() { HasText = name }).First).ToBeVisibleAsync();
    }
}

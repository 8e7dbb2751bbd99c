using System.Text.RegularExpressions;
using Broadsheet.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Broadsheet.BrowserTests;

/// <summary>
/// The newsroom's side, in the browser: a held comment, the first-run setup, the moderation desk
/// driven by its keyboard shortcuts, and the reader's page showing the approved comment.
/// </summary>
[Collection(CommentingCollection.Name)]
public sealed class StaffJourneyTests(CommentingSite site)
{
    [Fact]
    public async Task AHeldComment_IsApprovedFromTheDeskByKeyboard_AndReadersSeeIt()
    {
        // A reader's comment is held: only they see it, marked as awaiting moderation.
        await using var reader = await site.NewContextAsync();
        var article = await BrowserSite.OpenAsync(reader, BrowserSite.SampleArticle);
        var name = $"Held Reader {Guid.NewGuid().ToString("N")[..6]}";
        await article.FillAsync("#comment", "Please hold-for-moderation this thoughtful remark.");
        await article.FillAsync("#author", name);
        await article.FillAsync("#email", $"{Guid.NewGuid():N}@example.com");
        await article.ClickAsync("#commentform button[type=submit]");
        await Expect(article.Locator(".comment-status")).ToHaveTextAsync("Thank you. Your comment is awaiting moderation.");
        var held = article.Locator("li.comment").Filter(new() { HasText = name });
        await Expect(held.Locator(".comment-awaiting-moderation")).ToBeVisibleAsync();
        // Its permanent link finds nothing for anyone while it is held (the thread may be long: the link, not page 1, is the test).
        var permalink = $"/comments/{(await held.GetAttributeAsync("id"))!["comment-".Length..]}";
        await BrowserSite.OpenAsync(reader, permalink, expectedStatus: 404);

        // The first staff account, through the setup page (this site has none yet).
        await using var staff = await site.NewContextAsync();
        var setup = await BrowserSite.OpenAsync(staff, "/admin/setup");
        await setup.FillAsync("#Input_DisplayName", "Desk Editor");
        await setup.FillAsync("#Input_Email", "desk@newsroom.example");
        await setup.FillAsync("#Input_Password", "a long and careful password");
        await setup.ClickAsync("button[type=submit]");
        await Expect(setup).ToHaveURLAsync(new Regex("/admin$"));

        // The desk: j moves to the comment, a approves it.
        var desk = await BrowserSite.OpenAsync(staff, "/admin/comments?queue=pending");
        var item = desk.Locator(".moderation-item").Filter(new() { HasText = name });
        await Expect(item).ToContainTextAsync("held: contains \"hold-for-moderation\"");
        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        await desk.ScreenshotAsync(new() { Path = Path.Combine(RepositoryPaths.Screenshots, "moderation-queue-1280.png"), FullPage = true });
        var position = await desk.Locator(".moderation-item").EvaluateAllAsync<int>(
            $"(items, name) => items.findIndex(i => i.textContent.includes(name))", name);
        for (var i = 0; i <= position; i++)
        {
            await desk.Keyboard.PressAsync("j");
        }

        await Expect(item).ToHaveClassAsync(new Regex("is-current"));
        await desk.Keyboard.PressAsync("a");
        await Expect(desk.Locator(".notice")).ToHaveTextAsync("Approved: 1 comment.");

        // The reader's (cached) page now shows it, on whichever page of the thread it falls.
        var after = await BrowserSite.OpenAsync(reader, permalink);
        await Expect(after.Locator("li.comment").Filter(new() { HasText = name })).ToBeVisibleAsync();
        await Expect(after.Locator("li.comment").Filter(new() { HasText = name }).Locator(".comment-awaiting-moderation")).ToHaveCountAsync(0);
    }
}

using System.Text.RegularExpressions;
using Broadsheet.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Broadsheet.BrowserTests;

/// <summary>A new article saves itself while it is typed (editor.js), and Save then updates that draft.</summary>
[Collection(NewsroomCollection.Name)]
public sealed class EditorAutosaveTests(NewsroomSite site)
{
    [Fact]
    public async Task NewArticle_SavesItselfWhileTyped_AndSaveUpdatesThatDraft_NotASecondArticle()
    {
        await using var staff = await site.NewStaffContextAsync();
        var editor = await BrowserSite.OpenAsync(staff, "/admin/articles/new");
        var headline = $"Ferry timetable changes {Guid.NewGuid().ToString("N")[..6]}";

        await editor.FillAsync("#Edit_Headline", headline);
        await editor.FillAsync("#Edit_BodyMarkdown", "The first crossing leaves at six.");

        // A few seconds after typing stops, the draft exists and the page has become its editor.
        await Expect(editor.Locator(".autosave-status")).ToHaveTextAsync(new Regex("^Draft saved at "), new() { Timeout = 20_000 });
        await Expect(editor).ToHaveURLAsync(new Regex(@"/admin/articles/\d+$"));
        var draftUrl = editor.Url;
        var elsewhere = await BrowserSite.OpenAsync(staff, new Uri(draftUrl).AbsolutePath);
        await Expect(elsewhere.Locator("#Edit_BodyMarkdown")).ToHaveValueAsync("The first crossing leaves at six.");
        await elsewhere.CloseAsync();

        await editor.FillAsync("#Edit_BodyMarkdown", "The first crossing leaves at six, the last at ten.");
        await editor.ClickAsync("button[value=save]");

        await Expect(editor.Locator(".notice")).ToHaveTextAsync("Saved as a draft.");
        Assert.Equal(draftUrl, editor.Url);
        await Expect(editor.Locator("#Edit_BodyMarkdown")).ToHaveValueAsync("The first crossing leaves at six, the last at ten.");
        var list = await BrowserSite.OpenAsync(staff, $"/admin/articles?q={Uri.EscapeDataString(headline)}");
        await Expect(list.Locator(".audit-table tbody tr")).ToHaveCountAsync(1);
    }
}

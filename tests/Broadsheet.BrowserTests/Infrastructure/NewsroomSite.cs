using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Broadsheet.BrowserTests.Infrastructure;

/// <summary>
/// A site with a newsroom: the first Administrator is created through the setup page as the site starts,
/// and <see cref="NewStaffContextAsync"/> hands out browser contexts signed in as them. Comments behave as on
/// <see cref="CommentingSite"/> (no flood limits), plus a word that sends a comment straight to spam, so every
/// moderation queue can be filled. Listings show 100 articles a page, so a few pages show many articles.
/// </summary>
public sealed class NewsroomSite : BrowserSite
{
    public const string StaffName = "Night Editor";
    public const string StaffEmail = "night@newsroom.example";
    public const string StaffPassword = "a long and careful password";

    /// <summary>In a comment, holds it for moderation.</summary>
    public const string HoldWord = "hold-for-moderation";

    /// <summary>In a comment, sends it straight to spam.</summary>
    public const string SpamWord = "spam-for-sure";

    private string? staffCookies;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:Comments:HoldFirstTimeCommenters"] = "false",
        ["Broadsheet:Comments:MinSecondsToPost"] = "0",
        ["Broadsheet:Comments:SecondsBetweenComments"] = "0",
        ["Broadsheet:Comments:HoldWords:0"] = HoldWord,
        ["Broadsheet:Comments:DisallowedWords:0"] = SpamWord,
        ["Broadsheet:Site:ListingPageSize"] = "100",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var context = await NewContextAsync();
        var setup = await OpenAsync(context, "/admin/setup");
        await setup.FillAsync("#Input_DisplayName", StaffName);
        await setup.FillAsync("#Input_Email", StaffEmail);
        await setup.FillAsync("#Input_Password", StaffPassword);
        await setup.ClickAsync("button[type=submit]");
        await Expect(setup).ToHaveURLAsync(new Regex("/admin$"));
        staffCookies = await context.StorageStateAsync();
    }

    /// <summary>A fresh browser context signed in as the site's Administrator; dispose it after the test.</summary>
    public Task<IBrowserContext> NewStaffContextAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.StorageState = staffCookies ?? throw new InvalidOperationException("The site has not started.");
        return NewContextAsync(options);
    }
}

/// <summary>The newsroom pages' accessibility and validity, on a site of their own (their data stays as they made it).</summary>
[CollectionDefinition(Name)]
public sealed class NewsroomCollection : ICollectionFixture<NewsroomSite>
{
    public const string Name = "Newsroom";
}

/// <summary>XSS payloads through the newsroom's and the report form's inputs, on a site of their own (hundreds of hostile articles).</summary>
[CollectionDefinition(Name)]
public sealed class HostileNewsroomCollection : ICollectionFixture<NewsroomSite>
{
    public const string Name = "Hostile newsroom";
}

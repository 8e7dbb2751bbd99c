using System.Net;
using AngleSharp.Dom;
using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Tests.Accounts;
using Broadsheet.Tests.Comments;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Admin;

public sealed class SettingsPageTests(CommentsFactory app) : IClassFixture<CommentsFactory>
{
    private static Task<HttpResponseMessage> SaveAsync(HttpClient admin, AngleSharp.Dom.IDocument page, Dictionary<string, string> values) =>
        admin.SubmitAsync(page, "#settings-form", values);

    [Fact]
    public async Task SavedName_ShowsOnTheCachedPublicMastheadAtOnce_AndIsAudited()
    {
        Assert.Equal("The Broadsheet", (await app.GetDocumentAsync("/")).QuerySelector(".masthead-name")!.TextContent); // now cached
        var admin = await app.SignedInAsync(StaffRoles.Administrator);
        var name = Unique.Words("The Gazette");

        var response = await SaveAsync(admin, await admin.GetDocumentAsync("/admin/settings"), new()
        {
            ["Input.Name"] = name,
            ["Input.Tagline"] = "News from the valley",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await admin.GetDocumentAsync(response.Headers.Location!.OriginalString);
        Assert.Equal("Settings saved.", after.QuerySelector(".notice")!.TextContent);
        Assert.Equal(name, after.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#Name")!.Value);
        var front = await app.GetDocumentAsync("/");
        Assert.Equal(name, front.QuerySelector(".masthead-name")!.TextContent);
        Assert.Equal("News from the valley", front.QuerySelector(".masthead-tagline")!.TextContent);
        var audit = await app.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == "settings.change" && e.TargetId == SavedSettings.SiteName && e.Details!.EndsWith($"\"{name}\"")));
        Assert.Equal($"\"The Broadsheet\" → \"{name}\"", audit.Details);

        // Back to the configured name: the override goes, configuration rules again.
        await SaveAsync(admin, await admin.GetDocumentAsync("/admin/settings"), new() { ["Input.Name"] = "The Broadsheet" });
        Assert.Equal("The Broadsheet", (await app.GetDocumentAsync("/")).QuerySelector(".masthead-name")!.TextContent);
        Assert.False(await app.WithDbAsync(db => db.SiteSettings.AnyAsync(s => s.Key == SavedSettings.SiteName)));
    }

    [Fact]
    public async Task HoldAll_Saved_HoldsTheNextComment()
    {
        var (_, url) = await app.CreateArticleAsync();
        var admin = await app.SignedInAsync(StaffRoles.Administrator);
        await SaveAsync(admin, await admin.GetDocumentAsync("/admin/settings"), new() { ["Input.HoldFirstTimeCommenters"] = "false" });
        var before = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Straight through", "Reader", $"{Guid.NewGuid():N}@example.com"));
        Assert.Equal(CommentStatus.Approved, (await app.FindCommentAsync(before)).Status);

        var response = await SaveAsync(admin, await admin.GetDocumentAsync("/admin/settings"), new() { ["Input.HoldAll"] = "true", ["Input.HoldFirstTimeCommenters"] = "false" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var after = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Held now", "Reader", $"{Guid.NewGuid():N}@example.com"));

        var held = await app.FindCommentAsync(after);
        Assert.Equal(CommentStatus.Pending, held.Status);
        Assert.Equal("held: every comment is held for moderation", held.StatusReason);
        Assert.Null((await app.GetDocumentAsync(url)).GetElementById($"comment-{after}"));

        await SaveAsync(admin, await admin.GetDocumentAsync("/admin/settings"), new() { ["Input.HoldAll"] = "false", ["Input.HoldFirstTimeCommenters"] = "true" });
    }

    [Fact]
    public async Task UnknownTimeZone_IsRefused_WithTheTextKept_AndNothingSaved()
    {
        var admin = await app.SignedInAsync(StaffRoles.Administrator);
        var page = await admin.GetDocumentAsync("/admin/settings");

        var response = await SaveAsync(admin, page, new()
        {
            ["Input.Name"] = "Not Saved Gazette",
            ["Input.TimeZone"] = "Mars/Olympus_Mons",
            ["Input.MaxDepth"] = "eleven",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var form = await BroadsheetFactory.ParseAsync(response);
        Assert.Equal("Mars/Olympus_Mons", form.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#TimeZone")!.Value);
        Assert.Equal("Enter an IANA time zone such as UTC, Europe/London or America/New_York.", form.GetElementById("TimeZone-error")!.TextContent);
        Assert.Equal("true", form.GetElementById("TimeZone")!.GetAttribute("aria-invalid"));
        Assert.Equal("eleven", form.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#MaxDepth")!.Value);
        Assert.Equal("Enter a whole number from 1 to 10.", form.GetElementById("MaxDepth-error")!.TextContent);
        Assert.Equal("Not Saved Gazette", form.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#Name")!.Value);
        Assert.NotEqual("Not Saved Gazette", (await app.GetDocumentAsync("/")).QuerySelector(".masthead-name")!.TextContent);
        Assert.False(await app.WithDbAsync(db => db.SiteSettings.AnyAsync(s => s.Key == SavedSettings.SiteTimeZone || s.Value == "Not Saved Gazette")));
    }

    [Fact]
    public async Task ANameOfOnlyZeroWidthCharacters_IsRefused_LikeAnEmptyOne()
    {
        var admin = await app.SignedInAsync(StaffRoles.Administrator);

        var response = await SaveAsync(admin, await admin.GetDocumentAsync("/admin/settings"), new() { ["Input.Name"] = "\u200B\u200D" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Enter the site's name.", (await BroadsheetFactory.ParseAsync(response)).GetElementById("Name-error")!.TextContent);
    }

    [Theory]
    [InlineData(StaffRoles.Editor)]
    [InlineData(StaffRoles.Author)]
    [InlineData(StaffRoles.Contributor)]
    public async Task OtherRoles_AreRefused_EvenWithAForgedPost(string role)
    {
        var client = await app.SignedInAsync(role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin/settings")).StatusCode);
        var token = (await client.GetDocumentAsync("/admin")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var response = await client.PostAsync("/admin/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Name"] = "Hijacked",
            ["Input.TimeZone"] = "UTC",
        }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.SiteSettings.AnyAsync(s => s.Value == "Hijacked")));
    }

    [Fact]
    public async Task SavedName_ReachesAnotherNode_WithoutARestart()
    {
        await using var other = new ExistingDatabaseFactory(app.Database);
        Assert.Equal("The Broadsheet", (await other.GetDocumentAsync("/latest")).QuerySelector(".masthead-name")!.TextContent); // cached there
        var admin = await app.SignedInAsync(StaffRoles.Administrator);
        var name = Unique.Words("Node Gazette");

        await SaveAsync(admin, await admin.GetDocumentAsync("/admin/settings"), new() { ["Input.Name"] = name });

        Assert.Equal(name, await MastheadNameAsync(other, name));
        await SaveAsync(admin, await admin.GetDocumentAsync("/admin/settings"), new() { ["Input.Name"] = "The Broadsheet" });
    }

    [Fact]
    public async Task SavedName_ReachesThisNode_EvenWhenThisNodeChangedContentBeforeItsNextLook()
    {
        // This node (the fixture) looks for other processes' changes when its fake clock ticks; another node saves.
        await using var other = new ExistingDatabaseFactory(app.Database);
        var admin = await other.SignedInAsync(StaffRoles.Administrator);
        var name = Unique.Words("Overlooked Gazette");
        await SaveAsync(admin, await admin.GetDocumentAsync("/admin/settings"), new() { ["Input.Name"] = name });
        try
        {
            // Before its next look this node changes content itself: its own stamp must not hide the other node's.
            await app.CreateArticlesAsync(new ArticleDraft { Headline = Unique.Words("Published here meanwhile"), BodyMarkdown = "Body." });

            Assert.Equal(name, await MastheadNameAsync(app, name, tick: () => app.Clock.Advance(TimeSpan.FromSeconds(2))));
        }
        finally
        {
            await SaveAsync(admin, await admin.GetDocumentAsync("/admin/settings"), new() { ["Input.Name"] = "The Broadsheet" });
        }

        Assert.Equal("The Broadsheet", await MastheadNameAsync(app, "The Broadsheet", tick: () => app.Clock.Advance(TimeSpan.FromSeconds(2))));
    }

    /// <summary>The site name <paramref name="node"/>'s readers see, once it is <paramref name="expected"/> or after a deadline.</summary>
    private static Task<string> MastheadNameAsync(BroadsheetFactory node, string expected, Action? tick = null) =>
        Eventually.ReadAsync(async () => (await node.GetDocumentAsync("/latest")).QuerySelector(".masthead-name")!.TextContent, shown => shown == expected, tick);
}

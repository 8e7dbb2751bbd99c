using System.Globalization;
using System.Text.RegularExpressions;
using Broadsheet.BrowserTests.Infrastructure;

namespace Broadsheet.BrowserTests;

/// <summary>
/// The newsroom's pages, signed in, with something in each of them (an article with two revisions, a
/// comment in every moderation queue): axe finds no WCAG 2.2 A/AA violation in light or dark, and
/// html-validate no error. The setup page is checked with the public pages (<see cref="SitePages"/>),
/// since only a site without accounts offers it.
/// </summary>
[Collection(NewsroomCollection.Name)]
public sealed partial class StaffPagesTests(NewsroomSite site)
{
    // The pages' data is made once, by the first test that needs it; every test only reads it.
    private static readonly Lock Gate = new();
    private static Task<IReadOnlyDictionary<string, string>>? pathsByName;
    private static Task<IReadOnlyDictionary<string, HtmlCheck>>? checkedHtml;

    /// <summary>Staff page kinds; their paths depend on the data, so they are found at run time.</summary>
    public static readonly string[] PageNames =
    [
        "login", "dashboard", "article list", "new article", "article editor", "article editor with errors", "revisions",
        "pending queue", "approved queue", "spam queue", "trash queue", "reported queue", "audit log",
        "users", "user account", "authors", "author editor",
    ];

    public static TheoryData<string> Pages => new(PageNames);

    public static TheoryData<string, string> PagesInBothColorSchemes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var name in PageNames)
            {
                data.Add(name, "light");
                data.Add(name, "dark");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PagesInBothColorSchemes))]
    public async Task StaffPage_HasNoAccessibilityViolations(string name, string colorScheme)
    {
        var path = (await PathsAsync())[name];
        var options = Axe.ContextOptions(colorScheme);
        await using var context = name == "login" ? await site.NewContextAsync(options) : await site.NewStaffContextAsync(options);
        var page = await BrowserSite.OpenAsync(context, path);
        if (name == "article editor with errors")
        {
            await page.FillAsync("#Edit_Headline", "");
            await page.ClickAsync("button[value=save]");
            await page.Locator(".field-validation-error").First.WaitForAsync();
        }

        await Axe.AssertNoViolationsAsync(page, $"{name} {path} ({colorScheme})");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task StaffPage_IsValidHtml(string name)
    {
        var check = (await CheckedHtmlAsync())[name];
        var errors = HtmlValidator.Errors(check.Messages);
        Assert.True(errors.Length == 0, HtmlValidator.Describe(name, errors, check.Html));
    }

    private Task<IReadOnlyDictionary<string, string>> PathsAsync()
    {
        lock (Gate)
        {
            return pathsByName ??= MakePagesAsync();
        }
    }

    private Task<IReadOnlyDictionary<string, HtmlCheck>> CheckedHtmlAsync()
    {
        lock (Gate)
        {
            return checkedHtml ??= CheckHtmlAsync();
        }
    }

    private sealed record HtmlCheck(string Html, HtmlValidator.Message[] Messages);

    /// <summary>Fills every staff page with something to show; the path of each page kind.</summary>
    private async Task<IReadOnlyDictionary<string, string>> MakePagesAsync()
    {
        using var reader = SiteForms.NewReader(site.BaseAddress);
        var comments = await SiteForms.CommentForm.ReadAsync(reader, BrowserSite.SampleArticle);
        var approved = await comments.PostAsync("A remark worth keeping.", "Approved Reader");
        await comments.PostAsync($"Please {NewsroomSite.HoldWord} this one.", "Held Reader");
        await comments.PostAsync($"Cheap watches {NewsroomSite.SpamWord}.", "Spam Bot");
        var trashed = await comments.PostAsync($"Another {NewsroomSite.HoldWord} remark, soon binned.", "Binned Reader");
        using (var report = await SiteForms.ReportAsync(reader, approved, "OffTopic", "It has nothing to do with the article."))
        {
            Assert.Equal(200, (int)report.StatusCode);
        }

        await using var staff = await site.NewStaffContextAsync();
        var token = await SiteForms.AntiforgeryTokenAsync(staff);
        await SiteForms.ModerateAsync(staff, token, "trash", trashed);
        var article = new Dictionary<string, string>
        {
            ["Headline"] = "Council approves the river crossing",
            ["Dek"] = "A vote after ten years of debate",
            ["BodyMarkdown"] = "The council voted **7–2** on Tuesday.\n\n> We waited long enough.\n\n- Cost: 40 million\n- Opens: 2028",
            ["Authors"] = "Maria Gomez, Tom Hale",
            ["Section"] = "Local",
            ["Tags"] = "Transport, City Council",
        };
        var id = await SiteForms.SaveArticleAsync(staff, token, null, article, action: "save");
        article["Dek"] = "A narrow vote after ten years of debate";
        article["CorrectionsNote"] = "An earlier version gave the wrong cost.";
        await SiteForms.SaveArticleAsync(staff, token, id, article, action: "publish");
        var revisions = RevisionIdPattern().Matches(await (await staff.APIRequest.GetAsync($"/admin/articles/{id}/revisions")).TextAsync())
            .Select(m => m.Groups[1].Value).Distinct().Order().ToArray();
        Assert.Equal(2, revisions.Length);

        var author = AuthorLinkPattern().Match(await (await staff.APIRequest.GetAsync("/admin/authors")).TextAsync()).Groups[1].Value;
        var user = UserLinkPattern().Match(await (await staff.APIRequest.GetAsync("/admin/users")).TextAsync()).Groups[1].Value;
        Assert.True(author.Length > 0 && user.Length > 0, "no author or user to show");

        var editor = $"/admin/articles/{id.ToString(CultureInfo.InvariantCulture)}";
        return new Dictionary<string, string>
        {
            ["login"] = "/admin/login",
            ["dashboard"] = "/admin",
            ["article list"] = "/admin/articles",
            ["new article"] = "/admin/articles/new",
            ["article editor"] = editor,
            ["article editor with errors"] = editor,
            ["revisions"] = $"{editor}/revisions?from={revisions[0]}&to={revisions[1]}",
            ["pending queue"] = "/admin/comments?queue=pending",
            ["approved queue"] = "/admin/comments?queue=approved",
            ["spam queue"] = "/admin/comments?queue=spam",
            ["trash queue"] = "/admin/comments?queue=trash",
            ["reported queue"] = "/admin/comments?queue=reported",
            ["audit log"] = "/admin/audit",
            ["users"] = "/admin/users",
            ["user account"] = $"/admin/users/{user}",
            ["authors"] = "/admin/authors",
            ["author editor"] = $"/admin/authors/{author}",
        };
    }

    /// <summary>The HTML the server sends for every staff page kind, checked in one html-validate run.</summary>
    private async Task<IReadOnlyDictionary<string, HtmlCheck>> CheckHtmlAsync()
    {
        var paths = await PathsAsync();
        await using var anonymous = await site.NewContextAsync();
        await using var staff = await site.NewStaffContextAsync();
        var html = new Dictionary<string, string>();
        foreach (var (name, path) in paths)
        {
            var response = name == "article editor with errors"
                ? await PostEmptyHeadlineAsync(staff, path)
                : await (name == "login" ? anonymous : staff).APIRequest.GetAsync(path);
            Assert.True(response.Status == (name == "article editor with errors" ? 400 : 200), $"{name} {path} answered {response.Status}");
            html[name] = await response.TextAsync();
        }

        foreach (var queue in html.Keys.Where(k => k.EndsWith(" queue", StringComparison.Ordinal)))
        {
            Assert.True(html[queue].Contains("class=\"moderation-item\"", StringComparison.Ordinal), $"the {queue} is empty: nothing for the checks to judge");
        }

        var messages = await HtmlValidator.CheckAsync(html);
        return html.ToDictionary(p => p.Key, p => new HtmlCheck(p.Value, messages[p.Key]));
    }

    private static async Task<Microsoft.Playwright.IAPIResponse> PostEmptyHeadlineAsync(Microsoft.Playwright.IBrowserContext staff, string editor)
    {
        var form = staff.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", await SiteForms.AntiforgeryTokenAsync(staff, editor));
        form.Set("action", "save");
        form.Set("Edit.Headline", "");
        form.Set("Edit.BodyMarkdown", "Text kept.");
        return await staff.APIRequest.PostAsync(editor, new() { Form = form, MaxRedirects = 0 });
    }

    [GeneratedRegex("name=\"from\" value=\"([0-9]+)\"")]
    private static partial Regex RevisionIdPattern();

    [GeneratedRegex("href=\"/admin/authors/([0-9]+)\"")]
    private static partial Regex AuthorLinkPattern();

    [GeneratedRegex("href=\"/admin/users/([^\"]+)\"")]
    private static partial Regex UserLinkPattern();
}

using System.Globalization;
using System.Text.RegularExpressions;
using Broadsheet.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Broadsheet.BrowserTests;

/// <summary>
/// Every payload of the corpus through the newsroom's inputs (headline, dek, Markdown body, bylines,
/// topics, corrections note) and the reader's report note, then every page that shows them loaded in
/// Chromium and checked by <see cref="XssCheck"/>: no dialog, no window.__xss, no markup that could run.
/// </summary>
[Collection(HostileNewsroomCollection.Name)]
public sealed partial class StaffXssTests(NewsroomSite site, ITestOutputHelper output)
{
    private const string Section = "Hostile Desk";

    /// <summary>
    /// Half as many articles as payloads, each saved twice: the first save takes the payloads from its own
    /// place in the corpus, the second from half the corpus further on, so every payload is a headline once
    /// (the current one on the public and editor pages, the earlier one in the comparison and the audit log);
    /// the other fields take payloads a few places on, so each is also a dek, a byline, a topic, a corrections
    /// note and part of a body.
    /// </summary>
    [Fact]
    public async Task XssPayloads_InTheNewsroomsInputs_NeverRun()
    {
        var payloads = XssCheck.Payloads;
        var half = (payloads.Count + 1) / 2;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var staff = await site.NewStaffContextAsync();
        var token = await SiteForms.AntiforgeryTokenAsync(staff);
        var ids = new List<int>();
        for (var i = 0; i < half; i++)
        {
            ids.Add(await SiteForms.SaveArticleAsync(staff, token, null, Fields(payloads, i)));
        }

        var comparisons = new List<string>();
        for (var i = 0; i < half; i++)
        {
            await SiteForms.SaveArticleAsync(staff, token, ids[i], Fields(payloads, i + half));
            var revisions = RevisionIdPattern().Matches(await (await staff.APIRequest.GetAsync($"/admin/articles/{ids[i]}/revisions")).TextAsync())
                .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Order().ToArray();
            Assert.Equal(2, revisions.Length);
            comparisons.Add($"/admin/articles/{ids[i]}/revisions?from={revisions[0]}&to={revisions[1]}");
        }

        output.WriteLine($"saved in {clock.Elapsed}");
        var dialogs = new List<string>();
        // The public side: listings, every article page, and the author and topic pages they link to.
        var opened = await XssCheck.CrawlCleanAsync(staff, ["/", "/latest", $"/section/{SectionSlug}"], PublicPageToFollow, dialogs);
        Assert.True(opened.Count(IsArticlePage) > half, $"opened only {opened.Count(IsArticlePage)} article pages");
        Assert.Contains(opened, p => p.StartsWith("/author/", StringComparison.Ordinal));
        Assert.Contains(opened, p => p.StartsWith("/topic/", StringComparison.Ordinal));
        output.WriteLine($"public side ({opened.Count} pages) checked at {clock.Elapsed}");
        // The newsroom's side: the article list, every editor, the comparisons, the audit log.
        var newsroom = await XssCheck.CrawlCleanAsync(staff, ["/admin/articles", "/admin/audit", .. comparisons], NewsroomPageToFollow, dialogs);
        Assert.True(newsroom.Count(p => EditorPattern().IsMatch(p)) >= half, "not every article's editor was opened");

        output.WriteLine($"newsroom side ({newsroom.Count} pages) checked at {clock.Elapsed}");
        // The payloads really are on the pages, as text: a headline, and a dek in its editor.
        var page = await XssCheck.NewWatchedPageAsync(staff, dialogs);
        await page.GotoAsync($"/admin/articles/{ids[1]}");
        await Expect(page.Locator("#Edit_Headline")).ToHaveValueAsync(payloads[1 + half].Trim());
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Edit: {payloads[1 + half].Trim()}");

        // The editor's preview, live (script fetches the server's rendering into the page) and by its button.
        // The marker comes first: a payload that opens a <style> or <script> block takes the rest of the body with it.
        var everything = "Start of the hostile body.\n\n" + string.Join("\n\n", payloads);
        var preview = await page.RunAndWaitForResponseAsync(
            () => page.FillAsync("#Edit_BodyMarkdown", everything), response => response.Url.EndsWith("/admin/articles/preview", StringComparison.Ordinal));
        var rendered = await preview.TextAsync();
        Assert.True(preview.Status == 200 && rendered.Contains("Start of the hostile body.", StringComparison.Ordinal), $"the live preview answered {preview.Status}: {rendered[^Math.Min(300, rendered.Length)..]}");
        await page.WaitForFunctionAsync("() => document.querySelector('#preview').innerHTML.includes('Start of the hostile body.')");
        await XssCheck.AssertCleanAsync(page, "the live preview of every payload");
        await page.ClickAsync("button[value=preview]");
        await page.WaitForFunctionAsync("() => document.querySelector('#preview').innerHTML.includes('Start of the hostile body.')");
        await XssCheck.AssertCleanAsync(page, "the preview page of every payload");

        Assert.Empty(dialogs);
    }

    [Fact]
    public async Task XssPayloads_InReportNotes_NeverRun()
    {
        var payloads = XssCheck.Payloads;
        using var reader = SiteForms.NewReader(site.BaseAddress);
        var form = await SiteForms.CommentForm.ReadAsync(reader, BrowserSite.SampleArticle);
        var rejected = new List<(string Html, string Note)>();
        var notes = Notes(payloads);
        foreach (var (note, i) in notes.Select((n, i) => (n, i)))
        {
            var id = await form.PostAsync($"An ordinary remark, number {i}.", $"Reader {i}");
            // No reason chosen: the form comes back with the note kept.
            using (var refused = await SiteForms.ReportAsync(reader, id, null, note))
            {
                Assert.Equal(400, (int)refused.StatusCode);
                rejected.Add((await refused.Content.ReadAsStringAsync(), note));
            }

            using var report = await SiteForms.ReportAsync(reader, id, "Abusive", note);
            Assert.Equal(200, (int)report.StatusCode);
        }

        var dialogs = new List<string>();
        await using var staff = await site.NewStaffContextAsync();
        var desk = await XssCheck.CrawlCleanAsync(staff, ["/admin/comments?queue=reported"], p => p.StartsWith("/admin/comments?queue=reported&", StringComparison.Ordinal), dialogs);

        // Moderators see every note, as text.
        var page = await XssCheck.NewWatchedPageAsync(staff, dialogs);
        var shown = new List<string>();
        foreach (var path in desk)
        {
            await page.GotoAsync(path);
            shown.AddRange(await page.Locator(".report-note").AllTextContentsAsync());
        }

        Assert.Equal(notes.Select(n => n.Trim()).Order(StringComparer.Ordinal), shown.Select(n => n.Trim()).Order(StringComparer.Ordinal));

        // Every refused report, re-rendered with the note kept (set as the page itself: no Content-Security-Policy to help).
        foreach (var (html, note) in rejected)
        {
            await page.SetContentAsync(html);
            await XssCheck.AssertCleanAsync(page, $"a refused report with the note {note}");
            await Expect(page.Locator("#note")).ToHaveValueAsync(note);
        }

        Assert.Empty(dialogs);
    }

    /// <summary>The payloads as report notes, as many to a note as its 1,000 characters hold (one per line).</summary>
    private static List<string> Notes(IReadOnlyList<string> payloads)
    {
        var notes = new List<string>();
        var note = "";
        foreach (var payload in payloads)
        {
            if (note.Length > 0 && note.Length + 1 + payload.Length > 1000)
            {
                notes.Add(note);
                note = "";
            }

            note = note.Length == 0 ? payload : $"{note}\n{payload}";
        }

        notes.Add(note);
        return notes;
    }

    private static Dictionary<string, string> Fields(IReadOnlyList<string> payloads, int i)
    {
        string P(int offset) => payloads[(i + offset) % payloads.Count];
        return new Dictionary<string, string>
        {
            ["Headline"] = P(0),
            ["Dek"] = P(1),
            ["Authors"] = $"{P(2)}, {P(11)}",
            ["Tags"] = $"{P(3)}, {P(12)}",
            ["CorrectionsNote"] = P(4),
            ["Section"] = Section,
            // The same payloads as a paragraph, a link target, a quotation, a list item and a heading.
            ["BodyMarkdown"] = $"{P(5)}\n\n[a link]({P(6)})\n\n> {P(7)}\n\n- {P(8)}\n\n## {P(9)}\n\n![{P(10)}](/logo.svg)",
        };
    }

    private const string SectionSlug = "hostile-desk";

    private static bool IsArticlePage(string path) => ArticlePattern().IsMatch(path);

    /// <summary>
    /// Author and topic pages show a name in the same few places; a sample of them (each a different payload)
    /// keeps the test to a couple of minutes, while every article page is opened.
    /// </summary>
    private const int CollectionPagesOfEachKind = 25;

    private int authorPages;
    private int topicPages;

    private bool PublicPageToFollow(string path) =>
        IsArticlePage(path)
        || path.StartsWith("/latest?", StringComparison.Ordinal)
        || path.StartsWith($"/section/{SectionSlug}", StringComparison.Ordinal)
        || (path.StartsWith("/author/", StringComparison.Ordinal) && ++authorPages <= CollectionPagesOfEachKind)
        || (path.StartsWith("/topic/", StringComparison.Ordinal) && ++topicPages <= CollectionPagesOfEachKind);

    private static bool NewsroomPageToFollow(string path) =>
        EditorPattern().IsMatch(path)
        || path.StartsWith("/admin/articles?", StringComparison.Ordinal)
        || path.StartsWith("/admin/audit?", StringComparison.Ordinal);

    [GeneratedRegex("^/[0-9]{4}/[0-9]{2}/[0-9]{2}/[^/?]+$")]
    private static partial Regex ArticlePattern();

    [GeneratedRegex("^/admin/articles/[0-9]+$")]
    private static partial Regex EditorPattern();

    [GeneratedRegex("name=\"from\" value=\"([0-9]+)\"")]
    private static partial Regex RevisionIdPattern();
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Broadsheet.Accounts;
using Broadsheet.Articles;
using Broadsheet.Articles.Editing;
using Broadsheet.Tests.Accounts;
using Broadsheet.Tests.Comments;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Articles;

public sealed class ArticleEditingTests(CommentsFactory app) : IClassFixture<CommentsFactory>
{
    [Fact]
    public async Task Editor_WritesAndPublishesAnArticle_ThatReadersSeeAtOnce()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        await app.GetDocumentAsync("/latest"); // cached before the article exists
        var headline = Unique.Words("Harbour reopens");

        var saved = await SaveAsync(editor, "new", new() { ["Edit.Headline"] = headline, ["Edit.Dek"] = "After a year of works", ["Edit.BodyMarkdown"] = "Ships are *back*.\n\n<script>alert(1)</script>", ["Edit.Authors"] = "Ana Lima, Ben Ode", ["Edit.Section"] = "Local", ["Edit.Tags"] = "Harbour, Transport" }, "publish");

        var article = await FindAsync(headline);
        Assert.Equal(ArticleStatus.Published, article.Status);
        Assert.Equal($"/admin/articles/{article.Id}", saved.Headers.Location!.OriginalString);
        var url = $"/{article.PublishedAt:yyyy}/{article.PublishedAt:MM}/{article.PublishedAt:dd}/{article.Slug}";
        var page = await app.GetDocumentAsync(url);
        Assert.Equal(headline, page.QuerySelector("h1")!.TextContent);
        Assert.Equal("back", page.QuerySelector(".article-body em")!.TextContent);
        Assert.Empty(page.QuerySelectorAll(".article-body script"));
        Assert.Equal("By Ana Lima and Ben Ode", string.Join(' ', page.QuerySelector(".article-meta .byline")!.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Contains(headline, (await app.GetDocumentAsync("/latest")).QuerySelector(".article-list")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.ArticleRevisions.CountAsync(r => r.ArticleId == article.Id)));
    }

    [Fact]
    public async Task NamesInOtherScripts_EachHaveTheirOwnPage_AndANameWithoutLettersIsRefused()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        static string Han() => new([.. Enumerable.Range(0, 4).Select(_ => (char)Random.Shared.Next(0x4E00, 0x9FA5))]);
        (string Headline, string Byline, string Section, string Topic)[] namings =
        [
            ($"東京の新駅 {Han()}", $"李{Han()}", $"国際{Han()}", $"日本{Han()}"),
            (Unique.Words("Names in other scripts"), $"Ван {Han()}", $"Россия {Han()}", $"Политика {Han()}"),
        ];
        foreach (var (headline, byline, section, topic) in namings)
        {
            await SaveAsync(editor, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Body.", ["Edit.Authors"] = byline, ["Edit.Section"] = section, ["Edit.Tags"] = topic }, "publish");
            var article = await FindAsync(headline);
            // A headline in another script makes the address too (percent-encoded in links), and it answers at once.
            var page = await app.GetDocumentAsync($"/{article.PublishedAt:yyyy}/{article.PublishedAt:MM}/{article.PublishedAt:dd}/{Uri.EscapeDataString(article.Slug)}");
            Assert.Equal(headline, page.QuerySelector("h1")!.TextContent);

            // Each name is its own, and its link is a page that lists this article.
            foreach (var (selector, name) in new[] { (".article-meta .byline a", byline), (".kicker a", section), (".article-topics a", topic) })
            {
                var link = page.QuerySelector(selector)!;
                Assert.Equal(name, link.TextContent);
                var listing = await app.GetDocumentAsync(link.GetAttribute("href")!);
                Assert.Contains(headline, listing.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
            }
        }

        var refused = await editor.SubmitAsync(await editor.GetDocumentAsync("/admin/articles/new"), "form.article-editor", new Dictionary<string, string>
        {
            ["Edit.Headline"] = Unique.Words("Dashes for a name"), ["Edit.BodyMarkdown"] = "Body.", ["Edit.Authors"] = "Ana Lima, —", ["Edit.Section"] = "★", ["Edit.Tags"] = "Harbour",
        }, "action", "save");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var form = await BroadsheetFactory.ParseAsync(refused);
        Assert.Contains("at least one letter or digit", form.QuerySelector("[data-valmsg-for='Edit.Authors']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("at least one letter or digit", form.QuerySelector("[data-valmsg-for='Edit.Section']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Ana Lima, —", form.QuerySelector("#Edit_Authors")!.GetAttribute("value"));
    }

    [Fact]
    public async Task NamesStoredWithTheSlugsOfBefore_AreFoundByName_NotMadeTwice()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        // As slugs were made before every script was kept: "ø" became a hyphen; a name in another script had none.
        var (danish, chinese) = ($"Søren Kierkegaard {suffix}", $"李明{suffix}");
        await app.WithDbAsync(async db =>
        {
            db.Authors.AddRange(new Author { Name = danish, Slug = $"s-ren-kierkegaard-{suffix}" }, new Author { Name = chinese, Slug = "" });
            return await db.SaveChangesAsync();
        });
        var headline = Unique.Words("Names from before");

        await SaveAsync(editor, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Body.", ["Edit.Authors"] = $"{danish}, {chinese}" }, "publish");

        var authors = await app.WithDbAsync(db => db.Authors.AsNoTracking().Where(a => a.Name == danish || a.Name == chinese).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([$"s-ren-kierkegaard-{suffix}", Broadsheet.Infrastructure.Text.Slugs.From(chinese)], authors.Select(a => a.Slug));
        var article = await FindAsync(headline);
        var page = await app.GetDocumentAsync($"/{article.PublishedAt:yyyy}/{article.PublishedAt:MM}/{article.PublishedAt:dd}/{article.Slug}");
        foreach (var link in page.QuerySelectorAll(".article-meta .byline a"))
        {
            Assert.Contains(headline, (await app.GetDocumentAsync(link.GetAttribute("href")!)).QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NewArticlesForm_SavedAgainAfterItsDraftWasPublishedElsewhere_GetsAConflict_NotAnOverwrite()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var page = await editor.GetDocumentAsync("/admin/articles/new");
        var headline = Unique.Words("Published in the other tab");
        var lost = await AutosaveAsync(editor, page, new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "First words" });
        var id = (await lost.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await SaveAsync(editor, id.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "The finished story." }, "publish");

        page.QuerySelector("form.article-editor")!.SetAttribute("action", "/admin/articles/new");
        var stale = await editor.SubmitAsync(page, "form.article-editor", new Dictionary<string, string> { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "First words, old copy" }, "action", "save");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("The finished story.", (await FindAsync(headline)).BodyMarkdown);
    }

    [Fact]
    public async Task Save_OfAPublishedArticleWithItsBodyEmptied_IsRefused()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Live story");
        await SaveAsync(editor, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Readers read this." }, "publish");
        var id = (await FindAsync(headline)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var emptied = await editor.SubmitAsync(await editor.GetDocumentAsync($"/admin/articles/{id}"), "form.article-editor", new Dictionary<string, string> { ["Edit.BodyMarkdown"] = "" }, "action", "save");

        Assert.Equal(HttpStatusCode.BadRequest, emptied.StatusCode);
        Assert.Equal("Readers read this.", (await FindAsync(headline)).BodyMarkdown);
    }

    [Fact]
    public async Task Publish_AtAnImpossibleYear_IsRefused()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Typo in the year");

        var refused = await editor.SubmitAsync(await editor.GetDocumentAsync("/admin/articles/new"), "form.article-editor", new Dictionary<string, string>
        {
            ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Body.", ["Edit.PublishAtLocal"] = "0225-11-29T09:00",
        }, "action", "publish");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("The year 225 cannot be right", (await BroadsheetFactory.ParseAsync(refused)).QuerySelector("[data-valmsg-for='Edit.PublishAtLocal']")!.TextContent, StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.Articles.AnyAsync(a => a.Headline == headline)));
    }

    [Fact]
    public async Task Publish_WithAPublishingTimeThatIsNotATime_IsRefused_NotPublishedAtOnce()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Embargoed until Monday");

        var refused = await editor.SubmitAsync(await editor.GetDocumentAsync("/admin/articles/new"), "form.article-editor", new Dictionary<string, string>
        {
            ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Under embargo.", ["Edit.PublishAtLocal"] = "Monday 9am",
        }, "action", "publish");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var form = await BroadsheetFactory.ParseAsync(refused);
        Assert.Contains("Enter the date and time to publish at", form.QuerySelector("[data-valmsg-for='Edit.PublishAtLocal']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(headline, form.QuerySelector("#Edit_Headline")!.GetAttribute("value"));
        Assert.False(await app.WithDbAsync(db => db.Articles.AnyAsync(a => a.Headline == headline)));
    }

    [Fact]
    public async Task Publish_WithoutABody_IsRefused_ButADraftMayWaitForOne()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Headline first, story later");
        var fields = new Dictionary<string, string> { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = " \n" };

        var refused = await editor.SubmitAsync(await editor.GetDocumentAsync("/admin/articles/new"), "form.article-editor", fields, "action", "publish");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Write the article's body before publishing it", (await BroadsheetFactory.ParseAsync(refused)).QuerySelector("[data-valmsg-for='Edit.BodyMarkdown']")!.TextContent, StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.Articles.AnyAsync(a => a.Headline == headline)));
        await SaveAsync(editor, "new", fields, "save");
        Assert.Equal(ArticleStatus.Draft, (await FindAsync(headline)).Status);
    }

    [Fact]
    public async Task Contributor_CannotPublish_EvenWithAForgedPost_ButCanSubmitForReview()
    {
        var contributor = await app.SignedInAsync(StaffRoles.Contributor);
        var headline = Unique.Words("Contributor draft");
        var form = await contributor.GetDocumentAsync("/admin/articles/new");
        Assert.Null(form.QuerySelector("button[value=publish]"));

        var forged = await contributor.SubmitAsync(form, "form.article-editor", new Dictionary<string, string> { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Body" }, "action", "publish");

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("Contributors cannot publish", (await BroadsheetFactory.ParseAsync(forged)).QuerySelector(".form-problems")!.TextContent, StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.Articles.AnyAsync(a => a.Headline == headline)));

        await SaveAsync(contributor, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Body" }, "submit");
        var submitted = await FindAsync(headline);
        Assert.Equal(ArticleStatus.PendingReview, submitted.Status);
        // Named in words on the staff pages, not as the enum's identifier.
        Assert.Equal("Pending review", (await contributor.GetDocumentAsync($"/admin/articles/{submitted.Id}")).QuerySelector("p.meta strong")!.TextContent);
        var list = await contributor.GetDocumentAsync("/admin/articles?status=PendingReview");
        Assert.Equal("Pending review", list.QuerySelector("select[name=status] option[selected]")!.TextContent);
    }

    [Fact]
    public async Task ASlugAnotherArticleHas_IsNotTakenSilently()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var first = Unique.Words("First to the address");
        await SaveAsync(editor, "new", new() { ["Edit.Headline"] = first, ["Edit.BodyMarkdown"] = "Body" }, "save");
        var taken = (await FindAsync(first)).Slug;
        var second = Unique.Words("Second to the address");

        var saved = await SaveAsync(editor, "new", new() { ["Edit.Headline"] = second, ["Edit.BodyMarkdown"] = "Body", ["Edit.Slug"] = taken }, "save");

        var page = await editor.GetDocumentAsync(saved.Headers.Location!.OriginalString);
        Assert.Contains($"The slug “{taken}” is taken, so this article's is “{taken}-2”.", page.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"{taken}-2", (await FindAsync(second)).Slug);
    }

    [Fact]
    public async Task ChangingTheSlug_KeepsTheOldUrlAsAPermanentRedirect()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Slug story");
        await SaveAsync(editor, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Body" }, "publish");
        var article = await FindAsync(headline);
        var oldUrl = $"/{article.PublishedAt:yyyy}/{article.PublishedAt:MM}/{article.PublishedAt:dd}/{article.Slug}";
        await app.GetDocumentAsync(oldUrl);

        await SaveAsync(editor, $"{article.Id}", new() { ["Edit.Slug"] = "a-better-slug-" + article.Id }, "save");

        var redirect = await app.CreateReader().GetAsync(oldUrl);
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.EndsWith($"/a-better-slug-{article.Id}", redirect.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoEditorsSavingTheSameArticle_TheSecondIsToldWhoChangedIt()
    {
        var first = await app.SignedInAsync(StaffRoles.Editor);
        var second = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Contested");
        await SaveAsync(first, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Original" }, "save");
        var id = (await FindAsync(headline)).Id;
        var formOfFirst = await first.GetDocumentAsync($"/admin/articles/{id}");
        var formOfSecond = await second.GetDocumentAsync($"/admin/articles/{id}");

        var saved = await first.SubmitAsync(formOfFirst, "form.article-editor", new Dictionary<string, string> { ["Edit.BodyMarkdown"] = "First editor's text" }, "action", "save");
        var refused = await second.SubmitAsync(formOfSecond, "form.article-editor", new Dictionary<string, string> { ["Edit.BodyMarkdown"] = "Second editor's text" }, "action", "save");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var page = await BroadsheetFactory.ParseAsync(refused);
        Assert.Contains("was changed by editor.", page.QuerySelector(".form-problems")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Second editor's text", page.QuerySelector("#Edit_BodyMarkdown")!.TextContent.Trim());
        Assert.Equal("First editor's text", (await FindAsync(headline)).BodyMarkdown);
    }

    [Fact]
    public async Task ScheduledArticles_PublishThemselvesWhenTheirTimeComes()
    {
        var editor = await app.SignedInAsync(StaffRoles.Author);
        var headline = Unique.Words("Embargoed");
        var at = app.Clock.GetUtcNow().UtcDateTime.AddHours(2);
        await SaveAsync(editor, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Under embargo", ["Edit.PublishAtLocal"] = at.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture) }, "publish");
        var article = await FindAsync(headline);
        Assert.Equal(ArticleStatus.Scheduled, article.Status);
        var url = $"/{at:yyyy}/{at:MM}/{at:dd}/{article.Slug}";
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateReader().GetAsync(url)).StatusCode);

        // Moving the clock also wakes the hosted publisher; running it here as well makes the wait deterministic.
        app.Clock.Advance(TimeSpan.FromHours(2).Add(TimeSpan.FromMinutes(1)));
        await app.Services.GetRequiredService<ScheduledPublisher>().PublishDueAsync(default);

        Assert.Equal(ArticleStatus.Published, (await FindAsync(headline)).Status);
        Assert.Equal(headline, (await app.GetDocumentAsync(url)).QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task ScheduledPublishing_StampsANewContentVersion_SoOtherNodesLearnOfIt()
    {
        var editor = await app.SignedInAsync(StaffRoles.Author);
        var at = app.Clock.GetUtcNow().UtcDateTime.AddHours(3);
        await SaveAsync(editor, "new", new() { ["Edit.Headline"] = Unique.Words("Embargo ends"), ["Edit.BodyMarkdown"] = "Under embargo", ["Edit.PublishAtLocal"] = at.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture) }, "publish");
        var before = await ContentVersionAsync();

        app.Clock.Advance(TimeSpan.FromHours(3).Add(TimeSpan.FromMinutes(1)));
        await app.Services.GetRequiredService<ScheduledPublisher>().PublishDueAsync(default);

        // Another node's publisher finds nothing left to publish: the version is how it hears (ContentVersionWatcher).
        Assert.NotEqual(before, await ContentVersionAsync());
    }

    private Task<string?> ContentVersionAsync() => app.WithDbAsync(db => db.SiteSettings
        .Where(s => s.Key == app.Services.GetRequiredService<Broadsheet.Infrastructure.Caching.ContentVersion>().OwnKey).Select(s => s.Value).FirstOrDefaultAsync());

    [Fact]
    public async Task Authors_EditOnlyTheirOwnArticles()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Editor's own");
        await SaveAsync(editor, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Body" }, "save");
        var id = (await FindAsync(headline)).Id;
        var author = await app.SignedInAsync(StaffRoles.Author);

        Assert.Equal(HttpStatusCode.Forbidden, (await author.GetAsync($"/admin/articles/{id}")).StatusCode);
        var list = await author.GetDocumentAsync("/admin/articles");
        Assert.DoesNotContain(headline, list.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_RendersWithThePublicPipeline_AndNeedsTheToken()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var form = await editor.GetDocumentAsync("/admin/articles/new");
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/articles/preview")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["markdown"] = "**Bold** <img src=x onerror=alert(1)>" }),
        };
        request.Headers.Add("RequestVerificationToken", token);
        var preview = await editor.SendAsync(request);
        var html = await preview.Content.ReadAsStringAsync();

        Assert.Contains("<strong>Bold</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", html, StringComparison.Ordinal);
        var withoutToken = await editor.PostAsync("/admin/articles/preview", new FormUrlEncodedContent(new Dictionary<string, string> { ["markdown"] = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
    }

    [Fact]
    public async Task Revisions_CanBeComparedWordByWord_AndRestored()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Revised");
        await SaveAsync(editor, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "The council met on Monday." }, "save");
        var id = (await FindAsync(headline)).Id;
        await SaveAsync(editor, $"{id}", new() { ["Edit.BodyMarkdown"] = "The council met on Tuesday evening." }, "save");

        var page = await editor.GetDocumentAsync($"/admin/articles/{id}/revisions");

        Assert.Equal(2, page.QuerySelectorAll("input[name=from]").Length);
        var body = page.QuerySelectorAll(".diff")[2];
        Assert.Equal("Monday", body.QuerySelector("del")!.TextContent);
        Assert.Contains(body.QuerySelectorAll("ins"), i => i.TextContent == "Tuesday");
        Assert.Contains(body.QuerySelectorAll("ins"), i => i.TextContent == "evening");

        var oldest = page.QuerySelectorAll("input[name=from]").Select(i => i.GetAttribute("value")!).Min(int.Parse);
        var restored = await editor.SubmitAsync(page, $"#restore-{oldest}", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
        Assert.Equal("The council met on Monday.", (await FindAsync(headline)).BodyMarkdown);
        Assert.Equal(3, await app.WithDbAsync(db => db.ArticleRevisions.CountAsync(r => r.ArticleId == id)));
    }

    [Fact]
    public async Task CommentsOpenBox_IsTickedForANewArticle_AndUntickingItClosesComments()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Quiet vote");
        var blank = await editor.GetDocumentAsync("/admin/articles/new");
        // One control of that name: the box sends "true" when ticked and nothing when not.
        var box = Assert.Single(blank.QuerySelectorAll<IHtmlInputElement>("[name='Edit.CommentsOpen']"));
        Assert.True(box.IsChecked);
        await SaveAsync(editor, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Body" }, "publish");
        var article = await FindAsync(headline);
        Assert.True(article.CommentsOpen);

        var form = await editor.GetDocumentAsync($"/admin/articles/{article.Id}");
        form.QuerySelector<IHtmlInputElement>("#Edit_CommentsOpen")!.IsChecked = false;
        var saved = await editor.SubmitAsync(form, "form.article-editor", new Dictionary<string, string>(), "action", "save");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.False((await FindAsync(headline)).CommentsOpen);
    }

    [Fact]
    public async Task ArticleList_FiltersBySectionAuthorAndStatus_AcrossKeysetPages()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (section, other, writer, colleague) = ($"Desk {tag}", $"Other {tag}", $"Writer {tag}", $"Colleague {tag}");
        ArticleDraft Draft(int n, string inSection, string by, ArticleStatus status = ArticleStatus.Published) => new()
        {
            Headline = $"Filtered {tag} {n:D2}", BodyMarkdown = "Body.", Section = inSection, Authors = [by, "Shared Byline"], Status = status,
        };
        await app.CreateArticlesAsync([.. Enumerable.Range(1, 52).Select(n => Draft(n, section, writer)),
            Draft(60, section, writer, ArticleStatus.Draft), Draft(61, section, colleague), Draft(62, other, writer)]);
        var (sectionSlug, writerSlug) = await app.WithDbAsync(async db => (
            await db.Sections.Where(s => s.Name == section).Select(s => s.Slug).SingleAsync(),
            await db.Authors.Where(a => a.Name == writer).Select(a => a.Slug).SingleAsync()));
        var editor = await app.SignedInAsync(StaffRoles.Editor);

        var first = await editor.GetDocumentAsync($"/admin/articles?section={sectionSlug}&author={writerSlug}&status=Published");
        var older = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var second = await editor.GetDocumentAsync(older);

        static List<string> Headlines(IDocument page) => [.. page.QuerySelectorAll(".audit-table tbody tr td:first-child").Select(td => td.TextContent)];
        var seen = Headlines(first).Concat(Headlines(second)).ToList();
        Assert.Equal(50, Headlines(first).Count);
        Assert.Equal(Enumerable.Range(1, 52).Select(n => $"Filtered {tag} {n:D2}").Order(), seen.Order());
        Assert.Null(second.QuerySelector("a[rel=next]"));
        Assert.Equal(sectionSlug, first.QuerySelector<IHtmlSelectElement>("#section")!.Value);
        Assert.Equal(writerSlug, first.QuerySelector<IHtmlSelectElement>("#author")!.Value);
        Assert.Contains($"{writer}, Shared Byline", first.QuerySelector(".audit-table tbody tr")!.TextContent, StringComparison.Ordinal);

        var drafts = await editor.GetDocumentAsync($"/admin/articles?section={sectionSlug}&author={writerSlug}&status=Draft&q={Uri.EscapeDataString(tag)}");
        Assert.Equal([$"Filtered {tag} 60"], Headlines(drafts));
        var anyAuthor = await editor.GetDocumentAsync($"/admin/articles?section={sectionSlug}&q={Uri.EscapeDataString(tag + " 6")}");
        Assert.Equal([$"Filtered {tag} 60", $"Filtered {tag} 61"], Headlines(anyAuthor).Order());
        var elsewhere = await editor.GetDocumentAsync($"/admin/articles?author={writerSlug}&q={Uri.EscapeDataString(tag + " 6")}");
        Assert.Equal([$"Filtered {tag} 60", $"Filtered {tag} 62"], Headlines(elsewhere).Order());
    }

    [Fact]
    public async Task Autosave_UpdatesTheDraft_KeepingOneAutosaveRevision_AndAnswersTheNewStamp()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Autosaved draft");
        var id = (await SaveAsync(editor, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "First words." }, "save")).Headers.Location!.OriginalString.Split('/')[^1];
        var page = await editor.GetDocumentAsync($"/admin/articles/{id}");
        var autosaveUrl = page.QuerySelector("form.article-editor")!.GetAttribute("data-autosave")!;
        Assert.Equal($"/admin/articles/{id}?handler=autosave", autosaveUrl);

        var first = await AutosaveAsync(editor, page, new() { ["Edit.BodyMarkdown"] = "First words. And more" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answer = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("saved").GetBoolean());
        var stamp = answer.GetProperty("concurrencyStamp").GetString()!;
        var second = await AutosaveAsync(editor, page, new() { ["Edit.BodyMarkdown"] = "First words. And more typing.", ["Edit.ConcurrencyStamp"] = stamp });
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        var article = await FindAsync(headline);
        Assert.Equal("First words. And more typing.", article.BodyMarkdown);
        Assert.Equal(ArticleStatus.Draft, article.Status);
        var revisions = await app.WithDbAsync(db => db.ArticleRevisions.Where(r => r.ArticleId == article.Id).OrderBy(r => r.Id).ToListAsync());
        Assert.Equal([false, true], revisions.Select(r => r.IsAutosave));
        Assert.Equal("First words. And more typing.", revisions[^1].BodyMarkdown);

        // A save by hand with the stamp the autosave answered goes through and starts a new revision.
        var form = await editor.GetDocumentAsync($"/admin/articles/{id}");
        Assert.Equal("First words. And more typing.", form.QuerySelector("#Edit_BodyMarkdown")!.TextContent.Trim());
        await editor.SubmitAsync(form, "form.article-editor", new Dictionary<string, string> { ["Edit.BodyMarkdown"] = "Final text." }, "action", "save");
        await AutosaveAsync(editor, await editor.GetDocumentAsync($"/admin/articles/{id}"), new() { ["Edit.BodyMarkdown"] = "Final text, then more." });
        Assert.Equal([false, true, false, true], await app.WithDbAsync(db => db.ArticleRevisions.Where(r => r.ArticleId == article.Id).OrderBy(r => r.Id).Select(r => r.IsAutosave).ToListAsync()));
    }

    [Fact]
    public async Task Autosave_AfterAnotherEditorSaved_IsRefusedPolitely_AndChangesNothing()
    {
        var first = await app.SignedInAsync(StaffRoles.Editor);
        var second = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Contested draft");
        var id = (await SaveAsync(first, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Start." }, "save")).Headers.Location!.OriginalString.Split('/')[^1];
        var pageOfFirst = await first.GetDocumentAsync($"/admin/articles/{id}");
        var pageOfSecond = await second.GetDocumentAsync($"/admin/articles/{id}");
        Assert.Equal(HttpStatusCode.OK, (await AutosaveAsync(first, pageOfFirst, new() { ["Edit.BodyMarkdown"] = "The first editor's text." })).StatusCode);

        var refused = await AutosaveAsync(second, pageOfSecond, new() { ["Edit.BodyMarkdown"] = "The second editor's text." });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var answer = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(answer.GetProperty("saved").GetBoolean());
        Assert.StartsWith("Not saved automatically: editor.", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("The first editor's text.", (await FindAsync(headline)).BodyMarkdown);
    }

    [Fact]
    public async Task Autosave_IsOnlyForDrafts_AndNeedsTheAntiforgeryToken()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var headline = Unique.Words("Published, not autosaved");
        var id = (await SaveAsync(editor, "new", new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Live text." }, "publish")).Headers.Location!.OriginalString.Split('/')[^1];
        var page = await editor.GetDocumentAsync($"/admin/articles/{id}");
        Assert.True(string.IsNullOrEmpty(page.QuerySelector("form.article-editor")!.GetAttribute("data-autosave"))); // editor.js leaves it alone

        var forged = await AutosaveAsync(editor, page, new() { ["Edit.BodyMarkdown"] = "Half-typed sentence" }, $"/admin/articles/{id}?handler=autosave");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        var withoutToken = await editor.PostAsync($"/admin/articles/{id}?handler=autosave", new FormUrlEncodedContent(new Dictionary<string, string> { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal("Live text.", (await FindAsync(headline)).BodyMarkdown);
    }

    [Fact]
    public async Task Autosave_OfANewArticle_CreatesOneDraft_ThatTheSaveByHandUpdates()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var page = await editor.GetDocumentAsync("/admin/articles/new");
        Assert.Equal("/admin/articles/new?handler=autosave", page.QuerySelector("form.article-editor")!.GetAttribute("data-autosave"));
        var headline = Unique.Words("Harbour reopens after a year");

        // The first autosave catches the headline half typed.
        var first = await AutosaveAsync(editor, page, new() { ["Edit.Headline"] = "Harbour reo", ["Edit.BodyMarkdown"] = "Ships are" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answer = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("saved").GetBoolean());
        var id = answer.GetProperty("id").GetInt32();
        Assert.Equal($"/admin/articles/{id}", answer.GetProperty("editUrl").GetString());
        Assert.Equal($"/admin/articles/{id}?handler=autosave", answer.GetProperty("autosaveUrl").GetString());
        var draft = await app.WithDbAsync(db => db.Articles.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal(("Harbour reo", "Ships are", ArticleStatus.Draft), (draft.Headline, draft.BodyMarkdown, draft.Status));
        Assert.Single(await app.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == "article.autosave-create" && e.TargetId == id.ToString()).ToListAsync()));

        // The page goes on as the draft's editor (editor.js points the form at it and keeps the stamps).
        var second = await AutosaveAsync(editor, page, new()
        {
            ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Ships are back.", ["Edit.ConcurrencyStamp"] = answer.GetProperty("concurrencyStamp").GetString()!,
        }, $"/admin/articles/{id}?handler=autosave");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var stamp = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("concurrencyStamp").GetString()!;

        // A save posted with the stamp the page was opened with would overwrite the autosaved text: refused.
        page.QuerySelector("form.article-editor")!.SetAttribute("action", $"/admin/articles/{id}");
        var stale = await editor.SubmitAsync(page, "form.article-editor", new Dictionary<string, string> { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Stale." }, "action", "save");
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        var saved = await editor.SubmitAsync(page, "form.article-editor", new Dictionary<string, string>
        {
            ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Ships are back, and the ferry too.", ["Edit.ConcurrencyStamp"] = stamp,
        }, "action", "save");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/admin/articles/{id}", saved.Headers.Location!.OriginalString);
        var article = await app.WithDbAsync(db => db.Articles.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal((headline, "Ships are back, and the ferry too.", ArticleStatus.Draft), (article.Headline, article.BodyMarkdown, article.Status));
        Assert.Equal(Broadsheet.Infrastructure.Text.Slugs.From(headline), article.Slug); // not the half-typed headline's
        Assert.Equal(1, await app.WithDbAsync(db => db.Articles.CountAsync(a => a.CreatedByUserId == article.CreatedByUserId)));
        Assert.Equal([true, false], await app.WithDbAsync(db => db.ArticleRevisions.Where(r => r.ArticleId == id).OrderBy(r => r.Id).Select(r => r.IsAutosave).ToListAsync()));
        Assert.Equal(headline, (await editor.GetDocumentAsync($"/admin/articles?q={Uri.EscapeDataString(headline)}")).QuerySelector(".audit-table tbody tr td")!.TextContent);
    }

    [Fact]
    public async Task NewArticlesForm_SavingAgainAfterAnAnswerWasLost_UpdatesItsOneDraft_NotAnotherWritersForm()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var page = await editor.GetDocumentAsync("/admin/articles/new");
        var headline = Unique.Words("Bridge closes for repairs");

        // The draft is made, but the answer never reaches the page (a train entering a tunnel): editor.js
        // keeps the new-article address and stamp, and the next autosave, then the save by hand, use them.
        var lost = await AutosaveAsync(editor, page, new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "The bridge" });
        var id = (await lost.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var retried = await AutosaveAsync(editor, page, new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "The bridge closes" });
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(id, (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        page.QuerySelector("form.article-editor")!.SetAttribute("action", "/admin/articles/new");
        var saved = await editor.SubmitAsync(page, "form.article-editor", new Dictionary<string, string>
        {
            ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "The bridge closes on Monday.",
        }, "action", "save");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/admin/articles/{id}", saved.Headers.Location!.OriginalString);
        var drafts = await app.WithDbAsync(db => db.Articles.AsNoTracking().Where(a => a.Headline == headline).ToListAsync());
        Assert.Equal("The bridge closes on Monday.", Assert.Single(drafts).BodyMarkdown);

        // Another writer's form carrying the same key makes a draft of its own: a key reaches only its writer's articles.
        var other = await app.SignedInAsync(StaffRoles.Editor);
        var otherPage = await other.GetDocumentAsync("/admin/articles/new");
        var key = page.QuerySelector("input[name='Edit.DraftKey']")!.GetAttribute("value")!;
        var theirs = await AutosaveAsync(other, otherPage, new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "Not theirs.", ["Edit.DraftKey"] = key });
        Assert.NotEqual(id, (await theirs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        Assert.Equal("The bridge closes on Monday.", (await app.WithDbAsync(db => db.Articles.AsNoTracking().SingleAsync(a => a.Id == id))).BodyMarkdown);
    }

    [Fact]
    public async Task Autosave_OfANewArticle_MakesNoDraft_WhileTheFormIsEmpty()
    {
        var email = await app.CreateStaffAsync(StaffRoles.Editor);
        var editor = app.CreateReader();
        Assert.Equal(HttpStatusCode.Redirect, (await editor.SignInAsync(email, StaffSessions.Password)).StatusCode);
        var page = await editor.GetDocumentAsync("/admin/articles/new");

        // Blank text, and only a topic typed: nothing worth a draft.
        var empty = await AutosaveAsync(editor, page, new() { ["Edit.Headline"] = "  ", ["Edit.BodyMarkdown"] = "\n", ["Edit.Tags"] = "Harbour" });

        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.False((await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("saved").GetBoolean());
        var userId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        Assert.False(await app.WithDbAsync(db => db.Articles.AnyAsync(a => a.CreatedByUserId == userId)));
    }

    [Fact]
    public async Task Autosave_OfANewArticle_KeepsTextTypedBeforeAHeadline_AndTheSaveByHandAsksForOne()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);
        var page = await editor.GetDocumentAsync("/admin/articles/new");
        var body = Unique.Words("The lede came first");

        var autosaved = await AutosaveAsync(editor, page, new() { ["Edit.BodyMarkdown"] = body });

        var answer = await autosaved.Content.ReadFromJsonAsync<JsonElement>();
        var id = answer.GetProperty("id").GetInt32();
        var draft = await app.WithDbAsync(db => db.Articles.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal((ArticleEditor.UntitledHeadline, body), (draft.Headline, draft.BodyMarkdown));
        page.QuerySelector("form.article-editor")!.SetAttribute("action", $"/admin/articles/{id}");
        var refused = await editor.SubmitAsync(page, "form.article-editor", new Dictionary<string, string>
        {
            ["Edit.BodyMarkdown"] = body, ["Edit.ConcurrencyStamp"] = answer.GetProperty("concurrencyStamp").GetString()!,
        }, "action", "save");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var form = await BroadsheetFactory.ParseAsync(refused);
        Assert.Equal("Please write a headline.", form.QuerySelector("[data-valmsg-for='Edit.Headline']")!.TextContent);
        Assert.Equal(body, form.QuerySelector("#Edit_BodyMarkdown")!.TextContent.Trim());
    }

    [Fact]
    public async Task Contributor_AutosavesANewArticle_AsTheirOwnDraft_WhichAnotherContributorCannotTouch()
    {
        var contributor = await app.SignedInAsync(StaffRoles.Contributor);
        var other = await app.SignedInAsync(StaffRoles.Contributor);
        var page = await contributor.GetDocumentAsync("/admin/articles/new");
        var headline = Unique.Words("Contributor's first lines");

        var created = await AutosaveAsync(contributor, page, new() { ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "A start." });

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var answer = await created.Content.ReadFromJsonAsync<JsonElement>();
        var autosaveUrl = answer.GetProperty("autosaveUrl").GetString()!;
        Assert.Equal(ArticleStatus.Draft, (await FindAsync(headline)).Status);
        var intruder = await AutosaveAsync(other, await other.GetDocumentAsync("/admin/articles/new"), new()
        {
            ["Edit.Headline"] = "Taken over", ["Edit.ConcurrencyStamp"] = answer.GetProperty("concurrencyStamp").GetString()!,
        }, autosaveUrl);
        Assert.Equal(HttpStatusCode.Forbidden, intruder.StatusCode);
        var more = await AutosaveAsync(contributor, page, new()
        {
            ["Edit.Headline"] = headline, ["Edit.BodyMarkdown"] = "A start, and more.", ["Edit.ConcurrencyStamp"] = answer.GetProperty("concurrencyStamp").GetString()!,
        }, autosaveUrl);
        Assert.Equal(HttpStatusCode.OK, more.StatusCode);
        Assert.Equal("A start, and more.", (await FindAsync(headline)).BodyMarkdown);
    }

    /// <summary>What editor.js sends: every field of the editor form (token and stamp included), to the autosave handler.</summary>
    private static Task<HttpResponseMessage> AutosaveAsync(HttpClient client, IDocument page, Dictionary<string, string> values, string? url = null)
    {
        var form = page.QuerySelector("form.article-editor")!;
        form.SetAttribute("action", url ?? form.GetAttribute("data-autosave")!);
        return client.SubmitAsync(page, "form.article-editor", values);
    }

    private static async Task<HttpResponseMessage> SaveAsync(HttpClient client, string id, Dictionary<string, string> values, string action)
    {
        var form = await client.GetDocumentAsync($"/admin/articles/{id}");
        var response = await client.SubmitAsync(form, "form.article-editor", values, "action", action);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{action}: {(int)response.StatusCode} {(await BroadsheetFactory.ParseAsync(response)).QuerySelector(".form-problems, .field-error")?.TextContent}");
        return response;
    }

    private Task<Article> FindAsync(string headline) =>
        app.WithDbAsync(db => db.Articles.AsNoTracking().SingleAsync(a => a.Headline == headline));
}

using System.Globalization;
using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Privacy;
using Broadsheet.Tests.Import;
using Broadsheet.Tests.Comments;
using Broadsheet.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Export;

/// <summary>
/// A site with a bit of everything, exported once by the real <c>export json</c> command: 120
/// generated articles with threaded comments (seed-demo, so paging crosses pages), an article in each
/// status, one renamed and revised with a featured image, a three-deep thread posted through the
/// real form, comments in every status with reports, a staff account, audit entries, a setting, a
/// commenter's erasure, and a post with a comment imported from WordPress by the real <c>import wxr</c>.
/// </summary>
public sealed class ExportedSite : IAsyncLifetime
{
    public TestDatabase Database { get; } = TestDatabase.Create();

    public string Folder { get; } = TempDirectory.Create("broadsheet-export");

    public string File => Path.Combine(Folder, "site.json");

    /// <summary>A word only the revised article contains, for search.</summary>
    public string Word { get; } = "zq" + Guid.NewGuid().ToString("N")[..10].Replace('0', 'k').Replace('1', 'm');

    public string Headline => $"Café “{Word}” reopens – revised";

    public string ArticleUrl { get; private set; } = "";
    public string OldArticleUrl { get; private set; } = "";
    public int DeepReplyId { get; private set; }
    public string DeepReplyText { get; private set; } = "";
    public int TrashedId { get; private set; }
    public int StaffReplyId { get; private set; }
    public string StaffEmail { get; } = "desk@example.com";

    public const string DisabledEmail = "former-stringer@example.com";

    /// <summary>The WordPress post id of the imported post, and where <c>/?p=ID</c> sends readers on the exported site.</summary>
    public int WordPressPostId { get; } = 4242;
    public string WordPressRedirect { get; private set; } = "";

    /// <summary>Articles in the file: 120 generated, the sample, four in other statuses, the revised one, the WordPress post.</summary>
    public int Articles { get; } = 127;

    public async Task InitializeAsync()
    {
        var seeded = await BroadsheetProcess.RunAsync(Database, "seed-demo", "--articles", "120", "--comments-per-article", "3");
        Assert.True(seeded.ExitCode == 0, seeded.Error);
        var wxr = Path.Combine(Folder, "wordpress.xml");
        await System.IO.File.WriteAllTextAsync(wxr, WxrFixture.Export("https://old-gazette.example.org",
            WxrFixture.Post(WordPressPostId, "From the old blog", "2024-06-01 10:00:00",
                WxrFixture.Comment(77, 0, "Old Reader", "Kept from WordPress.", "2024-06-01 11:00:00"))));
        var imported = await BroadsheetProcess.RunAsync(Database, "import", "wxr", wxr);
        Assert.True(imported.ExitCode == 0, imported.Error);

        await using (var app = new BuildingFactory(Database))
        {
            await BuildAsync(app);
        }

        var exported = await BroadsheetProcess.RunAsync(Database, "export", "json", File);
        Assert.True(exported.ExitCode == 0, exported.Error);
    }

    private async Task BuildAsync(BuildingFactory app)
    {
        var created = await app.WithServiceAsync<IdentityResult, StaffAccounts>(
            accounts => accounts.CreateAsync(StaffEmail, "News Desk", StaffRoles.Editor, StaffPasswords.Generate(), default));
        Assert.True(created.Succeeded);
        // A disabled account must come back disabled, or a restore would let its owner ask for a password link.
        await using (var accountsScope = app.Services.CreateAsyncScope())
        {
            var accounts = accountsScope.ServiceProvider.GetRequiredService<StaffAccounts>();
            Assert.True((await accounts.CreateAsync(DisabledEmail, "Former Stringer", StaffRoles.Contributor, StaffPasswords.Generate(), default)).Succeeded);
            var user = await accountsScope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StaffUser>>().FindByEmailAsync(DisabledEmail);
            Assert.True((await accounts.DisableAsync(user!, default)).Done);
        }
        var future = app.Clock.GetUtcNow().UtcDateTime.AddDays(3);
        await app.CreateArticlesAsync(
        [
            .. new[] { ArticleStatus.Draft, ArticleStatus.PendingReview, ArticleStatus.Scheduled, ArticleStatus.Unpublished }.Select(status => new ArticleDraft
            {
                Headline = $"A {status} story {Word[..6]}",
                Dek = "Zoë’s dek, with “quotes” & ampersands <b>kept as text</b>",
                BodyMarkdown = "First paragraph.\n\n> A quote.\n\n**Bold** words.",
                Status = status,
                PublishedAt = status == ArticleStatus.Scheduled ? future : null,
                Authors = ["Ånne Writer", "Second Author"],
                Section = "Culture",
                Tags = ["Ünïcode", "Restores"],
            }),
        ]);

        var (article, url) = await app.CreateArticleAsync();
        var top = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Top comment, with a [link](https://example.org).", "Reader One", "one@example.com", clientAddress: "203.0.113.7"));
        var reply = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "A reply.", "Reader Two", "two@example.com",
            adjust: f => f["comment_parent"] = top.ToString(CultureInfo.InvariantCulture), clientAddress: "2001:db8::1"));
        DeepReplyText = $"A reply to the reply {Word}";
        DeepReplyId = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, DeepReplyText, "Reader Three", "three@example.com",
            adjust: f => f["comment_parent"] = reply.ToString(CultureInfo.InvariantCulture), clientAddress: "198.51.100.9"));
        TrashedId = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Trash me.", "Reader Four", "four@example.com", clientAddress: "203.0.113.8"));
        var spam = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Buy things.", "Spammer", "spam@example.com", clientAddress: "203.0.113.9"));
        var pending = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Hold me.", "Reader Five", "five@example.com", clientAddress: "203.0.113.10"));
        var erased = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Forget me.", "Reader Six", "six@example.com", clientAddress: "203.0.113.11"));

        var wordPress = await app.CreateReader().GetAsync($"/?p={WordPressPostId}");
        Assert.Equal(System.Net.HttpStatusCode.MovedPermanently, wordPress.StatusCode);
        WordPressRedirect = wordPress.Headers.Location!.OriginalString;

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        var staff = await db.Users.SingleAsync(u => u.Email == StaffEmail);
        await db.Comments.Where(c => c.Id == TrashedId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CommentStatus.Trash));
        await db.Comments.Where(c => c.Id == spam).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CommentStatus.Spam).SetProperty(c => c.StatusReason, "spam: moderator"));
        await db.Comments.Where(c => c.Id == pending).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CommentStatus.Pending).SetProperty(c => c.StatusReason, "held: test"));
        var now = app.Clock.GetUtcNow().UtcDateTime;
        db.CommentReports.Add(new CommentReport { CommentId = top, Reason = ReportReason.OffTopic, Note = "Über off-topic", CreatedAt = now, IpHash = "abc123" });
        db.CommentReports.Add(new CommentReport { CommentId = top, Reason = ReportReason.Abusive, CreatedAt = now.AddMinutes(1) });

        var edited = await db.Articles.SingleAsync(a => a.Id == article.Id);
        db.ArticleSlugHistory.Add(new ArticleSlugHistory { Slug = edited.Slug, ArticleId = edited.Id });
        // A byline renamed once: its old address redirects, and must still after a restore.
        var renamed = await db.Authors.SingleAsync(a => a.Name == "Second Author");
        db.AuthorSlugHistory.Add(new AuthorSlugHistory { Slug = "second-author-before-renaming", AuthorId = renamed.Id });
        OldArticleUrl = url;
        edited.Slug += "-revised";
        ArticleUrl = url + "-revised";
        db.ArticleRevisions.Add(new ArticleRevision
        {
            ArticleId = edited.Id, CreatedAt = now.AddMinutes(-5), UserName = StaffEmail, Headline = edited.Headline, Dek = null, BodyMarkdown = edited.BodyMarkdown,
        });
        edited.Headline = Headline;
        edited.BodyMarkdown = $"The café at the corner is open again; {Word} is on the menu.";
        edited.CorrectionsNote = "An earlier version misspelt the owner’s name.";
        edited.FeaturedImagePath = "/media/cafe.jpg";
        edited.FeaturedImageAlt = "The café’s front window";
        edited.FeaturedImageCaption = "Open again. Photo: Desk";
        edited.CreatedByUserId = staff.Id;
        edited.UpdatedByName = StaffEmail;
        db.ArticleRevisions.Add(new ArticleRevision
        {
            ArticleId = edited.Id, CreatedAt = now, UserName = StaffEmail, Headline = edited.Headline, BodyMarkdown = edited.BodyMarkdown, CorrectionsNote = edited.CorrectionsNote,
        });
        db.SiteSettings.Add(new SiteSetting { Key = "test:setting", Value = "«ünïcode» \"quoted\"\nand a second line" });
        scope.ServiceProvider.GetRequiredService<AuditLog>().Record("comment.trash", "comment", TrashedId.ToString(CultureInfo.InvariantCulture), "moved to trash", userName: StaffEmail);
        await db.SaveChangesAsync();

        // A staff reply from the moderation desk: linked to the account, without the staff member's email.
        var deskReply = await scope.ServiceProvider.GetRequiredService<Broadsheet.Moderation.CommentModerator>()
            .ReplyAsync(await db.Comments.SingleAsync(c => c.Id == top), staff, "From the desk: thank you.", default);
        StaffReplyId = deskReply.Id;

        var erasedKey = await db.Comments.Where(c => c.Id == erased).Select(c => c.AvatarKey).SingleAsync();
        var erasure = await app.WithServiceAsync<CommenterErasure, CommenterData>(data => data.EraseAsync(erasedKey, "staff: Desk", default));
        Assert.Equal(1, erasure.CommentsDeleted);
    }

    public Task DisposeAsync()
    {
        Database.Dispose();
        TempDirectory.Delete(Folder);
        return Task.CompletedTask;
    }

    /// <summary>Comments are approved at once, so the thread shows on the page.</summary>
    private sealed class BuildingFactory(TestDatabase database) : CommentsFactoryOver(database)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Broadsheet:Comments:HoldFirstTimeCommenters"] = "false",
        };
    }
}

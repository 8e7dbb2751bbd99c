using System.Net;
using System.Text.Json;
using Broadsheet.Accounts;
using Broadsheet.Comments;
using Broadsheet.Privacy;
using Broadsheet.Tests.Accounts;
using Broadsheet.Tests.Comments;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Privacy;

/// <summary>Comments appear at once; mail goes to a real SMTP server on loopback.</summary>
public class DataRightsFactory : MailingFactory
{
    protected virtual ErasureMode Erasure => ErasureMode.Delete;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(Smtp.Settings)
    {
        ["Broadsheet:Comments:HoldFirstTimeCommenters"] = "false",
        ["Broadsheet:Privacy:Erasure"] = Erasure.ToString(),
    };

    /// <summary>A reader's comment, posted through the form; returns its id.</summary>
    public async Task<int> CommentAsync(string url, string text, string name, string email, int? replyTo = null)
    {
        Clock.Advance(TimeSpan.FromMinutes(2)); // past the per-commenter rate limit
        var response = await PostCommentAsync(url, text, name, email,
            adjust: replyTo is { } parent ? fields => fields["comment_parent"] = parent.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
        return CommentIdFrom(response);
    }

    /// <summary>Does what the reader does: fills in the request form and returns the path of the link that arrives by email.</summary>
    public async Task<string> RequestLinkAsync(string email)
    {
        var client = CreateReader();
        var response = await RequestAsync(client, email);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains("We have sent a link to", page.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        var message = await Smtp.NextMessageToAsync(email);
        return TestSmtpServer.LinkIn(message, DataRightsLinks.PagePath + "/");
    }

    public static async Task<HttpResponseMessage> RequestAsync(HttpClient client, string email)
    {
        var form = await client.GetDocumentAsync(DataRightsLinks.PagePath);
        return await client.SubmitAsync(form, "main form", new Dictionary<string, string> { ["email"] = email });
    }
}

public sealed class AnonymisingFactory : DataRightsFactory
{
    protected override ErasureMode Erasure => ErasureMode.Anonymise;
}

public sealed class DataRightsTests(DataRightsFactory app) : IClassFixture<DataRightsFactory>
{
    private static string NewEmail() => $"reader.{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task EmailedLink_DownloadsEveryCommentOfThatAddress_AndWorksOnce()
    {
        var (_, url) = await app.CreateArticleAsync();
        var alice = NewEmail();
        var first = await app.CommentAsync(url, "Alice's first thought", "Alice", alice);
        var bob = await app.CommentAsync(url, "Bob answers", "Bob", NewEmail(), replyTo: first);
        var second = await app.CommentAsync(url, "Alice again", "Alice", alice.ToUpperInvariant(), replyTo: bob);

        var link = await app.RequestLinkAsync(alice);
        var reader = app.CreateReader();
        var summary = await reader.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        Assert.True(summary.Headers.CacheControl!.NoStore);
        var summaryPage = await BroadsheetFactory.ParseAsync(summary);
        Assert.Contains("2 comment(s)", summaryPage.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        var download = await reader.SubmitAsync(summaryPage, "form[action*=download]", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await download.Content.ReadAsStringAsync());
        var comments = json.RootElement.GetProperty("comments").EnumerateArray().ToList();
        Assert.Equal([first, second], comments.Select(c => c.GetProperty("id").GetInt32()));
        Assert.Equal(["Alice's first thought", "Alice again"], comments.Select(c => c.GetProperty("text").GetString()));
        Assert.All(comments, c => Assert.Equal(alice, c.GetProperty("email").GetString(), ignoreCase: true));
        Assert.Equal(bob, comments[1].GetProperty("inReplyTo").GetInt32());

        var again = await reader.SubmitAsync(summaryPage, "form[action*=download]", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("expired or has already been used", (await BroadsheetFactory.ParseAsync(again)).QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_DeletesTheComments_KeepsAnAnsweredOneAsRemoved_AndTheRepliesStay()
    {
        var (article, url) = await app.CreateArticleAsync();
        var carol = NewEmail();
        var answered = await app.CommentAsync(url, "Carol starts a thread", "Carol Unique", carol);
        var reply = await app.CommentAsync(url, "Dan replies", "Dan", NewEmail(), replyTo: answered);
        var alone = await app.CommentAsync(url, "Carol alone", "Carol Unique", carol);
        var ownReply = await app.CommentAsync(url, "Carol answers Dan", "Carol Unique", carol, replyTo: reply);
        Assert.Contains("Carol Unique", (await app.GetDocumentAsync(url)).QuerySelector(".comments")!.TextContent, StringComparison.Ordinal);

        var link = await app.RequestLinkAsync(carol);
        var reader = app.CreateReader();
        var page = await reader.GetDocumentAsync(link);
        var unconfirmed = await reader.SubmitAsync(page, "form[action*=erase]", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Equal(4, await app.WithDbAsync(db => db.Comments.CountAsync(c => c.ArticleId == article.Id)));

        var erased = await reader.SubmitAsync(page, "form[action*=erase]", new Dictionary<string, string> { ["confirm"] = "true" });

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Contains("2 comment(s) deleted, 1 kept", (await BroadsheetFactory.ParseAsync(erased)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        var left = await app.WithDbAsync(db => db.Comments.AsNoTracking().Where(c => c.ArticleId == article.Id).OrderBy(c => c.Id).ToListAsync());
        Assert.Equal([answered, reply], left.Select(c => c.Id));
        Assert.Equal(CommenterData.RemovedText, left[0].BodyText);
        Assert.Equal("", left[0].AuthorEmail);
        Assert.Null(left[0].IpPrefix);
        Assert.Equal(2, await app.WithDbAsync(db => db.Articles.Where(a => a.Id == article.Id).Select(a => a.CommentCount).SingleAsync()));

        var publicPage = (await app.GetDocumentAsync(url)).QuerySelector(".comments")!.TextContent;
        Assert.DoesNotContain("Carol", publicPage, StringComparison.Ordinal);
        Assert.Contains("Dan replies", publicPage, StringComparison.Ordinal);
        Assert.Contains(CommenterData.RemovedText, publicPage, StringComparison.Ordinal);
        Assert.Null((await app.GetDocumentAsync(url)).GetElementById($"comment-{alone}"));
        Assert.Null((await app.GetDocumentAsync(url)).GetElementById($"comment-{ownReply}"));

        var record = await app.WithDbAsync(db => db.CommenterErasures.AsNoTracking().OrderByDescending(e => e.Id).FirstAsync());
        Assert.Equal((2, 1, "commenter"), (record.CommentsDeleted, record.CommentsAnonymised, record.RequestedBy));
    }

    [Fact]
    public async Task Link_StopsWorking_AfterADay()
    {
        var email = NewEmail();
        var (_, url) = await app.CreateArticleAsync();
        await app.CommentAsync(url, "Something", "Eve", email);
        var link = await app.RequestLinkAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateReader().GetAsync(link)).StatusCode);

        app.Clock.Advance(TimeSpan.FromHours(24).Add(TimeSpan.FromMinutes(1)));

        Assert.Equal(HttpStatusCode.Gone, (await app.CreateReader().GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await app.CreateReader().GetAsync(DataRightsLinks.PagePath + "/not-a-real-token")).StatusCode);
    }

    [Fact]
    public async Task Link_IsNeverAddressedToTheHostARequestNames()
    {
        var email = NewEmail();
        var forger = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, BaseAddress = new Uri("http://evil.example"),
        });

        var forged = await DataRightsFactory.RequestAsync(forger, email);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, forged.StatusCode);
        // Nothing went out: the first message to that address is the one asked for on the site's own address.
        Assert.Equal(HttpStatusCode.OK, (await DataRightsFactory.RequestAsync(app.CreateReader(), email)).StatusCode);
        var body = (await app.Smtp.NextMessageToAsync(email)).TextBody;
        Assert.Contains($"http://localhost{DataRightsLinks.PagePath}/", body, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_AnswersTheSame_ForAnAddressThatNeverCommented()
    {
        var stranger = NewEmail();

        var link = await app.RequestLinkAsync(stranger);

        var page = await app.CreateReader().GetDocumentAsync(link);
        Assert.Contains("0 comment(s)", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithABadEmail_KeepsTheTextAndSaysWhy_AndStoresNothing()
    {
        var before = await app.WithDbAsync(db => db.DataRightsRequests.CountAsync());

        var response = await DataRightsFactory.RequestAsync(app.CreateReader(), "not an address");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await BroadsheetFactory.ParseAsync(response);
        Assert.Equal("not an address", page.QuerySelector("#email")!.GetAttribute("value"));
        Assert.Equal("true", page.QuerySelector("#email")!.GetAttribute("aria-invalid"));
        Assert.Contains("Please enter the email address", page.QuerySelector("#email-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await app.WithDbAsync(db => db.DataRightsRequests.CountAsync()));
    }

    [Fact]
    public async Task Request_IsRefusedWithRetryAfter_WhenOneAddressAsksTooOften()
    {
        var email = NewEmail();
        for (var i = 0; i < 3; i++)
        {
            await app.RequestLinkAsync(email);
        }

        var response = await DataRightsFactory.RequestAsync(app.CreateReader(), email);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        Assert.Contains("Too many links", (await BroadsheetFactory.ParseAsync(response)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Administrator_DownloadsAndErasesForAnAddress_AndTheAuditLogDoesNotHoldIt()
    {
        var (_, url) = await app.CreateArticleAsync();
        var email = NewEmail();
        var id = await app.CommentAsync(url, "Frank's only comment", "Frank", email);
        var admin = await app.SignedInAsync(StaffRoles.Administrator);

        var lookup = await admin.SubmitAsync(await admin.GetDocumentAsync("/admin/privacy"), "form[action*=find]", new Dictionary<string, string> { ["email"] = email });
        // Posted, not in the address: access logs, proxies and browser history never see it.
        Assert.Equal(HttpMethod.Post, lookup.RequestMessage!.Method);
        Assert.DoesNotContain(email, lookup.RequestMessage.RequestUri!.ToString(), StringComparison.OrdinalIgnoreCase);
        var found = await BroadsheetFactory.ParseAsync(lookup);
        Assert.Contains("1 comment(s)", found.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var download = await admin.SubmitAsync(found, "form[action*=download]", new Dictionary<string, string>());
        Assert.Contains("Frank's only comment", await download.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var erased = await admin.SubmitAsync(found, "form[action*=erase]", new Dictionary<string, string> { ["confirm"] = "true" });

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Comments.AnyAsync(c => c.Id == id)));
        var audit = await app.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("privacy.")).ToListAsync());
        Assert.Contains(audit, e => e.Action == "privacy.erase");
        Assert.DoesNotContain(audit, e => (e.Details ?? "").Contains(email, StringComparison.OrdinalIgnoreCase));
    }
}

public sealed class AnonymisingErasureTests(AnonymisingFactory app) : IClassFixture<AnonymisingFactory>
{
    [Fact]
    public async Task Erase_KeepsTheText_WithoutName_WhenTheSiteAnonymises()
    {
        var (_, url) = await app.CreateArticleAsync();
        var email = $"grace.{Guid.NewGuid():N}@example.com";
        var id = await app.CommentAsync(url, "Grace's words stay", "Grace Hopper", email);

        var link = await app.RequestLinkAsync(email);
        var reader = app.CreateReader();
        var page = await reader.GetDocumentAsync(link);
        await reader.SubmitAsync(page, "form[action*=erase]", new Dictionary<string, string> { ["confirm"] = "true" });

        var comment = await app.FindCommentAsync(id);
        Assert.Equal(("Grace's words stay", "Former reader", ""), (comment.BodyText, comment.AuthorName, comment.AuthorEmail));
        var shown = (await app.GetDocumentAsync(url)).GetElementById($"comment-{id}")!.TextContent;
        Assert.Contains("Grace's words stay", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Grace Hopper", shown, StringComparison.Ordinal);
    }
}

/// <summary>Without SMTP settings, mail is written as .eml files in the data folder.</summary>
public sealed class MailPickupTests(CommentsFactory app) : IClassFixture<CommentsFactory>
{
    [Fact]
    public async Task Link_IsWrittenAsAnEmlFile_WhenNoSmtpServerIsConfigured()
    {
        var email = $"henry.{Guid.NewGuid():N}@example.com";
        var client = app.CreateReader();
        var form = await client.GetDocumentAsync(DataRightsLinks.PagePath);

        var response = await client.SubmitAsync(form, "main form", new Dictionary<string, string> { ["email"] = email });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var files = Directory.GetFiles(Path.Combine(app.DataDirectory, "mail"), "*.eml");
        var message = files.Select(f => MimeKit.MimeMessage.Load(f)).Single(m => m.To.Mailboxes.Any(b => b.Address == email));
        var link = TestSmtpServer.LinkIn(message, DataRightsLinks.PagePath + "/");
        Assert.Equal(HttpStatusCode.OK, (await app.CreateReader().GetAsync(link)).StatusCode);
    }
}

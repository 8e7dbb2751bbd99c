using System.Net;
using System.Text;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Comments;

public sealed class PostCommentTests(OpenCommentsFactory app) : IClassFixture<OpenCommentsFactory>
{
    [Fact]
    public async Task CommentForm_HasTheSamplePagesFieldsLabelsAndNotes()
    {
        var (_, url) = await app.CreateArticleAsync();

        var page = await app.GetDocumentAsync(url);

        Assert.Equal("Leave a Comment", page.QuerySelector("#reply-title")!.FirstChild!.TextContent.Trim());
        Assert.Equal("Your email address will not be published.", page.QuerySelector("#email-notes")!.TextContent);
        var note = page.QuerySelector(".required-field-message")!;
        Assert.Equal("Required fields are marked *", VisibleText(note));
        foreach (var (name, label, autocomplete, max) in new[]
        {
            ("comment", "Comment *", (string?)null, "65525"),
            ("author", "Name *", "name", "245"),
            ("email", "Email *", "email", "100"),
            ("url", "Website", "url", "200"),
        })
        {
            var input = page.QuerySelector($"#commentform [name='{name}']")!;
            Assert.Equal(name, input.Id);
            Assert.Equal(label, VisibleText(page.QuerySelector($"label[for='{name}']")!));
            Assert.Equal(autocomplete, input.GetAttribute("autocomplete"));
            Assert.Equal(max, input.GetAttribute("maxlength"));
            Assert.Equal(name != "url", input.HasAttribute("required"));
        }

        Assert.Equal("Save my name, email, and website in this browser for the next time I comment.",
            page.QuerySelector("label[for='wp-comment-cookies-consent']")!.TextContent);
        Assert.Equal("checkbox", page.QuerySelector("[name='wp-comment-cookies-consent']")!.GetAttribute("type"));
        Assert.NotNull(page.QuerySelector("input[type=hidden][name=comment_post_ID]"));
        Assert.NotNull(page.QuerySelector("input[type=hidden][name=comment_parent][value='0']"));
        Assert.Equal("Post Comment", page.QuerySelector("#commentform button[type=submit]")!.TextContent);
        // The screen-reader text says what the asterisk means.
        Assert.Contains("required", page.QuerySelector("label[for='comment']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostComment_RedirectsToTheComment_AndShowsItUnderTheArticle()
    {
        var (_, url) = await app.CreateArticleAsync();

        var response = await app.PostCommentAsync(url, "Thanks for this *careful* report.\n\nSecond paragraph.", "Jo Reader", "jo@example.org", "jo.example.org");

        var id = CommentsFactory.CommentIdFrom(response);
        Assert.Equal($"{url}#comment-{id}", response.Headers.Location!.OriginalString);
        var page = await app.GetDocumentAsync(url);
        var comment = page.GetElementById($"comment-{id}")!;
        Assert.Equal("Jo Reader", comment.QuerySelector(".comment-author")!.TextContent.Trim());
        var website = comment.QuerySelector(".comment-author a")!;
        Assert.Equal("https://jo.example.org", website.GetAttribute("href"));
        Assert.Equal("nofollow ugc noopener", website.GetAttribute("rel"));
        Assert.Equal("careful", comment.QuerySelector(".comment-content em")!.TextContent);
        Assert.Equal(2, comment.QuerySelectorAll(".comment-content p").Length);
        Assert.Matches("^/avatars/[0-9a-f]{32}\\.svg$", comment.QuerySelector("img.avatar")!.GetAttribute("src"));
        Assert.Equal($"/comments/{id}", comment.QuerySelector(".comment-date a")!.GetAttribute("href"));
        Assert.NotNull(comment.QuerySelector("time[datetime]"));
        Assert.Equal("1 Comment", page.QuerySelector("#comments-title")!.TextContent);
        Assert.Equal("1 comment", page.QuerySelector(".article-meta .comment-count")!.TextContent.Trim());
        Assert.Null(comment.QuerySelector(".comment-awaiting-moderation"));

        var stored = await app.FindCommentAsync(id);
        Assert.Equal(CommentStatus.Approved, stored.Status);
        Assert.Equal("jo@example.org", stored.AuthorEmail);
    }

    [Fact]
    public async Task CommentPageWithNoThreads_ShowsTheArticlesCurrentCommentCount()
    {
        var (_, url) = await app.CreateArticleAsync();
        Assert.Equal("Comments", (await app.GetDocumentAsync(url)).QuerySelector("#comments-title")!.TextContent); // remembered with no comments

        var id = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "The only one", Unique.Words("Reader"), $"{Guid.NewGuid():N}@example.com"));

        // A page after the last thread has no comment to bring the count with it: the count is asked for.
        var comment = await app.FindCommentAsync(id);
        var page = await app.GetDocumentAsync($"{url}?{CommentPermalinks.CommentPageQuery}={new ListingCursor(comment.CreatedAt, comment.Id)}");
        Assert.Empty(page.QuerySelectorAll(".comment-list .comment"));
        Assert.Equal("1 Comment", page.QuerySelector("#comments-title")!.TextContent);
        Assert.Equal("1 comment", page.QuerySelector(".article-meta .comment-count")!.TextContent.Trim());
    }

    [Fact]
    public async Task PostComment_EvictsTheCachedArticlePage_AndTheListingsCount()
    {
        var (article, url) = await app.CreateArticleAsync();
        Assert.Equal("Comments", (await app.GetDocumentAsync(url)).QuerySelector("#comments-title")!.TextContent);

        await app.PostCommentAsync(url, "Evict me", Unique.Words("Evictor"), $"{Guid.NewGuid():N}@example.com");

        Assert.Equal("1 Comment", (await app.GetDocumentAsync(url)).QuerySelector("#comments-title")!.TextContent);
        var section = await app.GetDocumentAsync("/section/world");
        var item = section.QuerySelectorAll(".article-list-item").Single(i => i.TextContent.Contains(article.Headline, StringComparison.Ordinal));
        Assert.Equal("1 comment", item.QuerySelector(".comment-count")!.TextContent.Trim());
    }

    [Fact]
    public async Task PageRenderedAfterANewComment_ReadsTheComments_AndTheArticleAsRememberedUntilItChanges()
    {
        var (article, url) = await app.CreateArticleAsync();
        await app.GetDocumentAsync(url);
        // Behind the app's back: no eviction, so nothing tells the node the article changed.
        await app.WithDbAsync(db => db.Articles.Where(a => a.Id == article.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Headline, "Renamed behind the app's back")));

        await app.PostCommentAsync(url, "Re-render me", Unique.Words("Reader"), $"{Guid.NewGuid():N}@example.com");

        var afterComment = await app.GetDocumentAsync(url);
        Assert.Equal("1 Comment", afterComment.QuerySelector("#comments-title")!.TextContent);
        Assert.Contains("Re-render me", afterComment.QuerySelector(".comment-list")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(article.Headline, afterComment.QuerySelector("h1")!.TextContent);

        await ArticleChangedAsync(article.Id);

        var afterEdit = await app.GetDocumentAsync(url);
        Assert.Equal("Renamed behind the app's back", afterEdit.QuerySelector("h1")!.TextContent);
        Assert.Equal("1 Comment", afterEdit.QuerySelector("#comments-title")!.TextContent);
    }

    [Fact]
    public async Task ListingRenderedAfterANewComment_ShowsTheFreshCount_AndTheArticlesAsRememberedUntilTheyChange()
    {
        var when = app.Clock.GetUtcNow().UtcDateTime.AddDays(-1);
        var article = (await app.CreateArticlesAsync(new ArticleDraft
        {
            Headline = Unique.Words("Listed story"), BodyMarkdown = "Body.", Section = Unique.Words("Busy desk"), PublishedAt = when,
        }))[0];
        var url = $"/{when:yyyy}/{when:MM}/{when:dd}/{article.Slug}";
        var listing = "/section/" + await app.WithDbAsync(db => db.Sections.Where(s => s.Id == article.SectionId).Select(s => s.Slug).SingleAsync());
        Assert.Null((await app.GetDocumentAsync(listing)).QuerySelector(".comment-count"));
        // Behind the app's back: no eviction, so nothing tells the node the article changed.
        await app.WithDbAsync(db => db.Articles.Where(a => a.Id == article.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Headline, "Renamed behind the app's back")));

        await app.PostCommentAsync(url, "Count me", Unique.Words("Reader"), $"{Guid.NewGuid():N}@example.com");

        var afterComment = await app.GetDocumentAsync(listing);
        Assert.Equal("1 comment", afterComment.QuerySelector(".comment-count")!.TextContent.Trim());
        Assert.Equal(article.Headline, afterComment.QuerySelector(".article-list-headline")!.TextContent);

        await ArticleChangedAsync(article.Id);

        var afterEdit = await app.GetDocumentAsync(listing);
        Assert.Equal("Renamed behind the app's back", afterEdit.QuerySelector(".article-list-headline")!.TextContent);
        Assert.Equal("1 comment", afterEdit.QuerySelector(".comment-count")!.TextContent.Trim());
    }

    /// <summary>What an edit tells the node: the article changed (its pages evicted, its remembered copy dropped).</summary>
    private Task ArticleChangedAsync(int articleId) =>
        app.WithServiceAsync<bool, Broadsheet.Infrastructure.Caching.ContentCache>(async cache =>
        {
            await cache.ArticleChangedAsync(articleId);
            return true;
        });

    [Fact]
    public async Task CommentText_IsASafeMarkdownSubset_AndEverythingElseIsText()
    {
        var (_, url) = await app.CreateArticleAsync();

        var response = await app.PostCommentAsync(url,
            "# Not a heading\n<script>alert('x')</script> <b>bold?</b>\n\n> quoted\n\n`code` [site](https://example.com) [bad](javascript:alert(1)) ![img](https://example.com/x.png)",
            "Markdown Tester", "md@example.org");

        var comment = (await app.GetDocumentAsync(url)).GetElementById($"comment-{CommentsFactory.CommentIdFrom(response)}")!;
        var content = comment.QuerySelector(".comment-content")!;
        Assert.Empty(content.QuerySelectorAll("h1, script, b, img"));
        Assert.Contains("# Not a heading", content.TextContent, StringComparison.Ordinal);
        Assert.Contains("<script>alert('x')</script>", content.TextContent, StringComparison.Ordinal);
        Assert.Equal("quoted", content.QuerySelector("blockquote")!.TextContent.Trim());
        Assert.Equal("code", content.QuerySelector("code")!.TextContent);
        Assert.Equal("https://example.com/", new Uri(content.QuerySelector("a")!.GetAttribute("href")!).ToString());
        Assert.DoesNotContain("javascript:", content.InnerHtml, StringComparison.OrdinalIgnoreCase);
        Assert.All(content.QuerySelectorAll("a"), a => Assert.Equal("nofollow ugc noopener", a.GetAttribute("rel")));
    }

    [Fact]
    public async Task RejectedPost_ReRendersThePage_WithAMessagePerField_AndTheReadersTextKept()
    {
        var (_, url) = await app.CreateArticleAsync();

        var response = await app.PostCommentAsync(url, "My carefully written comment", "", "not-an-email", "ht!tp://bad url");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await BroadsheetFactory.ParseAsync(response);
        Assert.Equal("My carefully written comment", page.QuerySelector("#comment")!.TextContent);
        Assert.Equal("not-an-email", page.QuerySelector("#email")!.GetAttribute("value"));
        Assert.Equal("Please enter your name.", page.QuerySelector("#author-error")!.TextContent);
        Assert.Equal("Please enter a valid email address.", page.QuerySelector("#email-error")!.TextContent);
        Assert.StartsWith("Please enter a valid website address", page.QuerySelector("#url-error")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#comment-error"));
        Assert.Equal("true", page.QuerySelector("#author")!.GetAttribute("aria-invalid"));
        Assert.Equal("author-error", page.QuerySelector("#author")!.GetAttribute("aria-describedby"));
        Assert.Equal("email-notes email-error", page.QuerySelector("#email")!.GetAttribute("aria-describedby"));
        var summary = page.QuerySelector("#comment-problems")!;
        Assert.Equal("alert", summary.GetAttribute("role"));
        Assert.Equal(3, summary.QuerySelectorAll("li").Length);
        Assert.Equal(0, await app.WithDbAsync(db => Task.FromResult(db.Comments.Count(c => c.BodyText == "My carefully written comment"))));

        var empty = await app.PostCommentAsync(url, "   ", "Someone", "someone@example.com");
        Assert.Equal("Please type your comment.", (await BroadsheetFactory.ParseAsync(empty)).QuerySelector("#comment-error")!.TextContent);

        // Zero-width characters look like nothing at all: not a name, not a comment.
        var invisible = await BroadsheetFactory.ParseAsync(await app.PostCommentAsync(url, "\u200B\u2060", "\u200B\u3164\u2800\u0301\uFEFF", "someone@example.com"));
        Assert.Equal("Please type your comment.", invisible.QuerySelector("#comment-error")!.TextContent);
        Assert.Equal("Please enter your name.", invisible.QuerySelector("#author-error")!.TextContent);
    }

    [Fact]
    public async Task PostingTooQuickly_Answers429WithRetryAfter_AndTheTextIsKept()
    {
        var (_, url) = await app.CreateArticleAsync();
        var email = $"{Guid.NewGuid():N}@example.com";
        CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "First", "Quick Poster", email));

        var second = await app.PostCommentAsync(url, "Second, five seconds later", "Quick Poster", email);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), second.Headers.RetryAfter!.Delta);
        var page = await BroadsheetFactory.ParseAsync(second);
        Assert.Contains("You are posting comments too quickly. Please wait 10 seconds.", page.QuerySelector("#comment-problems")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Second, five seconds later", page.QuerySelector("#comment")!.TextContent);

        app.Clock.Advance(TimeSpan.FromSeconds(10));
        CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Third, after waiting", "Quick Poster", email));
    }

    [Fact]
    public async Task RateLimit_AppliesPerAddress_AcrossDifferentEmails()
    {
        var (_, url) = await app.CreateArticleAsync();
        CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "One", "A", $"{Guid.NewGuid():N}@example.com", clientAddress: "198.51.100.23"));

        var fromSameAddress = await app.PostCommentAsync(url, "Two", "B", $"{Guid.NewGuid():N}@example.com", clientAddress: "198.51.100.23");
        var fromOtherAddress = await app.PostCommentAsync(url, "Three", "C", $"{Guid.NewGuid():N}@example.com", clientAddress: "198.51.100.24");

        Assert.Equal(HttpStatusCode.TooManyRequests, fromSameAddress.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, fromOtherAddress.StatusCode);
    }

    [Fact]
    public async Task PostingTheSameCommentTwice_Answers409()
    {
        var (_, url) = await app.CreateArticleAsync();
        var email = $"{Guid.NewGuid():N}@example.com";
        CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Exactly this.", "Twice", email));
        app.Clock.Advance(TimeSpan.FromSeconds(30));

        var again = await app.PostCommentAsync(url, "Exactly this.", "Twice", email);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("You have already posted this comment.", (await BroadsheetFactory.ParseAsync(again)).QuerySelector("#comment-problems")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredAddress_IsTruncated_IPv4To24AndIPv6To48()
    {
        var (_, url) = await app.CreateArticleAsync();

        var v4 = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "From v4", "Four", $"{Guid.NewGuid():N}@example.com", clientAddress: "203.0.113.77"));
        var v6 = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "From v6", "Six", $"{Guid.NewGuid():N}@example.com", clientAddress: "2001:db8:abcd:12:34:56:78:9a"));

        Assert.Equal("203.0.113.0", (await app.FindCommentAsync(v4)).IpPrefix);
        Assert.Equal("2001:db8:abcd::", (await app.FindCommentAsync(v6)).IpPrefix);
        Assert.DoesNotContain("203.0.113.77", (await app.FindCommentAsync(v4)).IpHash ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_WithoutJavaScript_MovesTheFormUnderTheComment_AndNestsTheReply()
    {
        var (_, url) = await app.CreateArticleAsync();
        var parentId = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Top-level", "Parent Author", $"{Guid.NewGuid():N}@example.com"));
        var page = await app.GetDocumentAsync(url);
        var replyHref = page.GetElementById($"comment-{parentId}")!.QuerySelector(".comment-reply-link")!.GetAttribute("href")!;
        Assert.Equal($"{url}?replytocom={parentId}#respond", replyHref);

        var replyPage = await app.GetDocumentAsync(replyHref);
        Assert.NotNull(replyPage.QuerySelector($"#comment-{parentId} > #respond #commentform"));
        Assert.Equal($"{parentId}", replyPage.QuerySelector("#comment_parent")!.GetAttribute("value"));
        Assert.StartsWith("Reply to Parent Author", replyPage.QuerySelector("#reply-title")!.TextContent.Trim(), StringComparison.Ordinal);

        var replyId = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(replyHref, "A reply", "Replier", $"{Guid.NewGuid():N}@example.com"));

        var after = await app.GetDocumentAsync(url);
        Assert.NotNull(after.QuerySelector($"#comment-{parentId} > ol.children > #comment-{replyId}"));
        Assert.Equal(parentId, (await app.FindCommentAsync(replyId)).ParentId);
    }

    [Fact]
    public async Task Replies_StopNestingAtTheConfiguredDepth()
    {
        var (_, url) = await app.CreateArticleAsync();
        int? parent = null;
        var ids = new List<int>();
        for (var level = 0; level < 4; level++)
        {
            var id = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, $"Level {level}", $"Nester {level}", $"{Guid.NewGuid():N}@example.com",
                adjust: fields => fields["comment_parent"] = parent?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "0"));
            ids.Add(id);
            parent = id;
        }

        // MaxDepth is 3 in this factory: the fourth level joins the third level's thread.
        var deepest = await app.FindCommentAsync(ids[3]);
        Assert.Equal(ids[1], deepest.ParentId);
        Assert.Equal(2, deepest.Depth);
        Assert.Equal(ids[0], deepest.ThreadRootId);
    }

    [Fact]
    public async Task LongThreads_ArePaginated_AndPermalinksFindTheRightPage()
    {
        var (_, url) = await app.CreateArticleAsync();
        var ids = new List<int>();
        for (var i = 1; i <= 7; i++)
        {
            ids.Add(CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, $"Thread {i}", $"Reader {i}", $"{Guid.NewGuid():N}@example.com")));
        }

        var first = await app.GetDocumentAsync(url);
        Assert.Equal(5, first.QuerySelectorAll("ol.comment-list > li.comment").Length);
        var next = first.QuerySelector("#comments a[rel=next]")!.GetAttribute("href")!;
        var second = await app.GetDocumentAsync(next);
        Assert.Equal([$"comment-{ids[5]}", $"comment-{ids[6]}"], second.QuerySelectorAll("ol.comment-list > li.comment").Select(li => li.Id));
        Assert.Equal("7 Comments", second.QuerySelector("#comments-title")!.TextContent);

        var permalink = await app.CreateReader().GetAsync($"/comments/{ids[6]}");
        Assert.Equal(HttpStatusCode.Redirect, permalink.StatusCode);
        Assert.Equal($"{next.Split('#')[0]}#comment-{ids[6]}", permalink.Headers.Location!.OriginalString);
        var firstPagePermalink = await app.CreateReader().GetAsync($"/comments/{ids[0]}");
        Assert.Equal($"{url}#comment-{ids[0]}", firstPagePermalink.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateReader().GetAsync("/comments/999999")).StatusCode);
    }

    [Fact]
    public async Task NewComments_RedirectToThePageThatShowsThem_AfterEarlierThreadsLeave()
    {
        var (article, url) = await app.CreateArticleAsync();
        var threads = new List<int>();
        for (var i = 1; i <= 11; i++)
        {
            threads.Add(CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, $"Thread {i}", $"Reader {i}", $"{Guid.NewGuid():N}@example.com")));
        }

        // Two early threads go to the trash, as the moderation desk does it (status, then recount):
        // every later thread moves up by two places, and the pages (five threads each) with them.
        await app.WithDbAsync(async db =>
        {
            await db.Comments.Where(c => c.Id == threads[0] || c.Id == threads[1]).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CommentStatus.Trash));
            return await CommentCounts.RecountAsync(db, article.Id, default);
        });

        var posted = new List<(int Id, string Location)>();
        foreach (var text in new[] { "Tenth thread now", "Eleventh thread, first of page three" })
        {
            var response = await app.PostCommentAsync(url, text, "Late reader", $"{Guid.NewGuid():N}@example.com");
            posted.Add((CommentsFactory.CommentIdFrom(response), response.Headers.Location!.OriginalString));
        }

        var reply = await app.PostCommentAsync(url, "A reply on page two", "Replier", $"{Guid.NewGuid():N}@example.com",
            adjust: f => f["comment_parent"] = threads[7].ToString(System.Globalization.CultureInfo.InvariantCulture));
        posted.Add((CommentsFactory.CommentIdFrom(reply), reply.Headers.Location!.OriginalString));

        foreach (var (id, location) in posted)
        {
            var page = await app.GetDocumentAsync(location.Split('#')[0]);
            Assert.NotNull(page.QuerySelector($"#comment-{id}"));
            var permalink = await app.CreateReader().GetAsync($"/comments/{id}");
            Assert.Equal(location, permalink.Headers.Location!.OriginalString);
        }

        Assert.Contains("comments-after=", posted[0].Location, StringComparison.Ordinal);
        Assert.NotEqual(posted[0].Location.Split('#')[0], posted[1].Location.Split('#')[0]);
        Assert.Equal(posted[0].Location.Split('#')[0], posted[2].Location.Split('#')[0]);
        var counts = await app.WithDbAsync(db => db.Articles.Where(a => a.Id == article.Id).Select(a => new { a.ThreadCount, a.CommentCount }).SingleAsync());
        Assert.Equal((11, 12), (counts.ThreadCount, counts.CommentCount));
    }

    [Fact]
    public async Task CommentPages_LeadBackWithRelPrev_ToTheAddressesOfPagingForward()
    {
        var (_, url) = await app.CreateArticleAsync();
        for (var i = 1; i <= 12; i++)
        {
            await app.PostCommentAsync(url, $"Paged remark {i}", $"Pager {i}", $"{Guid.NewGuid():N}@example.com");
        }

        // Five threads a page: 5 + 5 + 2. Forward by "More comments", then back by "Earlier comments".
        var forward = new List<string> { url };
        for (var page = await app.GetDocumentAsync(url); page.QuerySelector("#comments a[rel=next]") is { } next; page = await app.GetDocumentAsync(forward[^1]))
        {
            forward.Add(next.GetAttribute("href")!.Split('#')[0]);
        }

        var last = await app.GetDocumentAsync(forward[2]);
        Assert.Equal(["Paged remark 11", "Paged remark 12"], last.QuerySelectorAll("ol.comment-list > li.comment > .comment-body .comment-content").Select(b => b.TextContent.Trim()));
        var previous = last.QuerySelector("#comments a[rel=prev]")!;
        Assert.Equal("← Earlier comments", previous.TextContent);
        Assert.Equal(forward[1], previous.GetAttribute("href")!.Split('#')[0]);
        Assert.Equal($"http://localhost{forward[1]}", last.QuerySelector("link[rel=prev]")!.GetAttribute("href"));

        var middle = await app.GetDocumentAsync(forward[1]);
        Assert.Equal(url, middle.QuerySelector("#comments a[rel=prev]")!.GetAttribute("href")!.Split('#')[0]);
        Assert.Equal($"http://localhost{forward[2]}", middle.QuerySelector("link[rel=next]")!.GetAttribute("href"));
        Assert.Null((await app.GetDocumentAsync(url)).QuerySelector("link[rel=prev]"));
    }

    [Fact]
    public async Task CrossSitePost_IsRefused_AndStoresNothing()
    {
        var (_, url) = await app.CreateArticleAsync();
        var client = app.CreateReader();
        var page = await app.GetDocumentAsync(url, client);
        var fields = CommentsFactory.FormFields(page);
        fields["comment"] = "Forged from elsewhere";
        fields["author"] = "Forger";
        fields["email"] = "forger@example.com";
        app.Clock.Advance(TimeSpan.FromSeconds(5));

        foreach (var (header, value) in new[] { ("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.example") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
            request.Headers.Add(header, value);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // The page's script asks for JSON: the refusal comes as problem details it can show.
        using var scripted = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        scripted.Headers.Add("Origin", "https://evil.example");
        scripted.Headers.Accept.ParseAdd("application/json");
        var refused = await client.SendAsync(scripted);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        using var problem = System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains("sent from another site", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        sameOrigin.Headers.Add("Sec-Fetch-Site", "same-origin");
        sameOrigin.Headers.Add("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.SeeOther, (await client.SendAsync(sameOrigin)).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => Task.FromResult(db.Comments.Count(c => c.BodyText == "Forged from elsewhere"))));
    }

    [Fact]
    public async Task Bots_AreRefused_ByTheHoneypotAndTheSignedFormStamp()
    {
        var (article, url) = await app.CreateArticleAsync();
        var (_, otherUrl) = await app.CreateArticleAsync();
        var otherStamp = CommentsFactory.FormFields(await app.GetDocumentAsync(otherUrl))["form_stamp"];

        var honeypot = await app.PostCommentAsync(url, "Buy now", "Bot", "bot@example.com", adjust: f => f[CommentForm.HoneypotField] = "filled");
        var forged = await app.PostCommentAsync(url, "Buy now", "Bot", "bot2@example.com", adjust: f => f["form_stamp"] = "1700000000.00000000000000000000000000000000");
        var stolen = await app.PostCommentAsync(url, "Buy now", "Bot", "bot3@example.com", adjust: f => f["form_stamp"] = otherStamp);

        foreach (var response in new[] { honeypot, forged, stolen })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Contains("could not be verified", (await BroadsheetFactory.ParseAsync(stolen)).QuerySelector("#comment-problems")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => Task.FromResult(db.Comments.Count(c => c.ArticleId == article.Id))));
    }

    [Fact]
    public async Task PostingFasterThanAPersonCouldType_IsRefused()
    {
        var (_, url) = await app.CreateArticleAsync();
        var client = app.CreateReader();
        // A fresh render (not the cached page) so the stamp is "now".
        var page = await app.GetDocumentAsync($"{url}?replytocom=0", client);
        var fields = CommentsFactory.FormFields(page);
        fields["comment"] = "Instant";
        fields["author"] = "Speedy";
        fields["email"] = "speedy@example.com";

        var response = await client.PostAsync(url, new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too quickly after the page loaded", (await BroadsheetFactory.ParseAsync(response)).QuerySelector("#comment-problems")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClosedArticle_ShowsNoForm_AndRefusesPosts()
    {
        var (_, openUrl) = await app.CreateArticleAsync();
        var stamp = CommentsFactory.FormFields(await app.GetDocumentAsync(openUrl));
        var (closed, url) = await app.CreateArticleAsync(commentsOpen: false);

        var page = await app.GetDocumentAsync(url);
        Assert.Null(page.QuerySelector("#commentform"));
        Assert.Equal("Comments are closed.", page.QuerySelector(".comments-closed")!.TextContent);

        stamp["comment_post_ID"] = closed.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        stamp["comment"] = "Let me in";
        stamp["author"] = "Late";
        stamp["email"] = "late@example.com";
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        var response = await app.CreateReader().PostAsync(url, new FormUrlEncodedContent(stamp));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task OversizedOrMalformedInput_GetsAClear4xx_AndStoresNothing()
    {
        var (article, url) = await app.CreateArticleAsync();

        var tooLong = await app.PostCommentAsync(url, new string('a', 65_526), "Long", "long@example.com");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.StartsWith("Your comment is too long", (await BroadsheetFactory.ParseAsync(tooLong)).QuerySelector("#comment-error")!.TextContent, StringComparison.Ordinal);

        var control = await app.PostCommentAsync(url, "Bell \u0007 rings", "Ctrl", "ctrl@example.com");
        Assert.Equal(HttpStatusCode.BadRequest, control.StatusCode);
        var controlPage = await BroadsheetFactory.ParseAsync(control);
        Assert.Contains("not text", controlPage.QuerySelector("#comment-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Bell \u0007 rings", controlPage.QuerySelector("#comment")!.TextContent);

        var nul = await app.PostCommentAsync(url, "NUL \0 byte", "Nul", "nul@example.com");
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.Contains("could not be read", (await BroadsheetFactory.ParseAsync(nul)).QuerySelector("#comment-problems")!.TextContent, StringComparison.Ordinal);

        var fields = CommentsFactory.FormFields(await app.GetDocumentAsync(url));
        var body = Encoding.ASCII.GetBytes($"comment_post_ID={article.Id}&form_stamp={Uri.EscapeDataString(fields["form_stamp"])}&author=Bytes&email=bytes%40example.com&comment=")
            .Concat(new byte[] { 0xC3, 0x28, 0xFF }).ToArray();
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var badUtf8 = await app.CreateReader().PostAsync(url, content);
        Assert.Equal(HttpStatusCode.BadRequest, badUtf8.StatusCode);

        using var huge = new ByteArrayContent(new byte[2_000_000]);
        huge.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var hugeResponse = await app.CreateReader().PostAsync(url, huge);
        Assert.InRange((int)hugeResponse.StatusCode, 400, 499);

        Assert.Equal(0, await app.WithDbAsync(db => Task.FromResult(db.Comments.Count(c => c.ArticleId == article.Id))));
    }

    [Fact]
    public async Task ScriptedPost_AnswersWithTheNewCommentsHtml_OrProblemDetails()
    {
        var (_, url) = await app.CreateArticleAsync();

        var accepted = await app.PostCommentAsync(url, "Posted without reload", "Scripted", $"{Guid.NewGuid():N}@example.com",
            client: JsonClient());
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal("approved", accepted.Headers.GetValues("X-Comment-Status").Single());
        var fragment = await BroadsheetFactory.ParseAsync(accepted);
        Assert.Equal("Posted without reload", fragment.QuerySelector("li.comment .comment-content")!.TextContent.Trim());
        Assert.Null(fragment.QuerySelector("html > body > header"));

        var rejected = await app.PostCommentAsync(url, "", "Scripted", "nope", client: JsonClient());
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType!.MediaType);
        using var problem = System.Text.Json.JsonDocument.Parse(await rejected.Content.ReadAsStringAsync());
        Assert.Equal("Please type your comment.", problem.RootElement.GetProperty("errors").GetProperty("comment")[0].GetString());
        Assert.Equal("Please enter a valid email address.", problem.RootElement.GetProperty("errors").GetProperty("email")[0].GetString());
    }

    [Fact]
    public async Task ReaderCanReportAComment_AndTheReportIsStoredForModerators()
    {
        var (_, url) = await app.CreateArticleAsync();
        var id = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Questionable", "Flagged", $"{Guid.NewGuid():N}@example.com"));
        var reportUrl = (await app.GetDocumentAsync(url)).GetElementById($"comment-{id}")!.QuerySelector(".comment-report-link")!.GetAttribute("href")!;

        var form = await app.GetDocumentAsync(reportUrl);
        Assert.Equal(4, form.QuerySelectorAll("input[name=reason]").Length);
        var noReason = await app.CreateReader().PostAsync(reportUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["note"] = "hmm" }));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("Please choose a reason.", (await BroadsheetFactory.ParseAsync(noReason)).QuerySelector(".field-error")!.TextContent);

        var reported = await app.CreateReader().PostAsync(reportUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["reason"] = "Abusive", ["note"] = "Insults another reader" }));

        Assert.Equal(HttpStatusCode.OK, reported.StatusCode);
        Assert.Contains("A moderator will look at this comment", (await BroadsheetFactory.ParseAsync(reported)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => Task.FromResult(db.CommentReports.Single(r => r.CommentId == id)));
        Assert.Equal(ReportReason.Abusive, stored.Reason);
        Assert.Equal("Insults another reader", stored.Note);
    }

    [Fact]
    public async Task ReportPage_OfACommentOnAnUnpublishedArticle_IsNotFound_LikeTheArticle()
    {
        var (article, url) = await app.CreateArticleAsync();
        var id = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Said before the story was pulled", "Pulled", $"{Guid.NewGuid():N}@example.com"));
        var reportUrl = $"/comments/{id}/report";
        Assert.Equal(HttpStatusCode.OK, (await app.CreateReader().GetAsync(reportUrl)).StatusCode);

        await app.WithDbAsync(db => db.Articles.Where(a => a.Id == article.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, ArticleStatus.Unpublished)));

        var page = await app.CreateReader().GetAsync(reportUrl);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("Said before the story was pulled", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var report = await app.CreateReader().PostAsync(reportUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["reason"] = "Abusive" }));
        Assert.Equal(HttpStatusCode.NotFound, report.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.CommentReports.AnyAsync(r => r.CommentId == id)));
    }

    [Theory]
    [InlineData(1, "Please wait 1 second.")]
    [InlineData(10, "Please wait 10 seconds.")]
    public void TooSoon_SaysTheWaitInWords(int seconds, string expected) =>
        Assert.EndsWith(expected, new PostOutcome.TooSoon(seconds).Message, StringComparison.Ordinal);

    private HttpClient JsonClient()
    {
        var client = app.CreateReader();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return client;
    }

    private static string VisibleText(AngleSharp.Dom.IElement element)
    {
        var clone = (AngleSharp.Dom.IElement)element.Clone();
        foreach (var hidden in clone.QuerySelectorAll(".visually-hidden"))
        {
            hidden.Remove();
        }

        return string.Join(' ', clone.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
    }
}

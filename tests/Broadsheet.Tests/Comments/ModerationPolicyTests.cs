using System.Net;
using System.Security.Cryptography;
using System.Text;
using Broadsheet.Comments;
using Broadsheet.Tests.Infrastructure;

namespace Broadsheet.Tests.Comments;

/// <summary>WordPress's defaults (hold first-time commenters, hold at 2 links) plus word lists.</summary>
public sealed class PolicyFactory : CommentsFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:Comments:HoldWords:0"] = "casino",
        ["Broadsheet:Comments:DisallowedWords:0"] = "cheap pills",
        ["Broadsheet:Comments:CloseAfterDays"] = "30",
    };
}

public sealed class ModerationPolicyTests(PolicyFactory app) : IClassFixture<PolicyFactory>
{
    [Fact]
    public async Task PostComment_IsHeld_WhenAuthorIsNew_AndOnlyTheAuthorSeesIt()
    {
        var (_, url) = await app.CreateArticleAsync();
        await app.GetDocumentAsync(url); // the shared page is now cached

        var response = await app.PostCommentAsync(url, "My first comment here", "New Reader", $"{Guid.NewGuid():N}@example.com");

        var id = CommentsFactory.CommentIdFrom(response);
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches($"^{url}\\?unapproved={id}&moderation-hash=[0-9a-f]{{32}}#comment-{id}$", location);
        var stored = await app.FindCommentAsync(id);
        Assert.Equal(CommentStatus.Pending, stored.Status);
        Assert.Equal("held: first-time commenter", stored.StatusReason);

        var ownView = await app.GetDocumentAsync(location.Split('#')[0]);
        Assert.Equal("Your comment is awaiting moderation.", ownView.GetElementById($"comment-{id}")!.QuerySelector(".comment-awaiting-moderation")!.TextContent);

        var publicView = await app.GetDocumentAsync(url);
        Assert.Null(publicView.GetElementById($"comment-{id}"));
        var forged = await app.GetDocumentAsync($"{url}?unapproved={id}&moderation-hash=00000000000000000000000000000000");
        Assert.Null(forged.GetElementById($"comment-{id}"));
    }

    [Fact]
    public async Task ReturningCommenter_IsApproved_AfterAModeratorApprovedTheirFirstComment()
    {
        var (_, url) = await app.CreateArticleAsync();
        var email = $"{Guid.NewGuid():N}@example.com";
        var first = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "First ever", "Regular", email));
        await app.ApproveAsync(first);
        Assert.NotNull((await app.GetDocumentAsync(url)).GetElementById($"comment-{first}"));
        app.Clock.Advance(TimeSpan.FromSeconds(20));

        var second = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Back again", "Regular", email.ToUpperInvariant()));

        Assert.Equal(CommentStatus.Approved, (await app.FindCommentAsync(second)).Status);
        Assert.NotNull((await app.GetDocumentAsync(url)).GetElementById($"comment-{second}"));
    }

    [Theory]
    [InlineData("See https://a.example and https://b.example", CommentStatus.Pending, "held: 2 links")]
    [InlineData("Best CASINO bonus", CommentStatus.Pending, "held: contains \"casino\"")]
    [InlineData("Buy cheap pills today", CommentStatus.Spam, "spam: disallowed word \"cheap pills\"")]
    public async Task PostComment_IsHeldOrSpammed_ByTheSettings_WithTheReasonRecorded(string text, CommentStatus status, string reason)
    {
        var (_, url) = await app.CreateArticleAsync();
        var email = $"{Guid.NewGuid():N}@example.com";
        await app.ApproveAsync(CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "A known commenter", "Known", email)));
        app.Clock.Advance(TimeSpan.FromSeconds(20));

        var id = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, text, "Known", email));

        var stored = await app.FindCommentAsync(id);
        Assert.Equal(status, stored.Status);
        Assert.Equal(reason, stored.StatusReason);
        Assert.Null((await app.GetDocumentAsync(url)).GetElementById($"comment-{id}"));
    }

    [Fact]
    public async Task Comments_CloseAfterTheConfiguredNumberOfDays()
    {
        var (_, url) = await app.CreateArticleAsync(publishedAt: app.Clock.GetUtcNow().UtcDateTime.AddDays(-31));

        var page = await app.GetDocumentAsync(url);

        Assert.Null(page.QuerySelector("#commentform"));
        Assert.Equal("Comments are closed.", page.QuerySelector(".comments-closed")!.TextContent);
    }

    [Fact]
    public async Task CommentersEmails_NeverAppearInAnyPublicResponse()
    {
        var (_, url) = await app.CreateArticleAsync();
        var approvedEmail = $"Visible.{Guid.NewGuid():N}@Example.com";
        var heldEmail = $"held.{Guid.NewGuid():N}@example.com";
        var approvedId = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Approved one", "Shown", approvedEmail, "shown.example.com"));
        await app.ApproveAsync(approvedId);
        var held = await app.PostCommentAsync(url, "Held one", "Hidden", heldEmail);
        var heldLink = held.Headers.Location!.OriginalString.Split('#')[0];
        var reply = await app.PostCommentAsync($"{url}?replytocom={approvedId}", "reply", "Replier", heldEmail, adjust: f => f["email"] = "bad email");

        var client = app.CreateReader();
        var bodies = new List<string> { await reply.Content.ReadAsStringAsync() };
        var avatar = (await app.GetDocumentAsync(url)).GetElementById($"comment-{approvedId}")!.QuerySelector("img.avatar")!.GetAttribute("src")!;
        foreach (var path in new[] { url, heldLink, "/", "/latest", "/section/world", $"{url}?replytocom={approvedId}", avatar, $"/comments/{approvedId}/report" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, path);
            bodies.Add(await response.Content.ReadAsStringAsync());
            bodies.Add(response.Headers.ToString());
        }

        foreach (var email in new[] { approvedEmail, heldEmail })
        {
            foreach (var secret in Forms(email))
            {
                Assert.DoesNotContain(bodies, body => body.Contains(secret, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    /// <summary>An email and the hashes that third-party avatar services would have used for it.</summary>
    private static IEnumerable<string> Forms(string email)
    {
        var normalized = email.Trim().ToLowerInvariant();
        yield return email;
        yield return normalized;
        yield return Uri.EscapeDataString(email);
        yield return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(normalized)));
        yield return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }
}

public sealed class CommentPartsTests
{
    [Theory]
    [InlineData("192.0.2.201", "192.0.2.0")]
    [InlineData("::ffff:192.0.2.201", "192.0.2.0")]
    [InlineData("2001:db8:1234:5678:9abc::1", "2001:db8:1234::")]
    public void IpPrivacy_KeepsOnlyTheNetwork(string address, string expected) =>
        Assert.Equal(expected, IpPrivacy.Truncate(IPAddress.Parse(address)));

    [Fact]
    public void Policy_HoldsEverything_WhenHoldAllIsOn()
    {
        var decision = CommentPolicy.Decide(new CommentOptions { HoldAll = true }, new CommentCandidate("A", "a@example.com", null, "Fine", "<p>Fine</p>"), hasApprovedComment: true);

        Assert.Equal(new PolicyDecision(CommentStatus.Pending, "held: every comment is held for moderation"), decision);
    }

    [Fact]
    public void Policy_ChecksWordsInNameEmailAndWebsiteToo()
    {
        var options = new CommentOptions { DisallowedWords = ["spammy.example"] };

        var decision = CommentPolicy.Decide(options, new CommentCandidate("A", "a@example.com", "https://spammy.example/x", "Fine", "<p>Fine</p>"), hasApprovedComment: true);

        Assert.Equal(CommentStatus.Spam, decision.Status);
    }

    [Fact]
    public void Avatars_AreTheSameForOneKey_AndDifferForAnother()
    {
        var one = Avatars.Svg("00112233445566778899aabbccddeeff");

        Assert.Equal(one, Avatars.Svg("00112233445566778899aabbccddeeff"));
        Assert.NotEqual(one, Avatars.Svg("ffeeddccbbaa99887766554433221100"));
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", one, StringComparison.Ordinal);
    }
}

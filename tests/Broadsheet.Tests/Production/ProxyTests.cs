using Broadsheet.Tests.Comments;

namespace Broadsheet.Tests.Production;

public sealed class ProxiedFactory : CommentsFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:Proxies:Trusted:0"] = "10.0.0.0/8",
        ["Broadsheet:Comments:HoldFirstTimeCommenters"] = "false",
    };
}

public sealed class ProxyTests(ProxiedFactory app) : IClassFixture<ProxiedFactory>
{
    [Fact]
    public async Task ForwardedAddresses_AreBelievedOnlyFromTrustedProxies()
    {
        var (_, url) = await app.CreateArticleAsync();

        var viaProxy = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Through the load balancer", "Proxied", $"{Guid.NewGuid():N}@example.com",
            clientAddress: "10.1.2.3", adjust: null, client: WithForwardedFor("203.0.113.9")));
        var spoofed = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "Straight from the internet", "Spoofer", $"{Guid.NewGuid():N}@example.com",
            clientAddress: "198.51.100.7", client: WithForwardedFor("203.0.113.9")));

        Assert.Equal("203.0.113.0", (await app.FindCommentAsync(viaProxy)).IpPrefix);
        Assert.Equal("198.51.100.0", (await app.FindCommentAsync(spoofed)).IpPrefix);
    }

    private HttpClient WithForwardedFor(string address)
    {
        var client = app.CreateReader();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }
}

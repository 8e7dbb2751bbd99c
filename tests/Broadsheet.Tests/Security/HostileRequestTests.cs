using System.Net.Sockets;
using System.Text;
using Broadsheet.Tests.Comments;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Tests.Security;

/// <summary>The app on real Kestrel (TestServer neither normalises paths nor enforces Kestrel's limits).</summary>
public sealed class KestrelSiteFactory : CommentsFactory
{
    public KestrelSiteFactory() => UseKestrel(0);

    /// <summary>Where Kestrel listens, once started.</summary>
    public Uri Address
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }
}

/// <summary>
/// Requests an attacker crafts by hand, sent byte for byte over a socket (HttpClient would tidy them up):
/// path traversal in every file-like route never serves a file from outside the web root (the app's
/// settings, the data folder, /etc/passwd), and oversized headers, URLs and bodies get a clean 4xx. None
/// answers 500.
/// </summary>
public sealed class HostileRequestTests(KestrelSiteFactory app) : IClassFixture<KestrelSiteFactory>
{
    private const string PlantedSecret = "planted-secret-7f3c9d";

    [Fact]
    public async Task PathTraversal_NeverServesAFileOutsideTheWebRoot()
    {
        // A file of our own in the data folder, beside the database; and the relative way there from the web root.
        await File.WriteAllTextAsync(Path.Combine(app.DataDirectory, "secret.txt"), PlantedSecret);
        var webRoot = Path.Combine(FindContentRoot(), "wwwroot");
        var toData = Path.GetRelativePath(webRoot, app.DataDirectory).Replace('\\', '/');
        string[] files = ["etc/passwd", "appsettings.json", $"{toData}/secret.txt", $"{toData}/broadsheet.db"];
        string[] climbs = ["../../../../../../../../", "..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f", "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/",
            "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f", "%252e%252e%252f%252e%252e%252f%252e%252e%252f%252e%252e%252f%252e%252e%252f%252e%252e%252f",
            "..%5c..%5c..%5c..%5c..%5c..%5c..%5c..%5c", "..\\..\\..\\..\\..\\..\\..\\..\\", "%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/",
            "....//....//....//....//....//....//"];
        string[] routes = ["/", "/css/", "/js/", "/avatars/", "/comments/", "/comments/1/", "/2025/08/16/", "/section/", "/admin/"];

        var answered = new Dictionary<int, int>();
        foreach (var route in routes)
        {
            foreach (var climb in climbs)
            {
                foreach (var file in files)
                {
                    foreach (var target in new[] { route + climb + file, route + climb + file + ".svg" })
                    {
                        var (status, body) = await RawAsync($"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                        Assert.True(status is >= 200 and < 500, $"{target} answered {status}");
                        Assert.DoesNotContain("root:x:0:0", body, StringComparison.Ordinal);
                        Assert.DoesNotContain("\"AllowedHosts\"", body, StringComparison.Ordinal);
                        Assert.DoesNotContain("SQLite format 3", body, StringComparison.Ordinal);
                        Assert.DoesNotContain(PlantedSecret, body, StringComparison.Ordinal);
                        answered[status] = answered.GetValueOrDefault(status) + 1;
                    }
                }
            }
        }

        // The same requests do reach the app and its files when they stay inside the web root.
        var (logo, logoBody) = await RawAsync("GET /css/../logo.svg HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, logo);
        Assert.Contains("<svg", logoBody, StringComparison.Ordinal);
        Assert.True(answered.Keys.All(s => s is 200 or 301 or 302 or 400 or 404), $"statuses: {string.Join(", ", answered.Select(a => $"{a.Key}×{a.Value}"))}");
    }

    [Theory]
    [InlineData("Cookie", 64 * 1024)]
    [InlineData("X-Padding", 64 * 1024)]
    [InlineData("Referer", 40 * 1024)]
    public async Task AHugeHeader_Gets431(string header, int length)
    {
        var (status, _) = await RawAsync($"GET / HTTP/1.1\r\nHost: localhost\r\n{header}: {new string('a', length)}\r\nConnection: close\r\n\r\n");

        Assert.Equal(431, status);
    }

    [Fact]
    public async Task ThousandsOfHeaders_Get431()
    {
        var headers = string.Concat(Enumerable.Range(0, 2000).Select(i => $"X-H{i}: {i}\r\n"));

        var (status, _) = await RawAsync($"GET / HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n");

        Assert.Equal(431, status);
    }

    [Theory]
    [InlineData("/search?q=")]
    [InlineData("/section/")]
    [InlineData("/comments/1?x=")]
    public async Task AVeryLongUrl_Gets414(string start)
    {
        var (status, _) = await RawAsync($"GET {start}{new string('a', 20_000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        Assert.Equal(414, status);
    }

    [Fact]
    public async Task AMethodAPageHasNoHandlerFor_Gets405_WithTheMethodsItTakes()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Address };
        var (_, url) = await app.CreateArticleAsync();
        var id = CommentsFactory.CommentIdFrom(await app.PostCommentAsync(url, "A comment to report", "Method", $"{Guid.NewGuid():N}@example.com", client: client));

        foreach (var method in new[] { "PUT", "DELETE", "PATCH" })
        {
            foreach (var path in new[] { url, $"/comments/{id}/report" })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("") };
                var response = await client.SendAsync(request);

                Assert.True(response.StatusCode == System.Net.HttpStatusCode.MethodNotAllowed, $"{method} {path} answered {(int)response.StatusCode}");
                Assert.Equal(["GET", "HEAD", "POST"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
            }

            // A path that is no page at all is still not found, whatever the method (the error page keeps the method).
            using var nowhere = new HttpRequestMessage(new HttpMethod(method), $"/no-such-page-{Guid.NewGuid():N}");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.SendAsync(nowhere)).StatusCode);
        }
    }

    /// <summary>
    /// A well-formed comment form far over the size limit, on real Kestrel (PostCommentTests covers a malformed
    /// body in-process): refused as too large, whether it says its length up front or streams in chunks.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AHugeCommentForm_Gets413_AndStoresNothing(bool chunked)
    {
        var (article, url) = await app.CreateArticleAsync();
        var form = $"comment_post_ID={article.Id}&author=Big&email=big%40example.com&comment={new string('a', 3 * 1024 * 1024)}";
        var head = $"POST {url} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n";
        var request = chunked
            ? $"{head}Transfer-Encoding: chunked\r\n\r\n{form.Length:x}\r\n{form}\r\n0\r\n\r\n"
            : $"{head}Content-Length: {form.Length}\r\n\r\n{form}";

        var (status, body) = await RawAsync(request);

        Assert.Equal(413, status);
        Assert.Contains("too large", body, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Comments.CountAsync(c => c.ArticleId == article.Id)));
    }

    /// <summary>Sends <paramref name="request"/> as it is; the status and body of the answer (a connection the server closes early still yields what it sent).</summary>
    private async Task<(int Status, string Body)> RawAsync(string request)
    {
        var address = app.Address;
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        }
        catch (IOException)
        {
            // Kestrel may answer and close before reading everything (an oversized request); its answer is still there to read.
        }

        using var buffer = new MemoryStream();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await stream.CopyToAsync(buffer, timeout.Token);
        }
        catch (IOException) when (buffer.Length > 0)
        {
            // Reset after the answer: what arrived is the answer.
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        Assert.True(text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal), $"no HTTP answer to {request[..Math.Min(80, request.Length)]}: {text[..Math.Min(200, text.Length)]}");
        var status = int.Parse(text.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, bodyStart < 0 ? "" : text[(bodyStart + 4)..]);
    }

    private static string FindContentRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "src", "Broadsheet");
            if (Directory.Exists(Path.Combine(candidate, "wwwroot")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("src/Broadsheet not found above the test assembly.");
    }
}

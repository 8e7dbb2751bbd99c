using System.Net;
using System.Text.Json;
using Broadsheet.Articles.Seeding;
using Broadsheet.Tests.Infrastructure;

namespace Broadsheet.Tests.Production;

public sealed class CacheHeaderTests(BroadsheetFactory app) : IClassFixture<BroadsheetFactory>
{
    private const string SampleUrl = "/2025/08/16/" + SampleArticleSeeder.Slug;

    [Fact]
    public async Task AnonymousPages_CarryCdnHeaders_AndAnswer304ToTheirETag()
    {
        var client = app.CreateReader();

        var response = await client.GetAsync(SampleUrl);

        Assert.Equal("public, max-age=0, s-maxage=300, stale-while-revalidate=60", response.Headers.CacheControl!.ToString());
        var keys = response.Headers.GetValues("Surrogate-Key").Single().Split(' ');
        Assert.Contains("pages", keys);
        Assert.Contains(keys, k => k.StartsWith("article:", StringComparison.Ordinal));
        var etag = response.Headers.ETag!;
        Assert.True(etag.IsWeak);

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, SampleUrl);
        revalidate.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        var listing = await client.GetAsync("/latest");
        Assert.Contains("listings", listing.Headers.GetValues("Surrogate-Key").Single().Split(' '));
    }

    [Fact]
    public async Task CachedPages_AreCompressedOnlyForClientsThatAskForIt()
    {
        var client = app.CreateReader();
        using var gzip = new HttpRequestMessage(HttpMethod.Get, SampleUrl);
        gzip.Headers.AcceptEncoding.ParseAdd("gzip");

        var compressed = await client.SendAsync(gzip);
        var plain = await client.GetAsync(SampleUrl);

        Assert.Equal("gzip", compressed.Content.Headers.ContentEncoding.Single());
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Contains("<h1", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var unzipped = new System.IO.Compression.GZipStream(await compressed.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        Assert.Contains("<h1", await new StreamReader(unzipped).ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersonalPages_AreNeverStoredByACdn()
    {
        var response = await app.CreateReader().GetAsync($"{SampleUrl}?replytocom=1");

        Assert.Equal("no-store, private", response.Headers.CacheControl!.ToString());
        Assert.False(response.Headers.Contains("Surrogate-Key"));
    }

    [Fact]
    public async Task Healthz_ReportsEachDependency()
    {
        var response = await app.CreateReader().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }
}

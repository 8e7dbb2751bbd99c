using System.Net;
using System.Net.Http.Json;
using Broadsheet.Accounts;
using Broadsheet.Articles;
using Broadsheet.Tests.Accounts;
using Broadsheet.Tests.Infrastructure;

namespace Broadsheet.Tests.Articles;

public sealed class TopicSuggestionsTests(BroadsheetFactory app) : IClassFixture<BroadsheetFactory>
{
    [Fact]
    public async Task TopicSuggestions_ReturnExistingTopicsByPrefix()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var (budget, busRoutes, business) = ($"Qx{marker} Budget", $"Qx{marker} Bus Routes", $"Qx{marker} Business");
        ArticleDraft Story(params string[] tags) => new() { Headline = Unique.Words("Tagged story"), BodyMarkdown = "Body.", Tags = tags };
        // Bus Routes is on three articles, Business on two, Budget on one.
        await app.CreateArticlesAsync(Story(busRoutes, business), Story(busRoutes, business), Story(busRoutes, budget), Story($"Unrelated {marker}"));
        var editor = await app.SignedInAsync(StaffRoles.Contributor);

        var bu = await editor.GetFromJsonAsync<string[]>($"/admin/topics/suggestions?q={Uri.EscapeDataString($"qx{marker} bu")}");
        var bus = await editor.GetFromJsonAsync<string[]>($"/admin/topics/suggestions?q={Uri.EscapeDataString($"QX{marker} BUS")}");
        var none = await editor.GetFromJsonAsync<string[]>("/admin/topics/suggestions?q=%2C%20");

        Assert.Equal([busRoutes, business, budget], bu!);
        Assert.Equal([busRoutes, business], bus!); // "bus" starts both "bus-routes" and "business"
        Assert.Empty(none!);
    }

    [Fact]
    public async Task TopicSuggestions_AreLimitedToTen()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        await app.CreateArticlesAsync(new ArticleDraft
        {
            Headline = Unique.Words("Many topics"),
            BodyMarkdown = "Body.",
            Tags = [.. Enumerable.Range(1, 12).Select(i => $"Zz{marker} topic {i:00}")],
        });
        var editor = await app.SignedInAsync(StaffRoles.Author);

        var names = await editor.GetFromJsonAsync<string[]>($"/admin/topics/suggestions?q=zz{marker}");

        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"Zz{marker} topic {i:00}"), names);
    }

    [Fact]
    public async Task TopicSuggestions_AreForStaffOnly()
    {
        var response = await app.CreateReader().GetAsync("/admin/topics/suggestions?q=a");

        // JSON for a script: 401 rather than a redirect to the sign-in page.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task EditorTopicsField_PointsTheScriptAtTheSuggestions()
    {
        var editor = await app.SignedInAsync(StaffRoles.Editor);

        var page = await editor.GetDocumentAsync("/admin/articles/new");

        Assert.Equal("/admin/topics/suggestions", page.QuerySelector("input[name='Edit.Tags']")!.GetAttribute("data-topic-suggestions"));
    }
}

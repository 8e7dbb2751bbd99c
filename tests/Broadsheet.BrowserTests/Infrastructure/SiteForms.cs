using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Broadsheet.BrowserTests.Infrastructure;

/// <summary>
/// The site's forms posted over HTTP, as a browser would post them, for tests that need many of them
/// (hundreds of comments or articles) faster than by typing.
/// </summary>
public static partial class SiteForms
{
    /// <summary>The comment form of an article, read once and posted many times (the site under test has no flood limits).</summary>
    public sealed class CommentForm(HttpClient http, string articlePath, string articleId, string stamp)
    {
        public static async Task<CommentForm> ReadAsync(HttpClient http, string articlePath)
        {
            var page = await http.GetStringAsync(new Uri(articlePath, UriKind.Relative));
            return new CommentForm(http, articlePath, ArticleIdPattern().Match(page).Groups[1].Value, StampPattern().Match(page).Groups[1].Value);
        }

        /// <summary>Posts a comment; its id (whether it was published, held or sent to spam).</summary>
        public async Task<int> PostAsync(string comment, string name)
        {
            using var response = await http.PostAsync(new Uri(articlePath, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["comment"] = comment, ["author"] = name, ["email"] = $"{Guid.NewGuid():N}@example.com", ["url"] = "",
                ["comment_post_ID"] = articleId, ["comment_parent"] = "0", ["form_stamp"] = stamp,
            }));
            Assert.True((int)response.StatusCode == 303, $"posting a comment answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return int.Parse(CommentIdPattern().Match(response.Headers.Location!.OriginalString).Groups[1].Value, CultureInfo.InvariantCulture);
        }
    }

    public static HttpClient NewReader(Uri baseAddress) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    /// <summary>A reader's report of a comment; the response (200 thanked, 400 re-rendered with the note kept).</summary>
    public static async Task<HttpResponseMessage> ReportAsync(HttpClient http, int commentId, string? reason, string note)
    {
        var fields = new Dictionary<string, string> { ["note"] = note };
        if (reason is not null)
        {
            fields["reason"] = reason;
        }

        return await http.PostAsync(new Uri($"/comments/{commentId}/report", UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    /// <summary>The antiforgery token of a staff page's form (valid for every form of the signed-in account).</summary>
    public static async Task<string> AntiforgeryTokenAsync(IBrowserContext staff, string path = "/admin/articles/new")
    {
        var response = await staff.APIRequest.GetAsync(path);
        Assert.True(response.Status == 200, $"GET {path} answered {response.Status}");
        return TokenPattern().Match(await response.TextAsync()).Groups[1].Value;
    }

    /// <summary>
    /// Saves an article through the editor's form (<paramref name="id"/> null: a new one) with the given
    /// editor fields (Headline, Dek, BodyMarkdown, Authors, Tags, Section, CorrectionsNote); returns its id.
    /// </summary>
    public static async Task<int> SaveArticleAsync(IBrowserContext staff, string token, int? id, IReadOnlyDictionary<string, string> fields, string action = "publish")
    {
        var form = staff.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token);
        form.Set("action", action);
        form.Set("Edit.CommentsOpen", "true");
        if (id is { } existing)
        {
            var editor = await (await staff.APIRequest.GetAsync($"/admin/articles/{existing}")).TextAsync();
            form.Set("Edit.ConcurrencyStamp", System.Net.WebUtility.HtmlDecode(StampFieldPattern().Match(editor).Groups[1].Value));
        }

        foreach (var (name, value) in fields)
        {
            form.Set($"Edit.{name}", value);
        }

        var path = $"/admin/articles/{id?.ToString(CultureInfo.InvariantCulture) ?? "new"}";
        var response = await staff.APIRequest.PostAsync(path, new() { Form = form, MaxRedirects = 0 });
        Assert.True(response.Status == 302, $"saving {path} answered {response.Status}: {await response.TextAsync()}");
        return int.Parse(ArticleIdInLocation().Match(response.Headers["location"]).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>A moderation-desk action on one comment (approve, spam, trash, restore, dismissreports).</summary>
    public static async Task ModerateAsync(IBrowserContext staff, string token, string action, int commentId)
    {
        var form = staff.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token);
        form.Set("queue", "pending");
        form.Set("single", $"{action}:{commentId}");
        var response = await staff.APIRequest.PostAsync("/admin/comments", new() { Form = form, MaxRedirects = 0 });
        Assert.True(response.Status == 302, $"{action} of comment {commentId} answered {response.Status}");
    }

    [GeneratedRegex("name=\"form_stamp\" value=\"([^\"]+)\"")]
    private static partial Regex StampPattern();

    [GeneratedRegex("name=\"comment_post_ID\" value=\"([0-9]+)\"")]
    private static partial Regex ArticleIdPattern();

    [GeneratedRegex("#comment-([0-9]+)$")]
    private static partial Regex CommentIdPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("name=\"Edit.ConcurrencyStamp\" value=\"([^\"]*)\"")]
    private static partial Regex StampFieldPattern();

    [GeneratedRegex("/admin/articles/([0-9]+)$")]
    private static partial Regex ArticleIdInLocation();
}

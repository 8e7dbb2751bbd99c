using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Broadsheet.Tests.Comments;

/// <summary>
/// The app with a clock the tests move (so "too fast" and rate-limit windows pass without
/// sleeping) and a way to say which address a request comes from (TestServer has none).
/// </summary>
public class CommentsFactory : BroadsheetFactory
{
    public CommentsFactory()
    {
    }

    protected CommentsFactory(TestDatabase database)
        : base(database)
    {
    }

    public const string ClientAddressHeader = "X-Test-Client-Address";

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services.AddSingleton<IStartupFilter, ClientAddressFromHeader>();
        });
    }

    /// <summary>A comment not yet stored, with every required field filled: a new commenter each time, held unless <paramref name="status"/> says otherwise.</summary>
    public static Comment NewComment(int articleId, string text, CommentStatus status = CommentStatus.Pending) => new()
    {
        ArticleId = articleId,
        Status = status,
        AuthorName = "Test Reader",
        AuthorEmail = $"{Guid.NewGuid():N}@example.com",
        AvatarKey = Guid.NewGuid().ToString("N"),
        BodyText = text,
        BodyHtml = $"<p>{text}</p>",
        Fingerprint = Guid.NewGuid().ToString("N"),
    };

    /// <summary>A fresh published article to comment on; returns its URL.</summary>
    public async Task<(Article Article, string Url)> CreateArticleAsync(bool commentsOpen = true, DateTime? publishedAt = null)
    {
        var when = publishedAt ?? Clock.GetUtcNow().UtcDateTime.AddDays(-1);
        var article = (await CreateArticlesAsync(new ArticleDraft
        {
            Headline = Unique.Words("Comment target"),
            BodyMarkdown = "Body.",
            Section = "World",
            PublishedAt = when,
        }))[0];
        if (!commentsOpen)
        {
            await WithDbAsync(db => db.Articles.Where(a => a.Id == article.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.CommentsOpen, false)));
        }

        return (article, $"/{when:yyyy}/{when:MM}/{when:dd}/{article.Slug}");
    }

    /// <summary>
    /// Does what a reader does: loads the page, fills the form found in its HTML, waits a few
    /// (fake) seconds and posts it.
    /// </summary>
    public async Task<HttpResponseMessage> PostCommentAsync(
        string pageUrl, string comment, string author, string email, string? url = null,
        Action<Dictionary<string, string>>? adjust = null, string? clientAddress = null, HttpClient? client = null)
    {
        client ??= CreateReader();
        var page = await GetDocumentAsync(pageUrl, client);
        var fields = FormFields(page);
        fields["comment"] = comment;
        fields["author"] = author;
        fields["email"] = email;
        fields["url"] = url ?? "";
        adjust?.Invoke(fields);
        Clock.Advance(TimeSpan.FromSeconds(5));
        var action = page.QuerySelector<IHtmlFormElement>("#commentform")!.GetAttribute("action")!;
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) };
        if (clientAddress is not null)
        {
            request.Headers.Add(ClientAddressHeader, clientAddress);
        }

        return await client.SendAsync(request);
    }

    public static Dictionary<string, string> FormFields(IDocument page)
    {
        var form = page.QuerySelector<IHtmlFormElement>("#commentform") ?? throw new InvalidOperationException("The page has no comment form.");
        var fields = new Dictionary<string, string>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox", IsChecked: false }:
                    break;
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    fields[input.Name] = input.Value;
                    break;
                case IHtmlTextAreaElement textArea when !string.IsNullOrEmpty(textArea.Name):
                    fields[textArea.Name] = textArea.Value;
                    break;
            }
        }

        return fields;
    }

    public static int CommentIdFrom(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        return int.Parse(location[(location.LastIndexOf("#comment-", StringComparison.Ordinal) + 9)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<T> WithDbAsync<T>(Func<BroadsheetDbContext, Task<T>> use)
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>());
    }

    public Task<Comment> FindCommentAsync(int id) => WithDbAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.Id == id));

    /// <summary>What the moderation desk will do: approve, recount, evict.</summary>
    public async Task ApproveAsync(int commentId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        var comment = await db.Comments.SingleAsync(c => c.Id == commentId);
        comment.Status = CommentStatus.Approved;
        await db.SaveChangesAsync();
        await CommentCounts.RecountAsync(db, comment.ArticleId, default);
        await scope.ServiceProvider.GetRequiredService<Broadsheet.Infrastructure.Caching.ContentCache>().ArticleChangedAsync(comment.ArticleId);
    }

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(ClientAddressHeader, out var value))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(value.ToString());
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>Comments appear at once (no first-time hold), five threads per page.</summary>
public sealed class OpenCommentsFactory : CommentsFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Broadsheet:Comments:HoldFirstTimeCommenters"] = "false",
        ["Broadsheet:Comments:PageSize"] = "5",
        ["Broadsheet:Comments:MaxDepth"] = "3",
    };
}

/// <summary>A comments-ready app over a database the caller owns (several nodes of one site).</summary>
public abstract class CommentsFactoryOver(TestDatabase database) : CommentsFactory(database);

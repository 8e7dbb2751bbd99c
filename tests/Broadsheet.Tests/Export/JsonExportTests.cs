using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Broadsheet.Export;
using Broadsheet.Articles;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Tests.Accounts;
using Broadsheet.Tests.Import;
using Broadsheet.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Export;

/// <summary><c>export json</c> and <c>import json</c> as real processes, and the restored site read back through HTTP.</summary>
public sealed class JsonExportTests(ExportedSite site) : IClassFixture<ExportedSite>
{
    [Fact]
    public async Task ImportJson_RestoresTheSiteExactly_SoItsExportIsTheSameFile()
    {
        using var target = TestDatabase.Create();
        await RunOkAsync(target, "migrate");

        var imported = await BroadsheetProcess.RunAsync(target, "import", "json", site.File);

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains($"Imported {site.Articles} articles (2 revisions)", imported.Output, StringComparison.Ordinal);
        Assert.Contains("1 erasure records, 2 WordPress links", imported.Output, StringComparison.Ordinal);
        Assert.Contains("user password --email", imported.Output, StringComparison.Ordinal);
        Assert.Contains("100 %", imported.Error, StringComparison.Ordinal);
        var again = Path.Combine(site.Folder, $"again-{Guid.NewGuid():N}.json");
        await RunOkAsync(target, "export", "json", again);
        AssertSameText(await File.ReadAllTextAsync(site.File), await File.ReadAllTextAsync(again));
    }

    [Fact]
    public async Task ImportJson_ServesTheArticleThreadPermalinkAndSearch_AndStaffSignInAfterUserPassword()
    {
        using var target = TestDatabase.Create();
        await RunOkAsync(target, "migrate");
        await RunOkAsync(target, "import", "json", site.File);
        var password = await BroadsheetProcess.RunAsync(target, "user", "password", "--email", site.StaffEmail);
        Assert.True(password.ExitCode == 0, password.Error);
        var oneTime = password.Output.Trim().Split(' ')[^1];

        await using var app = new ExistingDatabaseFactory(target);
        var staff = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var signIn = await staff.SignInAsync(site.StaffEmail, oneTime);
        Assert.Equal("/admin", signIn.Headers.Location?.OriginalString);
        var page = await app.GetDocumentAsync(site.ArticleUrl);
        Assert.Equal(site.Headline, page.QuerySelector("h1")!.TextContent);
        Assert.Contains(site.DeepReplyText, page.QuerySelector($"#comment-{site.DeepReplyId}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("depth-3", page.QuerySelector($"#comment-{site.DeepReplyId}")!.ClassList.Single(c => c.StartsWith("depth-", StringComparison.Ordinal)));
        Assert.Null(page.QuerySelector($"#comment-{site.TrashedId}"));

        var reader = app.CreateReader();
        var permalink = await reader.GetAsync($"/comments/{site.DeepReplyId}");
        Assert.Equal(HttpStatusCode.Redirect, permalink.StatusCode);
        Assert.EndsWith($"{site.ArticleUrl}#comment-{site.DeepReplyId}", permalink.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var old = await reader.GetAsync(site.OldArticleUrl);
        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
        Assert.EndsWith(site.ArticleUrl, old.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var oldByline = await reader.GetAsync("/author/second-author-before-renaming");
        Assert.Equal(HttpStatusCode.MovedPermanently, oldByline.StatusCode);
        Assert.Equal("/author/second-author", oldByline.Headers.Location!.OriginalString);

        var wordPress = await reader.GetAsync($"/?p={site.WordPressPostId}");
        Assert.Equal(HttpStatusCode.MovedPermanently, wordPress.StatusCode);
        Assert.Equal(site.WordPressRedirect, wordPress.Headers.Location!.OriginalString);

        var search = await app.GetDocumentAsync($"/search?q={site.Word}");
        Assert.Equal([site.Headline], search.QuerySelectorAll(".search-results h2").Select(h => h.TextContent));

        // New rows get new ids past the imported ones (PostgreSQL's identity sequences were moved on).
        var fresh = await app.CreateArticlesAsync(new ArticleDraft { Headline = Unique.Words("After the restore"), BodyMarkdown = "Body." });
        Assert.True(fresh[0].Id > site.Articles, $"new article got id {fresh[0].Id}");
    }

    [Fact]
    public async Task ImportJson_WhileTheSiteIsServing_ReachesItsPages_AndLeavesItsContentVersionRowAlone()
    {
        using var target = TestDatabase.Create();
        await RunOkAsync(target, "migrate");
        await using var app = new ExistingDatabaseFactory(target);
        await app.GetDocumentAsync("/"); // serving, with the sample article cached on the front page
        var ownRow = await ContentVersionRowAsync(app);

        await RunOkAsync(target, "import", "json", site.File);

        // The serving node's row is its own (deleting it could fail its next stamp); the import's own row tells it.
        Assert.Equal(ownRow, await ContentVersionRowAsync(app));
        var lead = await Eventually.ReadAsync(
            async () => (await app.GetDocumentAsync("/")).QuerySelector(".lead-story h2")!.TextContent, l => l == site.Headline);
        Assert.Equal(site.Headline, lead);
    }

    private static async Task<string?> ContentVersionRowAsync(BroadsheetFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var key = scope.ServiceProvider.GetRequiredService<Broadsheet.Infrastructure.Caching.ContentVersion>().OwnKey;
        return await scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>().SiteSettings
            .Where(s => s.Key == key).Select(s => s.Value).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task ImportWxr_AddsNothing_AfterARestore_BecauseTheWordPressLinksCameBack()
    {
        using var target = TestDatabase.Create();
        await RunOkAsync(target, "migrate");
        await RunOkAsync(target, "import", "json", site.File);

        var again = await BroadsheetProcess.RunAsync(target, "import", "wxr", Path.Combine(site.Folder, "wordpress.xml"));

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains(": 0 post(s), 0 page(s), 0 comment(s).", again.Output, StringComparison.Ordinal);
        Assert.Contains("Already imported before (left as they are): 1 post(s) and page(s), 1 comment(s).", again.Output, StringComparison.Ordinal);
        Assert.Equal(site.Articles, await SiteDatabase.ReadAsync(target, db => db.Articles.CountAsync()));
    }

    [Fact]
    public async Task ImportJson_ReadsAVersion1File_WhichHasNoErasuresOrWordPressLinks()
    {
        var root = JsonNode.Parse(await File.ReadAllTextAsync(site.File))!.AsObject();
        root["version"] = 1;
        foreach (var added in new[] { "erasures", "wordPressPosts", "wordPressComments" })
        {
            root.Remove(added);
            root["counts"]!.AsObject().Remove(added);
        }

        var file = Path.Combine(site.Folder, $"v1-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, root.ToJsonString(ExportFormat.Json));
        using var target = TestDatabase.Create();
        await RunOkAsync(target, "migrate");

        var imported = await BroadsheetProcess.RunAsync(target, "import", "json", file);

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains($"Imported {site.Articles} articles", imported.Output, StringComparison.Ordinal);
        Assert.Contains("0 erasure records, 0 WordPress links", imported.Output, StringComparison.Ordinal);
        await using var app = new ExistingDatabaseFactory(target);
        Assert.Equal(site.Headline, (await app.GetDocumentAsync(site.ArticleUrl)).QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task ImportJson_RefusesAFileFromANewerVersion_SayingWhich()
    {
        var text = await File.ReadAllTextAsync(site.File);
        var file = Path.Combine(site.Folder, $"v3-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, text.Replace("\"version\": 2,", "\"version\": 3,", StringComparison.Ordinal));
        using var target = TestDatabase.Create();
        await RunOkAsync(target, "migrate");

        var result = await BroadsheetProcess.RunAsync(target, "import", "json", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: {file}, line 3: this export is format version 3; this Broadsheet reads versions 1 to 2", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportJson_IsRefused_AndStoresNothing_WhenTheSiteHasContent()
    {
        using var target = TestDatabase.Create();
        var story = Path.Combine(site.Folder, $"own-{Guid.NewGuid():N}.md");
        await File.WriteAllTextAsync(story, "---\ntitle: The Site's Own Story\n---\nBody.\n");
        await RunOkAsync(target, "import", "markdown", story);

        var result = await BroadsheetProcess.RunAsync(target, "import", "json", site.File);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("this site is not empty: it has 1 article besides the sample article", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", result.Error, StringComparison.Ordinal);
        await using var app = new ExistingDatabaseFactory(target);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        Assert.Equal(["The Site's Own Story"], await db.Articles.Where(a => a.Slug != Broadsheet.Articles.Seeding.SampleArticleSeeder.Slug).Select(a => a.Headline).ToListAsync());
        Assert.Equal(0, await db.Comments.CountAsync());
        Assert.Equal(0, await db.Users.CountAsync());
    }

    public static TheoryData<string> Damages => ["cut", "unknown-status", "syntax", "counts"];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task ImportJson_NamesTheLineOfTheProblem_AndStoresNothing_WhenTheFileIsDamaged(string damage)
    {
        var text = await File.ReadAllTextAsync(site.File);
        var (damaged, line, problem) = damage switch
        {
            "cut" => (text[..(text.Length * 3 / 5)], (int?)null, "the file ends in the middle of the export"),
            "unknown-status" => Replace(text, "\"status\": \"spam\"", "\"status\": \"binned\"", "$.status of the record: The JSON value could not be converted"),
            "syntax" => Replace(text, "\"depth\": 2,", "\"depth\": 2,,", "invalid start of a property name"),
            _ => (text.Replace($"\"articles\": {site.Articles},", $"\"articles\": {site.Articles + 1},", StringComparison.Ordinal), (int?)null,
                $"the file's \"counts\" say {site.Articles + 1} articles"),
        };
        var file = Path.Combine(site.Folder, $"{damage}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, damaged);
        using var target = TestDatabase.Create();
        await RunOkAsync(target, "migrate");
        var keyBefore = await HashKeyAsync(target);

        var result = await BroadsheetProcess.RunAsync(target, "import", "json", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: {file}, line {(line is { } l ? l.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}", result.Error, StringComparison.Ordinal);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported.", result.Error, StringComparison.Ordinal);
        await using var app = new ExistingDatabaseFactory(target);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        Assert.Equal([Broadsheet.Articles.Seeding.SampleArticleSeeder.Slug], await db.Articles.Select(a => a.Slug).ToListAsync());
        Assert.Equal(0, await db.Comments.CountAsync());
        Assert.Equal(0, await db.Users.CountAsync());
        Assert.Equal(keyBefore, await HashKeyAsync(target));
    }

    [Fact]
    public void ExportJson_HoldsEmailsAndEveryStatus_ButNoPasswordHashes()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(site.File));
        var root = document.RootElement;
        Assert.Equal("broadsheet-export", root.GetProperty("format").GetString());
        Assert.Equal(2, root.GetProperty("version").GetInt32());

        var users = root.GetProperty("users").EnumerateArray().ToDictionary(u => u.GetProperty("email").GetString()!);
        Assert.Equal(new[] { site.StaffEmail, ExportedSite.DisabledEmail }.Order(StringComparer.Ordinal), users.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Editor"], users[site.StaffEmail].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(users[site.StaffEmail].GetProperty("disabled").GetBoolean());
        Assert.True(users[ExportedSite.DisabledEmail].GetProperty("disabled").GetBoolean());
        var raw = File.ReadAllText(site.File);
        Assert.DoesNotContain("passwordHash", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("securityStamp", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("content-version", raw, StringComparison.Ordinal);

        var articles = root.GetProperty("articles").EnumerateArray().ToList();
        Assert.Equal(
            ["draft", "pending-review", "published", "scheduled", "unpublished"],
            articles.Select(a => a.GetProperty("status").GetString()).Distinct().Order(StringComparer.Ordinal));
        var revised = articles.Single(a => a.GetProperty("headline").GetString() == site.Headline);
        Assert.Equal(2, revised.GetProperty("revisions").GetArrayLength());
        Assert.Single(revised.GetProperty("oldSlugs").EnumerateArray());
        Assert.Equal("/media/cafe.jpg", revised.GetProperty("featuredImagePath").GetString());

        var comments = root.GetProperty("comments").EnumerateArray().ToList();
        Assert.Equal(["approved", "pending", "spam", "trash"], comments.Select(c => c.GetProperty("status").GetString()).Distinct().Order(StringComparer.Ordinal));
        var deep = comments.Single(c => c.GetProperty("id").GetInt32() == site.DeepReplyId);
        Assert.Equal("three@example.com", deep.GetProperty("authorEmail").GetString());
        Assert.Equal("198.51.100.0", deep.GetProperty("ipPrefix").GetString());
        Assert.Equal(2, deep.GetProperty("depth").GetInt32());
        Assert.Equal(2, comments.Sum(c => c.GetProperty("reports").GetArrayLength()));
        Assert.Contains(root.GetProperty("settings").EnumerateArray(), s => s.GetProperty("key").GetString() == "test:setting");
        Assert.Contains(root.GetProperty("auditLog").EnumerateArray(), e => e.GetProperty("action").GetString() == "comment.trash");

        var erasure = Assert.Single(root.GetProperty("erasures").EnumerateArray());
        Assert.Equal("staff: Desk", erasure.GetProperty("requestedBy").GetString());
        Assert.Equal(1, erasure.GetProperty("commentsDeleted").GetInt32());
        Assert.DoesNotContain("six@example.com", raw, StringComparison.Ordinal);
        var post = Assert.Single(root.GetProperty("wordPressPosts").EnumerateArray());
        Assert.Equal(("https://old-gazette.example.org", site.WordPressPostId, "post"),
            (post.GetProperty("site").GetString(), post.GetProperty("wordPressId").GetInt32(), post.GetProperty("postType").GetString()));
        Assert.Equal(77, Assert.Single(root.GetProperty("wordPressComments").EnumerateArray()).GetProperty("wordPressId").GetInt32());
    }

    /// <summary>
    /// Where each table of the model goes in the file: a top-level array, or an array nested in its
    /// records ("articles.revisions"). A new table must be added here or to <see cref="NotExported"/>.
    /// </summary>
    private static readonly Dictionary<string, string> Exported = new(StringComparer.Ordinal)
    {
        ["Broadsheet.Infrastructure.Data.SiteSetting"] = "settings",
        ["Broadsheet.Accounts.StaffUser"] = "users",
        ["Microsoft.AspNetCore.Identity.IdentityUserRole<string>"] = "users.roles",
        ["Broadsheet.Articles.Author"] = "authors",
        ["Broadsheet.Articles.AuthorSlugHistory"] = "authors.oldSlugs",
        ["Broadsheet.Articles.Section"] = "sections",
        ["Broadsheet.Articles.Tag"] = "tags",
        ["Broadsheet.Articles.Article"] = "articles",
        ["Broadsheet.Articles.Byline"] = "articles.bylines",
        ["ArticleTags"] = "articles.tagIds",
        ["Broadsheet.Articles.ArticleSlugHistory"] = "articles.oldSlugs",
        ["Broadsheet.Articles.ArticleRevision"] = "articles.revisions",
        ["Broadsheet.Comments.Comment"] = "comments",
        ["Broadsheet.Comments.CommentReport"] = "comments.reports",
        ["Broadsheet.Admin.AuditEntry"] = "auditLog",
        ["Broadsheet.Privacy.CommenterErasure"] = "erasures",
        ["Broadsheet.Import.Wxr.WordPressPostLink"] = "wordPressPosts",
        ["Broadsheet.Import.Wxr.WordPressCommentLink"] = "wordPressComments",
    };

    /// <summary>Tables deliberately left out of the export, each with its reason (docs/export-format.md, "Left out").</summary>
    private static readonly HashSet<string> NotExported = new(StringComparer.Ordinal)
    {
        // The four roles are created by `migrate`/`import json` itself; users carry their roles by name.
        "Microsoft.AspNetCore.Identity.IdentityRole",
        // Two-factor authenticator keys and recovery codes: secrets that must not travel in a backup file.
        "Microsoft.AspNetCore.Identity.IdentityUserToken<string>",
        // External sign-in providers and claims: no feature writes them (Identity's schema brings the tables).
        "Microsoft.AspNetCore.Identity.IdentityUserLogin<string>",
        "Microsoft.AspNetCore.Identity.IdentityUserClaim<string>",
        "Microsoft.AspNetCore.Identity.IdentityRoleClaim<string>",
        // Emailed data-rights links: hashes of single-use tokens that expire within a day; a restored
        // site starts without pending links (the commenter asks again) and keeps no hash longer than needed.
        "Broadsheet.Privacy.DataRightsRequest",
    };

    [Fact]
    public async Task ExportJson_StaffReply_NamesTheStaffAccount_NotTheirEmail()
    {
        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(site.File));
        var staffId = document.RootElement.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("email").GetString() == site.StaffEmail).GetProperty("id").GetString();
        var comments = document.RootElement.GetProperty("comments");

        var reply = comments.EnumerateArray().Single(c => c.GetProperty("id").GetInt32() == site.StaffReplyId);

        Assert.Equal(staffId, reply.GetProperty("staffUserId").GetString());
        Assert.Equal("", reply.GetProperty("authorEmail").GetString());
        Assert.DoesNotContain(site.StaffEmail, comments.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ExportJson_CoversEveryTableOfTheModel_OrSaysWhyNot()
    {
        await using var app = new ExistingDatabaseFactory(site.Database);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        var tables = db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null).ToList();

        var unaccounted = tables.Select(e => e.Name).Where(n => !Exported.ContainsKey(n) && !NotExported.Contains(n)).Order(StringComparer.Ordinal).ToList();
        Assert.True(unaccounted.Count == 0,
            $"Tables neither exported by `export json` nor listed as left out (see {nameof(JsonExportTests)}.{nameof(Exported)}): {string.Join(", ", unaccounted)}");
        Assert.Empty(Exported.Keys.Intersect(NotExported));
        Assert.Empty(Exported.Keys.Concat(NotExported).Except(tables.Select(e => e.Name)));

        // Every exported table is in the round-trip data, all of its rows in the file (the byte-for-byte
        // round trip above then shows they come back).
        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(site.File));
        foreach (var table in tables.Where(e => Exported.ContainsKey(e.Name)))
        {
            var where = table.Name == typeof(SiteSetting).FullName ? $" WHERE \"Key\" NOT LIKE '{ExportFormat.TransientSettingsPrefix}%'" : "";
            // Table names come from the model, not from input.
            var count = $"SELECT COUNT(*) AS \"Value\" FROM \"{table.GetTableName()}\"{where}";
            var rows = await db.Database.SqlQueryRaw<long>(count).SingleAsync();
            var path = Exported[table.Name].Split('.');
            var inFile = document.RootElement.GetProperty(path[0]).EnumerateArray()
                .Sum(record => path.Length == 1 ? 1 : record.GetProperty(path[1]).GetArrayLength());
            Assert.True(rows > 0, $"the round-trip site has no {table.Name} rows: add some to {nameof(ExportedSite)}");
            Assert.True(rows == inFile, $"{table.Name}: {rows} rows in the database, {inFile} in the file at {Exported[table.Name]}");
        }
    }

    private static (string Text, int? Line, string Problem) Replace(string text, string what, string with, string problem)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        Assert.True(at > 0, $"the export has no {what}");
        var line = text.AsSpan(0, at).Count('\n') + 1;
        return (string.Concat(text.AsSpan(0, at), with, text.AsSpan(at + what.Length)), line, problem);
    }

    private static async Task RunOkAsync(TestDatabase database, params string[] args)
    {
        var result = await BroadsheetProcess.RunAsync(database, args);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result.Error}");
    }

    private static async Task<string?> HashKeyAsync(TestDatabase database)
    {
        await using var app = new ExistingDatabaseFactory(database);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        return await db.SiteSettings.Where(s => s.Key == "secret:hash-key").Select(s => s.Value).SingleOrDefaultAsync();
    }

    /// <summary>Equal texts; otherwise the first line that differs, rather than two megabytes of diff.</summary>
    private static void AssertSameText(string expected, string actual)
    {
        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            return;
        }

        var (left, right) = (expected.Split('\n'), actual.Split('\n'));
        var line = Enumerable.Range(0, Math.Min(left.Length, right.Length)).FirstOrDefault(i => left[i] != right[i], Math.Min(left.Length, right.Length));
        var message = new StringBuilder($"The exports differ first at line {line + 1}:\n");
        message.AppendLine($"  first:  {(line < left.Length ? left[line] : "(end)")}");
        message.AppendLine($"  second: {(line < right.Length ? right[line] : "(end)")}");
        Assert.Fail(message.ToString());
    }
}

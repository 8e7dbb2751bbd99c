using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Articles;
using Broadsheet.Cli;
using Broadsheet.Comments;
using Broadsheet.Feeds;
using Broadsheet.Import;
using Broadsheet.Import.Wxr;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Email;
using Broadsheet.Infrastructure.Health;
using Broadsheet.Infrastructure.Redis;
using Broadsheet.Infrastructure.Web;
using Broadsheet.Live;
using Broadsheet.Media;
using Broadsheet.Moderation;
using Broadsheet.Privacy;
using Broadsheet.Search;
using Broadsheet.Seo;
using Broadsheet.Site;

// `serve` by default; `migrate`, `import`, … run on the same configured app. A wrong setting found
// while building it stops the app with a sentence, like any other start-up problem.
return await BroadsheetCli.RunAsync(args, () => BuildApp(args));

static WebApplication BuildApp(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);

    builder.Services.AddSite(builder.Configuration);
    builder.Services.AddSavedSettings(); // /admin/settings: saved values override configuration, on every node
    builder.Services.AddBroadsheetData(builder.Configuration);
    builder.Services.AddPageCache(builder.Configuration);
    builder.Services.AddSharedState(builder.Configuration); // Redis for many nodes, in-process for one
    builder.Services.AddHealth(builder.Configuration);
    builder.Services.AddMail(builder.Configuration);
    builder.Services.AddWebPages();
    builder.Services.AddAccounts();
    builder.Services.AddArticles();
    builder.Services.AddMedia(builder.Configuration); // uploaded images under data/media
    builder.Services.AddComments(builder.Configuration);
    builder.Services.AddLive(builder.Configuration); // new comments reach open pages (Server-Sent Events)
    builder.Services.AddModeration();
    builder.Services.AddPrivacy(builder.Configuration);
    builder.Services.AddFeeds(builder.Configuration);
    builder.Services.AddSearch(builder.Configuration);
    builder.Services.AddImport();

    var app = builder.Build();

    app.UseSitePages();      // error pages, security headers, cross-site post refusal
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseWordPressRedirects(); // old links of imported WordPress posts (?p=ID, /slug/); before the page cache
    app.UsePageCache();      // after routing and authentication: signed-in staff always get fresh pages
    app.UseResponseCompression(); // inside the cache: a page is compressed once per encoding, then served from cache
    app.MapStaticAssets();
    app.MapRazorPages().WithStaticAssets();
    app.MapArticles();
    app.MapComments();
    app.MapMedia();
    app.MapLive();
    app.MapFeeds();
    app.MapSitemaps();
    app.MapHealth();
    return app;
}

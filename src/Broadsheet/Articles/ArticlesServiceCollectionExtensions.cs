using Broadsheet.Articles.Editing;
using Broadsheet.Articles.Seeding;
using Broadsheet.Infrastructure.Text;

namespace Broadsheet.Articles;

public static class ArticlesServiceCollectionExtensions
{
    public static IServiceCollection AddArticles(this IServiceCollection services)
    {
        services.AddSingleton<ArticleHtmlRenderer>();
        services.AddSingleton<ArticleLinks>();
        services.AddScoped<ArticleQueries>();
        services.AddSingleton<RelatedArticleChoices>();
        services.AddScoped<ArticleWriter>();
        services.AddScoped<SampleArticleSeeder>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<ArticleEditor>();
        services.AddSingleton<ScheduledPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledPublisher>());
        return services;
    }

    /// <summary>The article editor's JSON helpers (its pages are Razor Pages).</summary>
    public static IEndpointRouteBuilder MapArticles(this IEndpointRouteBuilder endpoints) => endpoints.MapTopicSuggestions();
}

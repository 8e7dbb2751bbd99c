using Broadsheet.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Broadsheet.Search;

public static class SearchServiceCollectionExtensions
{
    public static IServiceCollection AddSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SearchOptions>()
            .Bind(configuration.GetSection(SearchOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services.AddScoped<ArticleSearch>(sp =>
        {
            var db = sp.GetRequiredService<BroadsheetDbContext>();
            var rankedMatches = sp.GetRequiredService<IOptions<SearchOptions>>().Value.RankedMatches;
            return sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
                ? new PostgresArticleSearch(db, rankedMatches)
                : new SqliteArticleSearch(db, rankedMatches);
        });
    }
}

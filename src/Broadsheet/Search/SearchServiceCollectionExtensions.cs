using Broadsheet.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Broadsheet.Search;

public static class SearchServiceCollectionExtensions
{
    public static IServiceCollection AddSearch(this IServiceCollection services) =>
        services.AddScoped<ArticleSearch>(sp =>
        {
            var db = sp.GetRequiredService<BroadsheetDbContext>();
            return sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
                ? new PostgresArticleSearch(db)
                : new SqliteArticleSearch(db);
        });
}

using Broadsheet.Import.Wxr;

namespace Broadsheet.Import;

public static class ImportServiceCollectionExtensions
{
    public static IServiceCollection AddImport(this IServiceCollection services)
    {
        FeaturedImageFetcher.AddHttpClient(services);
        return services
            .AddScoped<ArticleImporter>()
            .AddScoped<FeaturedImageFetcher>()
            .AddScoped<WxrImporter>()
            .AddScoped<WxrExporter>();
    }
}

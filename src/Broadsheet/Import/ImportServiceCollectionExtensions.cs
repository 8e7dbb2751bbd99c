using Broadsheet.Import.Wxr;

namespace Broadsheet.Import;

public static class ImportServiceCollectionExtensions
{
    public static IServiceCollection AddImport(this IServiceCollection services) =>
        services
            .AddScoped<ArticleImporter>()
            .AddScoped<WxrImporter>()
            .AddScoped<WxrExporter>();
}

namespace Broadsheet.Import;

public static class ImportServiceCollectionExtensions
{
    public static IServiceCollection AddImport(this IServiceCollection services) =>
        services.AddScoped<ArticleImporter>();
}

using Broadsheet.Infrastructure.Security;

namespace Broadsheet.Comments;

public static class CommentsServiceCollectionExtensions
{
    public static IServiceCollection AddComments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CommentOptions>()
            .Bind(configuration.GetSection(CommentOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SiteKeys>();
        services.AddSingleton<CommentText>();
        services.AddSingleton<FormStamp>();
        services.AddScoped<CommentQueries>();
        services.AddScoped<CommentPoster>();
        services.AddSingleton<CommentWriter>();
        services.AddHostedService(services => services.GetRequiredService<CommentWriter>());
        return services;
    }

    public static IEndpointRouteBuilder MapComments(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapAvatars();
        endpoints.MapCommentPermalinks();
        return endpoints;
    }
}

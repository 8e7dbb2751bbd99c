using Broadsheet.Admin;

namespace Broadsheet.Moderation;

public static class ModerationServiceCollectionExtensions
{
    public static IServiceCollection AddModeration(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<AuditLog>();
        services.AddScoped<ModerationQueries>();
        services.AddScoped<CommentModerator>();
        return services;
    }
}

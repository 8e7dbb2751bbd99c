namespace Broadsheet.Privacy;

public static class PrivacyServiceCollectionExtensions
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PrivacyOptions>()
            .Bind(configuration.GetSection(PrivacyOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<DataRightsLinks>();
        services.AddScoped<CommenterData>();
        return services;
    }
}

using Microsoft.Net.Http.Headers;

namespace Broadsheet.Media;

public static class MediaEndpoints
{
    public static IServiceCollection AddMedia(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MediaOptions>()
            .Bind(configuration.GetSection(MediaOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<MediaStore>();
        return services;
    }

    /// <summary>
    /// <c>/media/{sha256}.{ext}</c>: only names the store itself makes match the route, so no other
    /// file under (or above) the data folder can be asked for.
    /// </summary>
    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/media/{name:regex(^[0-9a-f]{{64}}\\.(jpg|png|webp|gif)$)}", (string name, MediaStore store, HttpContext context) =>
        {
            if (store.FileFor(name) is not { } file || ImageFormat.ByExtension(Path.GetExtension(name)[1..]) is not { } format)
            {
                return Results.NotFound();
            }

            // The name is the content's hash: this URL never shows anything else, so caches may keep it for a year.
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.File(file, format.ContentType, lastModified: File.GetLastWriteTimeUtc(file),
                entityTag: new EntityTagHeaderValue($"\"{Path.GetFileNameWithoutExtension(name)}\""), enableRangeProcessing: true);
        });
        return endpoints;
    }
}

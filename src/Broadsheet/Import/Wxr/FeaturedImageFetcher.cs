using System.Globalization;
using Broadsheet.Media;

namespace Broadsheet.Import.Wxr;

/// <summary>
/// Copies the featured images a WordPress export points at into the media store
/// (<c>import wxr --fetch-images</c>). The pages' Content-Security-Policy admits images from this
/// site only, so an image left at the old blog's address is never shown. Each download is checked
/// as an upload is (size limit, type judged by content, stored by hash) and has a deadline; one that
/// fails is reported and its article keeps the old address. An address used by several posts is
/// fetched once per import.
/// </summary>
public sealed class FeaturedImageFetcher(IHttpClientFactory clients, MediaStore media)
{
    public const string HttpClientName = "wxr-featured-images";

    private readonly Dictionary<string, ImageUploadOutcome> _fetched = new(StringComparer.Ordinal);

    public static void AddHttpClient(IServiceCollection services) =>
        services.AddHttpClient(HttpClientName, client =>
            {
                // Each download has its own deadline (FetchAsync); the client's would cut a slow but allowed one short.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Broadsheet-WordPress-import/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxAutomaticRedirections = 5 });

    /// <summary>The image at <paramref name="url"/> stored here, or why it was not.</summary>
    public async Task<ImageUploadOutcome> FetchAsync(string url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!_fetched.TryGetValue(url, out var outcome))
        {
            outcome = await DownloadAsync(url, timeout, cancellationToken);
            _fetched[url] = outcome;
        }

        return outcome;
    }

    private async Task<ImageUploadOutcome> DownloadAsync(string url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            return NotDownloaded("it is not an http or https address.");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).GetAsync(address, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return NotDownloaded(string.Create(CultureInfo.InvariantCulture, $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}."));
            }

            // Refused before reading when the server says so; the store still counts the bytes of an answer without a length.
            if (response.Content.Headers.ContentLength is { } length && length > media.MaxImageBytes)
            {
                return new ImageUploadOutcome.Refused(string.Create(CultureInfo.InvariantCulture,
                    $"it is {length:N0} bytes, over the limit of {media.LimitText} (Broadsheet:Media:MaxImageBytes)."), ImageRefusal.TooLarge);
            }

            if (response.Content.Headers.ContentType?.MediaType is { } type && !type.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            {
                return new ImageUploadOutcome.Refused($"the server sent {type}, not an image.", ImageRefusal.NotAnImage);
            }

            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            return await media.SaveImageAsync(body, deadline.Token) switch
            {
                ImageUploadOutcome.Refused refused => refused with { Problem = ForImport(refused.Reason) },
                var stored => stored,
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return NotDownloaded(string.Create(CultureInfo.InvariantCulture, $"no complete answer within {timeout.TotalSeconds:0.#} s (--image-timeout)."));
        }
        catch (HttpRequestException e)
        {
            return NotDownloaded($"it could not be downloaded: {e.Message}");
        }
    }

    private static ImageUploadOutcome.Refused NotDownloaded(string problem) => new(problem, ImageRefusal.NotDownloaded);

    /// <summary>The store speaks to an editor choosing a file; an import's log needs the fact, not the advice.</summary>
    private string ForImport(ImageRefusal reason) => reason switch
    {
        ImageRefusal.TooLarge => $"it is over the limit of {media.LimitText} (Broadsheet:Media:MaxImageBytes).",
        ImageRefusal.Empty => "the server sent an empty answer.",
        _ => "it is not a JPEG, PNG, WebP or GIF image (judged by its content).",
    };
}

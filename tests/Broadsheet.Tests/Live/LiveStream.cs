using System.Text.Json;

namespace Broadsheet.Tests.Live;

/// <summary>An open Server-Sent Events stream, read event by event as a browser's EventSource would.</summary>
public sealed class LiveStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private LiveStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public static async Task<LiveStream> OpenAsync(HttpClient client, int articleId, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/live/articles/{articleId}/comments");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var stream = new LiveStream(response, await response.Content.ReadAsStreamAsync());
        Assert.Equal("hello", (await stream.NextAsync()).Event); // the stream is open and subscribed
        return stream;
    }

    /// <summary>The next event (keep-alives included), or a failure after 30 s.</summary>
    public async Task<(string Event, string? Id, string Data)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string name = "message", data = "";
        string? id = null;
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0 || name != "message")
                {
                    return (name, id, data);
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "event": name = value; break;
                case "data": data = data.Length == 0 ? value : data + "\n" + value; break;
                case "id": id = value; break;
            }
        }

        throw new InvalidOperationException("The stream ended.");
    }

    /// <summary>The next comment event's id and fragment URL, skipping keep-alives.</summary>
    public async Task<(int Id, int? ParentId, string Fragment)> NextCommentAsync()
    {
        while (true)
        {
            var (name, _, data) = await NextAsync();
            if (name != "comment")
            {
                continue;
            }

            using var json = JsonDocument.Parse(data);
            var root = json.RootElement;
            return (root.GetProperty("id").GetInt32(),
                root.GetProperty("parentId").ValueKind == JsonValueKind.Null ? null : root.GetProperty("parentId").GetInt32(),
                root.GetProperty("fragment").GetString()!);
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}

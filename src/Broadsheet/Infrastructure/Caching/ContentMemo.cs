using Microsoft.Extensions.Caching.Memory;

namespace Broadsheet.Infrastructure.Caching;

/// <summary>
/// Read-side data that changes only when the published content does (articles, bylines, sections,
/// topics, settings), kept on this node from one content change to the next. On a busy story the
/// article page and the listings are re-rendered after every new comment evicts them; with the
/// article, its related list, the navigation and the listings' first pages remembered here, those
/// renders read only the comments and the comment counts.
/// <para>
/// Every content change starts a new generation: <see cref="ContentCache"/> on this node once the
/// change is committed, <see cref="ContentVersionWatcher"/> when another process changed something.
/// An entry is served only in the generation it was read in, and the generation is taken before the
/// read, so a read that raced a change is never served after it. Comment changes do not start a
/// generation: nothing kept here depends on comments but the comment counts, which callers read
/// fresh (the article's, the listings'), except the related articles' counts, which may lag by up to
/// <see cref="Lifetime"/>, like the ranking in <see cref="Articles.RelatedArticleChoices"/>.
/// </para>
/// </summary>
public sealed class ContentMemo : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    // Entries are sized in kilobytes of text; bounded so that a crawler walking the whole archive
    // costs this node at most this much memory.
    private const long MaxKilobytes = 16 * 1024;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = MaxKilobytes });
    private long _generation;

    /// <summary>Forgets everything read so far (call after the change is committed).</summary>
    public void ContentChanged() => Interlocked.Increment(ref _generation);

    /// <summary>
    /// The value remembered under <paramref name="key"/> in this generation, or <paramref name="read"/>'s,
    /// remembered unless it is null. <paramref name="kilobytes"/> estimates the value's size.
    /// <paramref name="refresh"/>, when given, brings a remembered value up to date with what changes
    /// without a new generation (comment counts); a value just read is current already.
    /// </summary>
    public async Task<T?> GetOrReadAsync<T>(object key, Func<Task<T?>> read, Func<T, int> kilobytes, Func<T, Task<T>>? refresh = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(kilobytes);
        var generation = Interlocked.Read(ref _generation);
        if (_entries.TryGetValue(key, out Entry<T>? remembered) && remembered!.Generation == generation)
        {
            return refresh is null ? remembered.Value : await refresh(remembered.Value);
        }

        var value = await read();
        if (value is not null)
        {
            _entries.Set(key, new Entry<T>(generation, value), new MemoryCacheEntryOptions
            {
                Size = Math.Max(1, kilobytes(value)),
                AbsoluteExpirationRelativeToNow = Lifetime,
            });
        }

        return value;
    }

    public void Dispose() => _entries.Dispose();

    private sealed record Entry<T>(long Generation, T Value);
}

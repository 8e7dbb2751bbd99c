using Microsoft.Extensions.Caching.Memory;

namespace Broadsheet.Articles;

/// <summary>
/// Which articles each article's "Related" list shows, remembered on this node for a while. Ranking
/// reads every article that shares a topic, too much for each page view; the listed articles
/// themselves are read again after every content change (<see cref="Infrastructure.Caching.ContentMemo"/>),
/// so an edit or an unpublish shows at once and only a newly published related story waits up to
/// <see cref="Lifetime"/> to appear.
/// </summary>
public sealed class RelatedArticleChoices : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    // Bounded so that a crawler walking a million articles cannot grow the process without end.
    private const int MaxArticlesRemembered = 50_000;

    private readonly MemoryCache _choices = new(new MemoryCacheOptions { SizeLimit = MaxArticlesRemembered });

    public async Task<IReadOnlyList<int>> GetOrRankAsync(int articleId, int count, Func<Task<List<int>>> rank)
    {
        ArgumentNullException.ThrowIfNull(rank);
        var key = (articleId, count);
        if (_choices.TryGetValue(key, out IReadOnlyList<int>? remembered) && remembered is not null)
        {
            return remembered;
        }

        IReadOnlyList<int> ranked = await rank();
        _choices.Set(key, ranked, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        return ranked;
    }

    public void Dispose() => _choices.Dispose();
}

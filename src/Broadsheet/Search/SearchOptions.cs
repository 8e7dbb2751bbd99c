using System.ComponentModel.DataAnnotations;

namespace Broadsheet.Search;

public sealed class SearchOptions
{
    public const string SectionName = "Broadsheet:Search";

    /// <summary>
    /// How many matching articles a search ranks by relevance: the most recently added ones. A common
    /// word matches most of an archive, and ranking every match would make a search slower with
    /// every story the site publishes; a reader looking further back narrows the dates, which moves
    /// the window. The default is as many results as a reader can page through.
    /// </summary>
    [Range(1, 1_000_000)]
    public int RankedMatches { get; set; } = ArticleSearch.MaxPage * ArticleSearch.PageSize;
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Search;

/// <summary>What a reader asked for: words and "quoted phrases", optionally narrowed to a section and dates.</summary>
public sealed record SearchRequest(string Query, int? SectionId = null, DateTime? FromUtc = null, DateTime? ToUtc = null, int Page = 1);

/// <summary>A result: the article and a snippet whose only markup is <c>&lt;mark&gt;</c> around matched words.</summary>
public sealed record SearchHit(int Id, string Slug, string Headline, string? Dek, DateTime PublishedAt, string SnippetHtml);

/// <param name="RankedAll">False when as many articles matched as a search ranks (<see cref="SearchOptions.RankedMatches"/>):
/// the hits are the best of the most recent matches, older ones may match too, and narrowing the dates reaches them.</param>
public sealed record SearchResults(IReadOnlyList<SearchHit> Hits, bool HasMore, bool RankedAll = true);

/// <summary>
/// Full-text search over published articles, ranked by relevance with recency breaking ties.
/// SQLite uses FTS5, PostgreSQL a weighted tsvector with a GIN index; both are kept in step
/// with every write by the database itself (triggers, a generated column). Reader input never
/// reaches the query language unescaped. Only the <c>rankedMatches</c> most recently added matches
/// are ranked (<see cref="SearchOptions.RankedMatches"/>), so that a search costs the same on a
/// site of a million stories as on one of ten thousand.
/// </summary>
public abstract partial class ArticleSearch(BroadsheetDbContext db, int rankedMatches)
{
    public const int PageSize = 20;
    public const int MaxPage = 50;
    public const int MaxQueryLength = 200;

    // Markers that cannot occur in stored text (control characters are refused at input), placed
    // around matches by the database, then turned into <mark> after the snippet is HTML-encoded.
    protected const string MarkStart = "\u0002";
    protected const string MarkEnd = "\u0003";

    protected BroadsheetDbContext Db => db;

    protected int RankedMatches => rankedMatches;

    public async Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var terms = Terms(request.Query);
        if (terms.Count == 0)
        {
            return new SearchResults([], false);
        }

        var page = Math.Clamp(request.Page, 1, MaxPage);
        var skip = (page - 1) * PageSize;
        var rows = await QueryAsync(terms, request, PageSize, skip, cancellationToken);
        var hits = rows
            .Select(r => new SearchHit(r.Id, r.Slug, r.Headline, r.Dek, DateTime.SpecifyKind(r.PublishedAt, DateTimeKind.Utc), Highlight(r.Snippet)))
            .ToList();
        // Every row says how many matches were ranked, so whether a next page exists needs no extra
        // row (whose snippet, the costly part of a search, would be made for nothing).
        var hasMore = rows.Count > 0 && skip + rows.Count < rows[0].Ranked;
        return new SearchResults(hits, hasMore, rows.Count == 0 || rows[0].Ranked < RankedMatches);
    }

    protected abstract Task<List<SearchRow>> QueryAsync(
        IReadOnlyList<SearchTerm> terms, SearchRequest request, int take, int skip, CancellationToken cancellationToken);

    /// <summary>Words and quoted phrases, in the order given; anything else (operators, brackets, stray quotes) is dropped.</summary>
    public static IReadOnlyList<SearchTerm> Terms(string? query)
    {
        var text = (query ?? "").Length > MaxQueryLength ? query![..MaxQueryLength] : query ?? "";
        var terms = new List<SearchTerm>();
        foreach (Match match in TermPattern().Matches(text))
        {
            var phrase = match.Groups["phrase"].Success;
            var words = WordPattern().Matches(phrase ? match.Groups["phrase"].Value : match.Value).Select(w => w.Value).ToList();
            if (words.Count > 0)
            {
                terms.Add(new SearchTerm(string.Join(' ', words), phrase && words.Count > 1));
            }

            if (terms.Count == 12)
            {
                break;
            }
        }

        return terms;
    }

    private static string Highlight(string snippet) =>
        WebUtility.HtmlEncode(snippet).Replace(MarkStart, "<mark>", StringComparison.Ordinal).Replace(MarkEnd, "</mark>", StringComparison.Ordinal);

    [GeneratedRegex("\"(?<phrase>[^\"]*)\"|[^\\s\"]+")]
    private static partial Regex TermPattern();

    [GeneratedRegex("[\\p{L}\\p{N}]+")]
    private static partial Regex WordPattern();

    /// <param name="Ranked">How many matches were ranked (the window's size, the same on every row).</param>
    protected sealed record SearchRow(int Id, string Slug, string Headline, string? Dek, DateTime PublishedAt, string Snippet, int Ranked);
}

public sealed record SearchTerm(string Text, bool IsPhrase);

internal sealed class SqliteArticleSearch(BroadsheetDbContext db, int rankedMatches) : ArticleSearch(db, rankedMatches)
{
    protected override Task<List<SearchRow>> QueryAsync(
        IReadOnlyList<SearchTerm> terms, SearchRequest request, int take, int skip, CancellationToken cancellationToken)
    {
        // Every term quoted for FTS5 (a phrase keeps its words together); terms are ANDed.
        var quoted = terms.Select(t => $"\"{t.Text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"").ToList();
        var match = string.Join(' ', quoted);
        var anyTerm = string.Join(" OR ", quoted);
        // The window: FTS5 reads its matches newest rowid first and stops at the limit, so a word in
        // every article costs no more than a rare one. Ranked next: a query word in the headline
        // counts most, then in the dek, then the newest first. Not bm25: its weighting of rare words
        // makes FTS5 count every article that holds each word, per search, which grew with the
        // archive (70-120 ms a search at 1 M articles, against 15-20 ms for this ranking); the
        // headline and dek are found by column filters over the window's rowids alone. The snippet
        // is made only for the page's articles: for every hit it cost most of a search. When a query
        // word is in the headline or the dek, the snippet is the dek, highlighted: the newsroom's
        // own summary, and far cheaper than picking a fragment out of the whole body.
        var sql = new StringBuilder("""
            WITH "Window" AS MATERIALIZED (
                SELECT "ArticleSearch".rowid AS "Id", a."PublishedAt" AS "PublishedAt"
                FROM "ArticleSearch" JOIN "Articles" AS a ON a."Id" = "ArticleSearch".rowid
                WHERE "ArticleSearch" MATCH {0} AND a."Status" = 3 AND a."PublishedAt" IS NOT NULL
            """);
        var parameters = new List<object> { match, $"{{Headline}} : ({anyTerm})", $"{{Dek}} : ({anyTerm})" };
        AddFilters(sql, parameters, request);
        sql.Append(CultureInfo.InvariantCulture, $$"""
             ORDER BY "ArticleSearch".rowid DESC LIMIT {{RankedMatches}}),
            "InHeadline" AS MATERIALIZED (
                SELECT rowid AS "Id" FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {1} AND rowid >= (SELECT min("Id") FROM "Window")),
            "InDek" AS MATERIALIZED (
                SELECT rowid AS "Id" FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {2} AND rowid >= (SELECT min("Id") FROM "Window")),
            "Page" AS MATERIALIZED (
                SELECT "Id", -(10 * ("Id" IN "InHeadline") + 4 * ("Id" IN "InDek")) AS "Rank", "PublishedAt" FROM "Window"
                ORDER BY "Rank", "PublishedAt" DESC, "Id" DESC LIMIT {{take}} OFFSET {{skip}})
            SELECT article."Id", article."Slug", article."Headline", article."Dek", article."PublishedAt",
                   (SELECT CASE WHEN "Page"."Rank" < 0 AND coalesce(article."Dek", '') <> ''
                                THEN highlight("ArticleSearch", 1, '{{MarkStart}}', '{{MarkEnd}}')
                                ELSE snippet("ArticleSearch", -1, '{{MarkStart}}', '{{MarkEnd}}', '…', 24) END
                    FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {0} AND "ArticleSearch".rowid = "Page"."Id") AS "Snippet",
                   (SELECT count(*) FROM "Window") AS "Ranked"
            FROM "Page" JOIN "Articles" AS article ON article."Id" = "Page"."Id"
            ORDER BY "Page"."Rank", "Page"."PublishedAt" DESC, "Page"."Id" DESC
            """);
        return Db.Database.SqlQueryRaw<SearchRow>(sql.ToString(), [.. parameters]).ToListAsync(cancellationToken);
    }

    internal static void AddFilters(StringBuilder sql, List<object> parameters, SearchRequest request)
    {
        if (request.SectionId is { } section)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND a.\"SectionId\" = {{{parameters.Count}}}");
            parameters.Add(section);
        }

        if (request.FromUtc is { } from)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND a.\"PublishedAt\" >= {{{parameters.Count}}}");
            parameters.Add(from);
        }

        if (request.ToUtc is { } to)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND a.\"PublishedAt\" < {{{parameters.Count}}}");
            parameters.Add(to);
        }
    }
}

internal sealed class PostgresArticleSearch(BroadsheetDbContext db, int rankedMatches) : ArticleSearch(db, rankedMatches)
{
    protected override Task<List<SearchRow>> QueryAsync(
        IReadOnlyList<SearchTerm> terms, SearchRequest request, int take, int skip, CancellationToken cancellationToken)
    {
        // websearch_to_tsquery understands "phrases" and never fails on odd input; we hand it the cleaned terms.
        var quoted = terms.Select(t => t.IsPhrase ? $"\"{t.Text}\"" : t.Text).ToList();
        var query = string.Join(' ', quoted);
        var anyTerm = string.Join(" or ", quoted);
        // The window: for a common word PostgreSQL walks the primary key backwards and stops at the
        // limit; for a rare one it asks the GIN index. Either way only the window is ranked
        // (ts_rank_cd reads each article's whole tsvector), and only the page gets a snippet. When a
        // query word is in the headline or the dek (as SQLite decides it) the snippet is the dek,
        // highlighted; otherwise ts_headline parses and stems the whole body, ~1 ms per 6 KB article.
        var sql = new StringBuilder("""
            WITH "Window" AS MATERIALIZED (
                SELECT a."Id", a."PublishedAt"
                FROM "Articles" AS a, websearch_to_tsquery('english', {0}) AS q
                WHERE a."SearchVector" @@ q AND a."Status" = 3 AND a."PublishedAt" IS NOT NULL
            """);
        var parameters = new List<object> { query };
        SqliteArticleSearch.AddFilters(sql, parameters, request);
        var anyTermParameter = parameters.Count;
        parameters.Add(anyTerm);
        sql.Append(CultureInfo.InvariantCulture, $$"""
             ORDER BY a."Id" DESC LIMIT {{RankedMatches}})
            SELECT a."Id", a."Slug", a."Headline", a."Dek", a."PublishedAt",
                   CASE WHEN coalesce(a."Dek", '') <> '' AND to_tsvector('english', a."Headline" || ' ' || a."Dek") @@ any_term
                   THEN ts_headline('english', a."Dek", q, 'StartSel={{MarkStart}}, StopSel={{MarkEnd}}, HighlightAll=true')
                   ELSE ts_headline('english', coalesce(a."Dek", '') || ' ' || a."BodyText", q,
                       'StartSel={{MarkStart}}, StopSel={{MarkEnd}}, MaxWords=30, MinWords=12, ShortWord=2, FragmentDelimiter=…, MaxFragments=2')
                   END AS "Snippet",
                   (SELECT count(*)::int FROM "Window") AS "Ranked"
            FROM "Window" AS w JOIN "Articles" AS a ON a."Id" = w."Id",
                 websearch_to_tsquery('english', {0}) AS q, websearch_to_tsquery('english', {{{anyTermParameter}}}) AS any_term
            ORDER BY ts_rank_cd(a."SearchVector", q) DESC, w."PublishedAt" DESC, w."Id" DESC LIMIT {{take}} OFFSET {{skip}}
            """);
        return Db.Database.SqlQueryRaw<SearchRow>(sql.ToString(), [.. parameters]).ToListAsync(cancellationToken);
    }
}

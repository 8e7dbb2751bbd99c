namespace Broadsheet.Bench.RazorFloor;

/// <summary>A comment as the article page shows one.</summary>
public sealed record FloorComment(int Id, int Depth, string AuthorName, string? AuthorUrl, string AvatarKey, string BodyHtml, DateTime CreatedAt);

/// <summary>
/// The page's content, made once: 50 comments about the size of Broadsheet's generated ones, and an
/// article body long enough that the whole page comes to about the size asked for.
/// </summary>
public sealed class FloorPage
{
    private const int CommentCount = 50;
    private const int RenderedBytesPerComment = 1_300; // as this page renders them
    private const int PageFurnitureBytes = 4_100;      // layout, header, comment form

    public FloorPage(int size)
    {
        Comments = [.. Enumerable.Range(1, CommentCount).Select(i => new FloorComment(
            i,
            i % 4 == 0 ? 1 : 0,
            $"Reader Number {i}",
            i % 2 == 0 ? $"https://reader{i}.example" : null,
            $"{i:x32}",
            $"<p>Qui cum consequatur dolor non officia eos. Maiores rem alias. Id dolores debitis et in qui {i}.</p>\n<p>Voluptatibus sed dolores eaque a molestiae sit consequatur. Aut non quae explicabo expedita rerum at dolore corporis. Quam numquam et expedita eos quo non ipsum ipsum.</p>",
            new DateTime(2025, 8, 16, 18, 0, 0, DateTimeKind.Utc).AddMinutes(17 * i)))];
        const string Paragraph = "<p>The quick brown fox jumps over the lazy dog, and the lazy dog, unmoved, watches the fox go by.</p>\n";
        var bodyBytes = Math.Max(0, size - PageFurnitureBytes - (CommentCount * RenderedBytesPerComment));
        BodyHtml = string.Concat(Enumerable.Repeat(Paragraph, (bodyBytes / Paragraph.Length) + 1));
    }

    public IReadOnlyList<FloorComment> Comments { get; }

    public string BodyHtml { get; }
}

namespace Broadsheet.Feeds;

/// <summary>Section <c>Broadsheet:Feeds</c>.</summary>
public sealed class FeedOptions
{
    public const string SectionName = "Broadsheet:Feeds";

    /// <summary>Put each article's whole body in feeds (default) or only its dek.</summary>
    public bool FullContent { get; set; } = true;

    /// <summary>Items per feed.</summary>
    public int Items { get; set; } = 20;
}

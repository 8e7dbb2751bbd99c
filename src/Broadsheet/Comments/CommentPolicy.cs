namespace Broadsheet.Comments;

/// <summary>What the moderation settings say about a new comment, and why.</summary>
public sealed record PolicyDecision(CommentStatus Status, string? Reason);

/// <summary>
/// Applies the moderation settings in WordPress's order: disallowed words send a comment to
/// spam; hold-all, hold words, too many links and first-time commenters send it to moderation;
/// anything else is approved.
/// </summary>
public static class CommentPolicy
{
    public static PolicyDecision Decide(CommentOptions options, CommentCandidate candidate, bool hasApprovedComment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(candidate);
        if (FindWord(options.DisallowedWords, candidate) is { } disallowed)
        {
            return new(CommentStatus.Spam, $"spam: disallowed word \"{disallowed}\"");
        }

        if (options.HoldAll)
        {
            return new(CommentStatus.Pending, "held: every comment is held for moderation");
        }

        if (FindWord(options.HoldWords, candidate) is { } held)
        {
            return new(CommentStatus.Pending, $"held: contains \"{held}\"");
        }

        var links = CommentText.CountLinks(candidate.BodyHtml);
        if (options.HoldAtLinks > 0 && links >= options.HoldAtLinks)
        {
            return new(CommentStatus.Pending, $"held: {links} links");
        }

        if (options.HoldFirstTimeCommenters && !hasApprovedComment)
        {
            return new(CommentStatus.Pending, "held: first-time commenter");
        }

        return new(CommentStatus.Approved, null);
    }

    private static string? FindWord(List<string> words, CommentCandidate candidate) =>
        words.Select(w => w.Trim()).FirstOrDefault(word => word.Length > 0 && candidate.Fields().Any(field =>
            field.Contains(word, StringComparison.OrdinalIgnoreCase)));
}

/// <summary>A validated comment about to be judged and stored.</summary>
public sealed record CommentCandidate(string Name, string Email, string? Url, string Text, string BodyHtml)
{
    public IEnumerable<string> Fields()
    {
        yield return Text;
        yield return Name;
        yield return Email;
        if (Url is not null)
        {
            yield return Url;
        }
    }
}

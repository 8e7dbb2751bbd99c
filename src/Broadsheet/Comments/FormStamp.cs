using System.Globalization;
using Broadsheet.Infrastructure.Security;

namespace Broadsheet.Comments;

/// <summary>
/// The signed timestamp in every comment form: when the form was rendered and for which
/// article. A post that comes back sooner than a person could type is a bot's; a stamp for
/// another article, a forged one, or a very old one is refused. Pages are cached and shared, so
/// the stamp carries nothing about the visitor.
/// </summary>
public sealed class FormStamp(SiteKeys keys, TimeProvider time)
{
    private const string Purpose = "comment-form";

    public string Issue(int articleId)
    {
        var issued = time.GetUtcNow().ToUnixTimeSeconds();
        var payload = string.Create(CultureInfo.InvariantCulture, $"{articleId}.{issued}");
        return $"{issued}.{keys.Hash(Purpose, payload)}";
    }

    public StampCheck Check(string? stamp, int articleId, TimeSpan minimumAge, TimeSpan lifetime)
    {
        var parts = (stamp ?? "").Split('.');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || !keys.Verify(Purpose, string.Create(CultureInfo.InvariantCulture, $"{articleId}.{issued}"), parts[1]))
        {
            return StampCheck.Invalid;
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issued);
        return age < minimumAge ? StampCheck.TooFast : age > lifetime ? StampCheck.Expired : StampCheck.Valid;
    }
}

public enum StampCheck
{
    Valid,
    Invalid,
    TooFast,
    Expired,
}

using System.ComponentModel.DataAnnotations;

namespace Broadsheet.Privacy;

/// <summary>Commenters' data rights. Section <c>Broadsheet:Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Broadsheet:Privacy";

    /// <summary>
    /// What erasing a commenter's data does to their comments: <c>Delete</c> removes them (a comment
    /// that others replied to stays as "removed" so the replies keep their place), <c>Anonymise</c>
    /// keeps the text and removes name, email, website, address and browser.
    /// </summary>
    public ErasureMode Erasure { get; set; } = ErasureMode.Delete;

    /// <summary>How long an emailed link works.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Links that may be asked for one email address per hour (stops the form being used to flood an inbox).</summary>
    [Range(1, 100)]
    public int RequestsPerEmailPerHour { get; set; } = 3;

    /// <summary>Links that may be asked for from one network address per hour.</summary>
    [Range(1, 1000)]
    public int RequestsPerAddressPerHour { get; set; } = 10;
}

public enum ErasureMode
{
    Delete,
    Anonymise,
}

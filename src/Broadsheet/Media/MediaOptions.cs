using System.ComponentModel.DataAnnotations;

namespace Broadsheet.Media;

/// <summary>Uploaded images. Section <c>Broadsheet:Media</c>.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Broadsheet:Media";

    /// <summary>
    /// The largest image accepted, in bytes (default 5 MB). At most 25 MB: Kestrel refuses request
    /// bodies over 30 MB before the editor could say why.
    /// </summary>
    [Range(1024, 25 * 1024 * 1024, ErrorMessage = "Broadsheet:Media:MaxImageBytes must be between 1024 and 26214400 (25 MB).")]
    public long MaxImageBytes { get; set; } = 5 * 1024 * 1024;
}

using System.ComponentModel.DataAnnotations;

namespace Broadsheet.Site;

/// <summary>The newsroom's identity and reading preferences. Section <c>Broadsheet:Site</c>.</summary>
public sealed class SiteOptions : IValidatableObject
{
    public const string SectionName = "Broadsheet:Site";

    /// <summary>The masthead: the name readers see at the top of every page.</summary>
    [Required(AllowEmptyStrings = false), StringLength(100)]
    public string Name { get; set; } = "The Broadsheet";

    /// <summary>The line under the masthead.</summary>
    [StringLength(200)]
    public string Tagline { get; set; } = "Independent news, openly discussed";

    /// <summary>
    /// IANA time zone of the newsroom (e.g. <c>Europe/London</c>): dates on pages and the date in
    /// article URLs are in this zone. Stored dates stay UTC.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// The site's public address (e.g. <c>https://news.example.com</c>) for canonical links, feeds,
    /// sitemaps and emailed links. When empty, pages use the address of the request (fine on one
    /// machine; set it behind a proxy or CDN), but emails carrying a secret link are sent only for
    /// requests to <c>localhost</c> (<see cref="SiteUrls.ForEmail"/>).
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Articles per page on the front page's "latest" list and on listings.</summary>
    [Range(1, 100)]
    public int ListingPageSize { get; set; } = 20;

    // A method, not a property: options validation walks properties, and this one throws for a bad name.
    public TimeZoneInfo FindTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult(
                $"Broadsheet:Site:TimeZone '{TimeZone}' is not a known time zone. Use an IANA name such as 'UTC' or 'Europe/London'.",
                [nameof(TimeZone)]);
        }
    }
}

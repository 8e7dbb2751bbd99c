using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Broadsheet.Site;

/// <summary>
/// Base of every public page model: what the layout needs to know about the page, typed
/// (no ViewData string keys).
/// </summary>
public abstract class SitePageModel : PageModel
{
    /// <summary>The page's own title; the layout appends the site name.</summary>
    public string Title { get; protected set; } = "";

    /// <summary>For the description meta tag; the site tagline when absent.</summary>
    public string? Description { get; protected set; }

    /// <summary>The page's one canonical path, when it has one.</summary>
    public string? CanonicalPath { get; protected set; }

    /// <summary>The RSS feed of what this page lists, announced in the page head (the site's feed is always announced).</summary>
    public string? FeedPath { get; protected set; }

    /// <summary>The page after this one in a paginated listing (older stories, later comments), for <c>&lt;link rel="next"&gt;</c>.</summary>
    public string? NextPagePath { get; protected set; }

    /// <summary>The page before this one in a paginated listing, for <c>&lt;link rel="prev"&gt;</c>.</summary>
    public string? PreviousPagePath { get; protected set; }

    /// <summary>Extra tags for the page head (Open Graph, JSON-LD), already safe HTML.</summary>
    public Microsoft.AspNetCore.Html.IHtmlContent? HeadExtras { get; protected set; }
}

using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Broadsheet.Accounts;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Settings;
using Broadsheet.Site;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Broadsheet.Admin;

/// <summary>
/// The site's name, tagline and time zone, and the comment policies. A saved value overrides
/// configuration (which stays the default: saving a field back to its configured value removes
/// the override); every page on every node sees it within seconds, this node at once.
/// </summary>
[Authorize(Policy = Permissions.ManageSite)]
public sealed class SettingsPageModel(
    BroadsheetDbContext db,
    StoredSettings saved,
    IConfiguration configuration,
    IOptionsMonitor<SiteOptions> site,
    IOptionsMonitor<CommentOptions> comments,
    ContentVersion contentVersion,
    ContentCache cache,
    AuditLog audit) : StaffPageModel
{
    [BindProperty]
    public SettingsForm Input { get; set; } = new();

    /// <summary>Field-level messages, keyed by the field's name in <see cref="SettingsForm"/>.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? Notice { get; private set; }

    public void OnGet(string? saved = null)
    {
        Title = "Settings";
        Input = SettingsForm.From(site.CurrentValue, comments.CurrentValue);
        Notice = saved switch
        {
            "1" => "Settings saved.",
            "0" => "Nothing changed.",
            _ => null,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Title = "Settings";
        var values = Validate();
        if (values is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var current = SettingsForm.Values(SettingsForm.From(site.CurrentValue, comments.CurrentValue));
        var defaults = SettingsForm.Values(SettingsForm.From(
            configuration.GetSection(SiteOptions.SectionName).Get<SiteOptions>() ?? new SiteOptions(),
            configuration.GetSection(CommentOptions.SectionName).Get<CommentOptions>() ?? new CommentOptions()));
        var changed = values.Where(pair => current[pair.Key] != pair.Value).ToList();
        if (changed.Count == 0)
        {
            return Redirect("/admin/settings?saved=0");
        }

        var keys = values.Keys.ToList();
        var rows = await db.SiteSettings.Where(s => keys.Contains(s.Key)).ToDictionaryAsync(s => s.Key, cancellationToken);
        foreach (var (key, value) in values)
        {
            rows.TryGetValue(key, out var row);
            if (value == defaults[key])
            {
                if (row is not null)
                {
                    db.SiteSettings.Remove(row);
                }
            }
            else if (row is null)
            {
                db.SiteSettings.Add(new SiteSetting { Key = key, Value = value });
            }
            else
            {
                row.Value = value;
            }
        }

        foreach (var (key, value) in changed)
        {
            audit.Record("settings.change", "setting", key, $"{Quote(current[key])} → {Quote(value)}");
        }

        contentVersion.Stamp(db);
        await db.SaveChangesAsync(cancellationToken);
        await saved.ReloadAsync(db, cancellationToken);
        // The name, tagline, time zone (dates, URLs) and comment policies (forms, threads) are on
        // every cached page.
        await cache.EverythingChangedAsync(cancellationToken);
        return Redirect("/admin/settings?saved=1");
    }

    private static string Quote(string value) => "\"" + value.Replace("\n", ", ", StringComparison.Ordinal) + "\"";

    /// <summary>The form as setting values, or null (with <see cref="Errors"/> filled) when any field is wrong.</summary>
    private Dictionary<string, string>? Validate()
    {
        var name = (Input.Name ?? "").Trim();
        if (!Infrastructure.Text.VisibleText.HasAny(name))
        {
            // Zero-width characters alone would make an invisible masthead and page titles.
            Errors[nameof(SettingsForm.Name)] = "Enter the site's name.";
        }
        else if (name.Length > 100)
        {
            Errors[nameof(SettingsForm.Name)] = "Use at most 100 characters.";
        }

        var tagline = (Input.Tagline ?? "").Trim();
        if (tagline.Length > 200)
        {
            Errors[nameof(SettingsForm.Tagline)] = "Use at most 200 characters.";
        }

        var zone = (Input.TimeZone ?? "").Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) || !found.HasIanaId)
        {
            Errors[nameof(SettingsForm.TimeZone)] = "Enter an IANA time zone such as UTC, Europe/London or America/New_York.";
        }

        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (field, text) in Input.Numbers())
        {
            var range = typeof(CommentOptions).GetProperty(field)!.GetCustomAttribute<RangeAttribute>()!;
            var (min, max) = ((int)range.Minimum, (int)range.Maximum);
            if (int.TryParse((text ?? "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                numbers[field] = number;
            }
            else
            {
                Errors[field] = $"Enter a whole number from {min} to {max}.";
            }
        }

        var holdWords = SavedSettings.SplitLines(Input.HoldWords ?? "");
        var disallowedWords = SavedSettings.SplitLines(Input.DisallowedWords ?? "");
        CheckWords(nameof(SettingsForm.HoldWords), holdWords);
        CheckWords(nameof(SettingsForm.DisallowedWords), disallowedWords);
        if (Errors.Count > 0)
        {
            return null;
        }

        return new(StringComparer.Ordinal)
        {
            [SavedSettings.SiteName] = name,
            [SavedSettings.SiteTagline] = tagline,
            [SavedSettings.SiteTimeZone] = zone,
            [SavedSettings.HoldAll] = SavedSettings.FormatBool(Input.HoldAll),
            [SavedSettings.HoldFirstTimeCommenters] = SavedSettings.FormatBool(Input.HoldFirstTimeCommenters),
            [SavedSettings.HoldAtLinks] = SavedSettings.FormatInt(numbers[nameof(SettingsForm.HoldAtLinks)]),
            [SavedSettings.HoldWords] = SavedSettings.JoinLines(holdWords),
            [SavedSettings.DisallowedWords] = SavedSettings.JoinLines(disallowedWords),
            [SavedSettings.CloseAfterDays] = SavedSettings.FormatInt(numbers[nameof(SettingsForm.CloseAfterDays)]),
            [SavedSettings.MaxDepth] = SavedSettings.FormatInt(numbers[nameof(SettingsForm.MaxDepth)]),
            [SavedSettings.PageSize] = SavedSettings.FormatInt(numbers[nameof(SettingsForm.PageSize)]),
            [SavedSettings.SecondsBetweenComments] = SavedSettings.FormatInt(numbers[nameof(SettingsForm.SecondsBetweenComments)]),
        };
    }

    private void CheckWords(string field, List<string> words)
    {
        if (words.Any(w => w.Length > 100))
        {
            Errors[field] = "Keep each word or phrase under 100 characters.";
        }
        else if (SavedSettings.JoinLines(words).Length > 4000)
        {
            Errors[field] = "The list is too long: keep it under 4,000 characters.";
        }
    }
}

/// <summary>The settings form as typed: numbers stay text, so a wrong one is shown back as it was.</summary>
public sealed class SettingsForm
{
    public string? Name { get; set; }
    public string? Tagline { get; set; }
    public string? TimeZone { get; set; }
    public bool HoldAll { get; set; }
    public bool HoldFirstTimeCommenters { get; set; }
    public string? HoldAtLinks { get; set; }
    public string? HoldWords { get; set; }
    public string? DisallowedWords { get; set; }
    public string? CloseAfterDays { get; set; }
    public string? MaxDepth { get; set; }
    public string? PageSize { get; set; }
    public string? SecondsBetweenComments { get; set; }

    public IEnumerable<(string Field, string? Text)> Numbers()
    {
        yield return (nameof(HoldAtLinks), HoldAtLinks);
        yield return (nameof(CloseAfterDays), CloseAfterDays);
        yield return (nameof(MaxDepth), MaxDepth);
        yield return (nameof(PageSize), PageSize);
        yield return (nameof(SecondsBetweenComments), SecondsBetweenComments);
    }

    public static SettingsForm From(SiteOptions site, CommentOptions comments)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(comments);
        return new()
        {
            Name = site.Name,
            Tagline = site.Tagline,
            TimeZone = site.TimeZone,
            HoldAll = comments.HoldAll,
            HoldFirstTimeCommenters = comments.HoldFirstTimeCommenters,
            HoldAtLinks = SavedSettings.FormatInt(comments.HoldAtLinks),
            HoldWords = SavedSettings.JoinLines(comments.HoldWords.Select(w => w.Trim()).Where(w => w.Length > 0)),
            DisallowedWords = SavedSettings.JoinLines(comments.DisallowedWords.Select(w => w.Trim()).Where(w => w.Length > 0)),
            CloseAfterDays = SavedSettings.FormatInt(comments.CloseAfterDays),
            MaxDepth = SavedSettings.FormatInt(comments.MaxDepth),
            PageSize = SavedSettings.FormatInt(comments.PageSize),
            SecondsBetweenComments = SavedSettings.FormatInt(comments.SecondsBetweenComments),
        };
    }

    /// <summary>A form made by <see cref="From"/> as setting values, to compare with what was posted.</summary>
    public static Dictionary<string, string> Values(SettingsForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return new(StringComparer.Ordinal)
        {
            [SavedSettings.SiteName] = form.Name ?? "",
            [SavedSettings.SiteTagline] = form.Tagline ?? "",
            [SavedSettings.SiteTimeZone] = form.TimeZone ?? "",
            [SavedSettings.HoldAll] = SavedSettings.FormatBool(form.HoldAll),
            [SavedSettings.HoldFirstTimeCommenters] = SavedSettings.FormatBool(form.HoldFirstTimeCommenters),
            [SavedSettings.HoldAtLinks] = form.HoldAtLinks ?? "",
            [SavedSettings.HoldWords] = form.HoldWords ?? "",
            [SavedSettings.DisallowedWords] = form.DisallowedWords ?? "",
            [SavedSettings.CloseAfterDays] = form.CloseAfterDays ?? "",
            [SavedSettings.MaxDepth] = form.MaxDepth ?? "",
            [SavedSettings.PageSize] = form.PageSize ?? "",
            [SavedSettings.SecondsBetweenComments] = form.SecondsBetweenComments ?? "",
        };
    }
}

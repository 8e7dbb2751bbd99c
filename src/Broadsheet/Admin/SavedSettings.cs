using System.Globalization;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Settings;
using Broadsheet.Site;
using Microsoft.Extensions.Options;

namespace Broadsheet.Admin;

/// <summary>
/// The configuration keys the settings page may override, and how a saved value is applied to
/// its options class. Lists are saved as one value, a line per item, so a saved list replaces the
/// configured one instead of merging with it index by index.
/// </summary>
public static class SavedSettings
{
    public const string SiteName = SiteOptions.SectionName + ":" + nameof(SiteOptions.Name);
    public const string SiteTagline = SiteOptions.SectionName + ":" + nameof(SiteOptions.Tagline);
    public const string SiteTimeZone = SiteOptions.SectionName + ":" + nameof(SiteOptions.TimeZone);
    public const string HoldAll = CommentOptions.SectionName + ":" + nameof(CommentOptions.HoldAll);
    public const string HoldFirstTimeCommenters = CommentOptions.SectionName + ":" + nameof(CommentOptions.HoldFirstTimeCommenters);
    public const string HoldAtLinks = CommentOptions.SectionName + ":" + nameof(CommentOptions.HoldAtLinks);
    public const string HoldWords = CommentOptions.SectionName + ":" + nameof(CommentOptions.HoldWords);
    public const string DisallowedWords = CommentOptions.SectionName + ":" + nameof(CommentOptions.DisallowedWords);
    public const string CloseAfterDays = CommentOptions.SectionName + ":" + nameof(CommentOptions.CloseAfterDays);
    public const string MaxDepth = CommentOptions.SectionName + ":" + nameof(CommentOptions.MaxDepth);
    public const string PageSize = CommentOptions.SectionName + ":" + nameof(CommentOptions.PageSize);
    public const string SecondsBetweenComments = CommentOptions.SectionName + ":" + nameof(CommentOptions.SecondsBetweenComments);

    public static IServiceCollection AddSavedSettings(this IServiceCollection services)
    {
        services.AddSingleton<StoredSettings>();
        services.AddSingleton<IPostConfigureOptions<SiteOptions>, SiteOptionsFromSavedSettings>();
        services.AddSingleton<IPostConfigureOptions<CommentOptions>, CommentOptionsFromSavedSettings>();
        services.AddSingleton<IOptionsChangeTokenSource<SiteOptions>, StoredSettingsChangeTokenSource<SiteOptions>>();
        services.AddSingleton<IOptionsChangeTokenSource<CommentOptions>, StoredSettingsChangeTokenSource<CommentOptions>>();
        return services;
    }

    public static string JoinLines(IEnumerable<string> items) => string.Join('\n', items);

    public static List<string> SplitLines(string value) =>
        [.. value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static string FormatBool(bool value) => value ? "true" : "false";

    public static string FormatInt(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static void Apply(StoredSettings saved, string key, Action<string> set)
    {
        if (saved.TryGet(key, out var value))
        {
            set(value);
        }
    }

    internal static void ApplyInt(StoredSettings saved, string key, Action<int> set)
    {
        // A row that does not parse (edited by hand) is ignored: configuration's value stands.
        if (saved.TryGet(key, out var value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            set(number);
        }
    }

    internal static void ApplyBool(StoredSettings saved, string key, Action<bool> set)
    {
        if (saved.TryGet(key, out var value) && bool.TryParse(value, out var flag))
        {
            set(flag);
        }
    }
}

internal sealed class SiteOptionsFromSavedSettings(StoredSettings saved) : IPostConfigureOptions<SiteOptions>
{
    public void PostConfigure(string? name, SiteOptions options)
    {
        SavedSettings.Apply(saved, SavedSettings.SiteName, v => options.Name = v);
        SavedSettings.Apply(saved, SavedSettings.SiteTagline, v => options.Tagline = v);
        SavedSettings.Apply(saved, SavedSettings.SiteTimeZone, v => options.TimeZone = v);
    }
}

internal sealed class CommentOptionsFromSavedSettings(StoredSettings saved) : IPostConfigureOptions<CommentOptions>
{
    public void PostConfigure(string? name, CommentOptions options)
    {
        SavedSettings.ApplyBool(saved, SavedSettings.HoldAll, v => options.HoldAll = v);
        SavedSettings.ApplyBool(saved, SavedSettings.HoldFirstTimeCommenters, v => options.HoldFirstTimeCommenters = v);
        SavedSettings.ApplyInt(saved, SavedSettings.HoldAtLinks, v => options.HoldAtLinks = v);
        SavedSettings.Apply(saved, SavedSettings.HoldWords, v => options.HoldWords = SavedSettings.SplitLines(v));
        SavedSettings.Apply(saved, SavedSettings.DisallowedWords, v => options.DisallowedWords = SavedSettings.SplitLines(v));
        SavedSettings.ApplyInt(saved, SavedSettings.CloseAfterDays, v => options.CloseAfterDays = v);
        SavedSettings.ApplyInt(saved, SavedSettings.MaxDepth, v => options.MaxDepth = v);
        SavedSettings.ApplyInt(saved, SavedSettings.PageSize, v => options.PageSize = v);
        SavedSettings.ApplyInt(saved, SavedSettings.SecondsBetweenComments, v => options.SecondsBetweenComments = v);
    }
}

using System.Reflection;
using Broadsheet.Import;
using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles.Seeding;

/// <summary>
/// Gives a fresh install something to read: the sample article, exactly as the newsroom's sample
/// page has it. Runs once per database: a row in SiteSettings remembers it, so an editor who
/// deletes the sample never sees it come back.
/// </summary>
public sealed class SampleArticleSeeder(BroadsheetDbContext db, ArticleWriter writer)
{
    private const string SeededKey = "seeded:sample-article";

    public const string Slug = "putin-and-trump-discuss-ukraine-war-end-in-alaska-talks";

    public async Task SeedOnceAsync(CancellationToken cancellationToken = default)
    {
        if (await db.SiteSettings.AnyAsync(s => s.Key == SeededKey, cancellationToken))
        {
            return;
        }

        var parsed = TextArticleParser.Parse(await ReadSampleAsync());
        db.SiteSettings.Add(new SiteSetting { Key = SeededKey, Value = "1" });
        await writer.CreateAsync(
        [
            parsed with
            {
                Slug = Slug,
                Authors = ["Broadsheet Staff"],
                Section = "World",
                Tags = ["Russia", "Ukraine", "United States", "Diplomacy"],
                PublishedAt = new DateTime(2025, 8, 16, 14, 0, 0, DateTimeKind.Utc),
                Status = ArticleStatus.Published,
            },
        ], cancellationToken);
    }

    private static async Task<string> ReadSampleAsync()
    {
        await using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Broadsheet.SampleArticle.txt")
            ?? throw new InvalidOperationException("The sample article is missing from the assembly's resources.");
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync()).Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}

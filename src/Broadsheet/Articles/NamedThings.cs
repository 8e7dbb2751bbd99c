using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles;

/// <summary>
/// Authors, sections and tags looked up by slug, the missing ones created (added to the context,
/// saved with the caller's changes). Shared by imports, the editor and the demo seeder.
/// </summary>
public sealed class NamedThings
{
    private NamedThings(Dictionary<string, Author> authors, Dictionary<string, Section> sections, Dictionary<string, Tag> tags) =>
        (Authors, Sections, Tags) = (authors, sections, tags);

    public Dictionary<string, Author> Authors { get; }
    public Dictionary<string, Section> Sections { get; }
    public Dictionary<string, Tag> Tags { get; }

    public static async Task<NamedThings> FindOrCreateAsync(
        BroadsheetDbContext db, IEnumerable<string> authors, IEnumerable<string> sections, IEnumerable<string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return new NamedThings(
            await FindOrCreateAsync(db.Authors, authors, name => new Author { Name = name, Slug = Slugs.From(name) }, cancellationToken),
            await FindOrCreateAsync(db.Sections, sections, name => new Section { Name = name, Slug = Slugs.From(name) }, cancellationToken),
            await FindOrCreateAsync(db.Tags, tags, name => new Tag { Name = name, Slug = Slugs.From(name) }, cancellationToken));
    }

    /// <summary>Gives <paramref name="article"/> exactly these bylines (in credit order), section and tags.</summary>
    public void Assign(Article article, IEnumerable<string> authorNames, string? sectionName, IEnumerable<string> tagNames)
    {
        ArgumentNullException.ThrowIfNull(article);
        article.Bylines.Clear();
        foreach (var (author, position) in authorNames.Select(n => Authors.GetValueOrDefault(Slugs.From(n))).OfType<Author>().Distinct().Select((a, i) => (a, i)))
        {
            article.Bylines.Add(new Byline { Author = author, Position = position });
        }

        article.Section = string.IsNullOrWhiteSpace(sectionName) ? null : Sections.GetValueOrDefault(Slugs.From(sectionName));
        if (article.Section is null)
        {
            article.SectionId = null;
        }

        article.Tags.Clear();
        article.Tags.AddRange(tagNames.Select(n => Tags.GetValueOrDefault(Slugs.From(n))).OfType<Tag>().Distinct());
    }

    private static async Task<Dictionary<string, T>> FindOrCreateAsync<T>(
        DbSet<T> set, IEnumerable<string> names, Func<string, T> create, CancellationToken cancellationToken)
        where T : class, INamedBySlug
    {
        // A name without a letter or digit has no slug, so no page: left out (the editor refuses it first).
        var wanted = names
            .Select(n => (Name: n.Trim(), Slug: Slugs.From(n)))
            .Where(n => n.Slug.Length > 0)
            .DistinctBy(n => n.Slug)
            .ToDictionary(n => n.Slug, n => n.Name);
        var slugs = wanted.Keys.ToList();
        var bySlug = await set.Where(e => slugs.Contains(e.Slug)).ToDictionaryAsync(e => e.Slug, cancellationToken);
        // A name stored before slugs kept every script has the slug of its day ("s-ren-kierkegaard" for
        // "Søren Kierkegaard", or none at all): found by its name, so it is not made a second time.
        var unmatched = wanted.Where(w => !bySlug.ContainsKey(w.Key)).Select(w => w.Value).ToList();
        if (unmatched.Count > 0)
        {
            foreach (var earlier in await set.Where(e => unmatched.Contains(e.Name)).ToListAsync(cancellationToken))
            {
                if (bySlug.TryAdd(Slugs.From(earlier.Name), earlier) && earlier.Slug.Length == 0)
                {
                    // No slug meant no page (its links were "/author/"): it gets the one it always should have.
                    earlier.Slug = Slugs.From(earlier.Name);
                }
            }
        }

        foreach (var (slug, name) in wanted)
        {
            if (!bySlug.ContainsKey(slug))
            {
                var created = create(name);
                set.Add(created);
                bySlug[slug] = created;
            }
        }

        return bySlug;
    }
}

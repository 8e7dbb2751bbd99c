using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Xml;
using Broadsheet.Articles;
using Broadsheet.Articles.Seeding;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Site;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Import.Wxr;

public sealed record WxrExportSummary(int Articles, int Comments);

/// <summary>
/// Writes the whole site as a WXR 1.2 file, the format of WordPress's own Tools → Export, so
/// WordPress (or this importer) can read it back: authors, sections as categories, tags, every
/// article with its comments, and featured images as attachment items. A staff backup: commenters'
/// emails and stored (truncated) addresses are in it. Articles are read in batches and written as
/// they come, so the file can be larger than memory.
/// </summary>
public sealed class WxrExporter(BroadsheetDbContext db, ArticleLinks links, SiteClock clock, SiteOptions site, TimeProvider time)
{
    public const string WpNamespace = "http://wordpress.org/export/1.2/";
    public const string ExcerptNamespace = "http://wordpress.org/export/1.2/excerpt/";
    private const int BatchSize = 200;
    private const string WordPressDateFormat = "yyyy-MM-dd HH:mm:ss";

    public async Task<WxrExportSummary> ExportAsync(string path, IProgress<SeedProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var clockStarted = Stopwatch.StartNew();
        var root = site.PublicUrl is { } configured
            ? configured.GetLeftPart(UriPartial.Authority) + configured.AbsolutePath.TrimEnd('/')
            : "http://localhost";
        var total = await db.Articles.CountAsync(cancellationToken);
        // Featured images become attachment items; their ids must not clash with the articles'.
        var nextAttachmentId = (await db.Articles.MaxAsync(a => (int?)a.Id, cancellationToken) ?? 0) + 1;

        // Written beside the target and moved into place at the end: a failed export leaves no half file.
        var partial = path + ".partial";
        var (articles, comments) = (0, 0);
        await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("rss");
            xml.WriteAttributeString("version", "2.0");
            xml.WriteAttributeString("xmlns", "excerpt", null, ExcerptNamespace);
            xml.WriteAttributeString("xmlns", "content", null, WxrNamespaces.Content.NamespaceName);
            xml.WriteAttributeString("xmlns", "wfw", null, WxrNamespaces.Wfw.NamespaceName);
            xml.WriteAttributeString("xmlns", "dc", null, WxrNamespaces.Dc.NamespaceName);
            xml.WriteAttributeString("xmlns", "wp", null, WpNamespace);
            xml.WriteStartElement("channel");
            xml.WriteElementString("title", Clean(site.Name));
            xml.WriteElementString("link", root);
            xml.WriteElementString("description", Clean(site.Tagline));
            xml.WriteElementString("pubDate", Rfc822(time.GetUtcNow().UtcDateTime));
            xml.WriteElementString("language", "en");
            Wp(xml, "wxr_version", "1.2");
            Wp(xml, "base_site_url", root);
            Wp(xml, "base_blog_url", root);
            await WriteTermsAsync(xml, cancellationToken);
            xml.WriteElementString("generator", "Broadsheet");

            var after = 0;
            while (true)
            {
                var batch = await db.Articles.AsNoTracking()
                    .Where(a => a.Id > after)
                    .OrderBy(a => a.Id)
                    .Take(BatchSize)
                    .Include(a => a.Section)
                    .Include(a => a.Tags)
                    .Include(a => a.Bylines).ThenInclude(b => b.Author)
                    .AsSplitQuery()
                    .ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                after = batch[^1].Id;
                var ids = batch.Select(a => a.Id).ToList();
                var threads = (await db.Comments.AsNoTracking().Where(c => ids.Contains(c.ArticleId)).OrderBy(c => c.Id).ToListAsync(cancellationToken))
                    .ToLookup(c => c.ArticleId);
                var pages = (await db.Set<WordPressPostLink>().AsNoTracking()
                    .Where(l => ids.Contains(l.ArticleId) && l.PostType == "page").Select(l => l.ArticleId).ToListAsync(cancellationToken)).ToHashSet();
                foreach (var article in batch)
                {
                    long? attachment = article.FeaturedImagePath is { Length: > 0 } ? nextAttachmentId++ : null;
                    WriteArticle(xml, article, pages.Contains(article.Id), threads[article.Id], attachment, root);
                    if (attachment is { } attachmentId)
                    {
                        WriteAttachment(xml, article, attachmentId, root);
                    }

                    comments += threads[article.Id].Count();
                }

                articles += batch.Count;
                progress?.Report(new SeedProgress(articles, total, clockStarted.Elapsed));
            }

            xml.WriteEndElement(); // channel
            xml.WriteEndElement(); // rss
            xml.WriteEndDocument();
        }

        File.Move(partial, path, overwrite: true);
        return new WxrExportSummary(articles, comments);
    }

    private async Task WriteTermsAsync(XmlWriter xml, CancellationToken cancellationToken)
    {
        await foreach (var author in db.Authors.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            xml.WriteStartElement("wp", "author", WpNamespace);
            Wp(xml, "author_id", Number(author.Id));
            WpData(xml, "author_login", author.Slug);
            WpData(xml, "author_email", "");
            WpData(xml, "author_display_name", author.Name);
            WpData(xml, "author_first_name", "");
            WpData(xml, "author_last_name", "");
            xml.WriteEndElement();
        }

        await foreach (var section in db.Sections.AsNoTracking().OrderBy(s => s.Position).ThenBy(s => s.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            xml.WriteStartElement("wp", "category", WpNamespace);
            Wp(xml, "term_id", Number(section.Id));
            WpData(xml, "category_nicename", section.Slug);
            WpData(xml, "category_parent", "");
            WpData(xml, "cat_name", section.Name);
            xml.WriteEndElement();
        }

        await foreach (var tag in db.Tags.AsNoTracking().OrderBy(t => t.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            xml.WriteStartElement("wp", "tag", WpNamespace);
            Wp(xml, "term_id", Number(tag.Id));
            WpData(xml, "tag_slug", tag.Slug);
            WpData(xml, "tag_name", tag.Name);
            xml.WriteEndElement();
        }
    }

    private void WriteArticle(XmlWriter xml, Article article, bool isPage, IEnumerable<Comment> comments, long? attachmentId, string root)
    {
        var guid = $"{root}/?p={Number(article.Id)}";
        var published = article.PublishedAt;
        xml.WriteStartElement("item");
        Data(xml, "title", article.Headline);
        xml.WriteElementString("link", published is { } at && article.Status == ArticleStatus.Published ? root + links.Article(article.Slug, at) : guid);
        xml.WriteElementString("pubDate", Rfc822(published ?? article.CreatedAt));
        xml.WriteStartElement("dc", "creator", WxrNamespaces.Dc.NamespaceName);
        CData(xml, article.Bylines.OrderBy(b => b.Position).Select(b => b.Author?.Slug).FirstOrDefault() ?? "");
        xml.WriteEndElement();
        xml.WriteStartElement("guid");
        xml.WriteAttributeString("isPermaLink", "false");
        xml.WriteString(guid);
        xml.WriteEndElement();
        xml.WriteElementString("description", "");
        xml.WriteStartElement("content", "encoded", WxrNamespaces.Content.NamespaceName);
        CData(xml, article.BodyHtml);
        xml.WriteEndElement();
        xml.WriteStartElement("excerpt", "encoded", ExcerptNamespace);
        CData(xml, article.Dek ?? "");
        xml.WriteEndElement();
        Wp(xml, "post_id", Number(article.Id));
        // WordPress keeps a draft's date "floating" with a zero GMT date; its local date is when it was written.
        WpData(xml, "post_date", LocalDate(published ?? article.CreatedAt));
        WpData(xml, "post_date_gmt", published is { } gmt ? gmt.ToString(WordPressDateFormat, CultureInfo.InvariantCulture) : "0000-00-00 00:00:00");
        WpData(xml, "post_modified", LocalDate(article.UpdatedAt));
        WpData(xml, "post_modified_gmt", article.UpdatedAt.ToString(WordPressDateFormat, CultureInfo.InvariantCulture));
        WpData(xml, "comment_status", article.CommentsOpen ? "open" : "closed");
        WpData(xml, "ping_status", "closed");
        WpData(xml, "post_name", article.Slug);
        WpData(xml, "status", Status(article.Status));
        Wp(xml, "post_parent", "0");
        Wp(xml, "menu_order", "0");
        WpData(xml, "post_type", isPage ? "page" : "post");
        WpData(xml, "post_password", "");
        Wp(xml, "is_sticky", "0");
        if (!isPage && article.Section is { } section)
        {
            Category(xml, "category", section.Slug, section.Name);
        }

        foreach (var tag in article.Tags.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            Category(xml, "post_tag", tag.Slug, tag.Name);
        }

        if (attachmentId is { } thumbnail)
        {
            PostMeta(xml, "_thumbnail_id", Number(thumbnail));
        }

        foreach (var comment in comments)
        {
            WriteComment(xml, comment);
        }

        xml.WriteEndElement();
    }

    private void WriteComment(XmlWriter xml, Comment comment)
    {
        xml.WriteStartElement("wp", "comment", WpNamespace);
        Wp(xml, "comment_id", Number(comment.Id));
        WpData(xml, "comment_author", comment.AuthorName);
        WpData(xml, "comment_author_email", comment.AuthorEmail);
        WpData(xml, "comment_author_url", comment.AuthorUrl ?? "");
        WpData(xml, "comment_author_IP", comment.IpPrefix ?? "");
        WpData(xml, "comment_date", LocalDate(comment.CreatedAt));
        WpData(xml, "comment_date_gmt", comment.CreatedAt.ToString(WordPressDateFormat, CultureInfo.InvariantCulture));
        WpData(xml, "comment_content", comment.BodyHtml);
        WpData(xml, "comment_approved", comment.Status switch
        {
            CommentStatus.Approved => "1",
            CommentStatus.Spam => "spam",
            CommentStatus.Trash => "trash",
            _ => "0",
        });
        WpData(xml, "comment_type", "comment");
        Wp(xml, "comment_parent", comment.ParentId is { } parent ? Number(parent) : "0");
        Wp(xml, "comment_user_id", "0");
        xml.WriteEndElement();
    }

    private void WriteAttachment(XmlWriter xml, Article article, long id, string root)
    {
        var path = article.FeaturedImagePath!;
        var url = Uri.TryCreate(path, UriKind.Absolute, out _) ? path : root + "/" + path.TrimStart('/');
        var name = Path.GetFileNameWithoutExtension(new Uri(url).AbsolutePath);
        var date = article.PublishedAt ?? article.CreatedAt;
        xml.WriteStartElement("item");
        Data(xml, "title", name);
        xml.WriteElementString("link", url);
        xml.WriteElementString("pubDate", Rfc822(date));
        xml.WriteStartElement("dc", "creator", WxrNamespaces.Dc.NamespaceName);
        CData(xml, "");
        xml.WriteEndElement();
        xml.WriteStartElement("guid");
        xml.WriteAttributeString("isPermaLink", "false");
        xml.WriteString(url);
        xml.WriteEndElement();
        xml.WriteElementString("description", "");
        xml.WriteStartElement("content", "encoded", WxrNamespaces.Content.NamespaceName);
        CData(xml, "");
        xml.WriteEndElement();
        xml.WriteStartElement("excerpt", "encoded", ExcerptNamespace);
        CData(xml, article.FeaturedImageCaption ?? "");
        xml.WriteEndElement();
        Wp(xml, "post_id", Number(id));
        WpData(xml, "post_date", LocalDate(date));
        WpData(xml, "post_date_gmt", date.ToString(WordPressDateFormat, CultureInfo.InvariantCulture));
        WpData(xml, "comment_status", "closed");
        WpData(xml, "ping_status", "closed");
        WpData(xml, "post_name", Infrastructure.Text.Slugs.From(name));
        WpData(xml, "status", "inherit");
        Wp(xml, "post_parent", Number(article.Id));
        Wp(xml, "menu_order", "0");
        WpData(xml, "post_type", "attachment");
        WpData(xml, "post_password", "");
        Wp(xml, "is_sticky", "0");
        WpData(xml, "attachment_url", url);
        if (article.FeaturedImageAlt is { Length: > 0 } alt)
        {
            PostMeta(xml, "_wp_attachment_image_alt", alt);
        }

        xml.WriteEndElement();
    }

    private static void Category(XmlWriter xml, string domain, string slug, string name)
    {
        xml.WriteStartElement("category");
        xml.WriteAttributeString("domain", domain);
        xml.WriteAttributeString("nicename", Clean(slug));
        CData(xml, name);
        xml.WriteEndElement();
    }

    private static void PostMeta(XmlWriter xml, string key, string value)
    {
        xml.WriteStartElement("wp", "postmeta", WpNamespace);
        WpData(xml, "meta_key", key);
        WpData(xml, "meta_value", value);
        xml.WriteEndElement();
    }

    private static void Wp(XmlWriter xml, string name, string value) => xml.WriteElementString("wp", name, WpNamespace, Clean(value));

    private static void WpData(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("wp", name, WpNamespace);
        CData(xml, value);
        xml.WriteEndElement();
    }

    private static void Data(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement(name);
        CData(xml, value);
        xml.WriteEndElement();
    }

    /// <summary>Text as CDATA, like WordPress writes it; a "]]&gt;" inside is split across two sections.</summary>
    private static void CData(XmlWriter xml, string text)
    {
        var parts = Clean(text).Split("]]>");
        for (var i = 0; i < parts.Length; i++)
        {
            xml.WriteCData((i > 0 ? ">" : "") + parts[i] + (i < parts.Length - 1 ? "]]" : ""));
        }
    }

    /// <summary>Characters XML 1.0 cannot carry (most control characters) are dropped rather than failing the export.</summary>
    private static string Clean(string text)
    {
        if (text.All(c => XmlConvert.IsXmlChar(c)))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i]))
            {
                builder.Append(text[i]);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                builder.Append(text[i]).Append(text[i + 1]);
                i++;
            }
        }

        return builder.ToString();
    }

    private string LocalDate(DateTime utc) => clock.ToLocal(utc).ToString(WordPressDateFormat, CultureInfo.InvariantCulture);

    private static string Rfc822(DateTime utc) => utc.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Status(ArticleStatus status) => status switch
    {
        ArticleStatus.Published => "publish",
        ArticleStatus.Scheduled => "future",
        ArticleStatus.PendingReview => "pending",
        ArticleStatus.Unpublished => "private",
        _ => "draft",
    };
}

using Broadsheet.Articles;
using Broadsheet.Comments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Broadsheet.Import.Wxr;

/// <summary>
/// An article that came from a WordPress post or page. Keyed by the blog's address and the post
/// id, so importing a file again finds what it already made, and <c>/?p=ID</c> and <c>/slug/</c>
/// (the old WordPress links) can answer with the article's address here.
/// </summary>
public sealed class WordPressPostLink
{
    /// <summary>The blog's <c>wp:base_site_url</c> (lower-case, no trailing slash): ids of two blogs never clash.</summary>
    public required string Site { get; set; }

    public long WordPressId { get; set; }

    /// <summary><c>post</c> or <c>page</c>; exported back as the same type.</summary>
    public required string PostType { get; set; }

    /// <summary>The post's <c>wp:post_name</c> as WordPress had it (decoded), for <c>/slug/</c> links.</summary>
    public required string Slug { get; set; }

    public int ArticleId { get; set; }
    public Article? Article { get; set; }
}

/// <summary>A comment that came from a WordPress comment (keyed like <see cref="WordPressPostLink"/>).</summary>
public sealed class WordPressCommentLink
{
    public required string Site { get; set; }
    public long WordPressId { get; set; }
    public int CommentId { get; set; }
    public Comment? Comment { get; set; }
}

internal sealed class WordPressPostLinkConfiguration : IEntityTypeConfiguration<WordPressPostLink>
{
    public void Configure(EntityTypeBuilder<WordPressPostLink> link)
    {
        link.ToTable("WordPressPostLinks");
        link.HasKey(l => new { l.Site, l.WordPressId });
        link.Property(l => l.Site).HasMaxLength(200);
        link.Property(l => l.PostType).HasMaxLength(20);
        link.Property(l => l.Slug).HasMaxLength(200);
        link.HasOne(l => l.Article).WithMany().HasForeignKey(l => l.ArticleId).OnDelete(DeleteBehavior.Cascade);
        // `/?p=ID` knows no site; `/slug/` knows only the slug.
        link.HasIndex(l => l.WordPressId);
        link.HasIndex(l => l.Slug);
        link.HasIndex(l => l.ArticleId);
    }
}

internal sealed class WordPressCommentLinkConfiguration : IEntityTypeConfiguration<WordPressCommentLink>
{
    public void Configure(EntityTypeBuilder<WordPressCommentLink> link)
    {
        link.ToTable("WordPressCommentLinks");
        link.HasKey(l => new { l.Site, l.WordPressId });
        link.Property(l => l.Site).HasMaxLength(200);
        link.HasOne(l => l.Comment).WithMany().HasForeignKey(l => l.CommentId).OnDelete(DeleteBehavior.Cascade);
        link.HasIndex(l => l.CommentId);
    }
}

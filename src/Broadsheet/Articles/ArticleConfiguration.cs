using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Broadsheet.Articles;

internal sealed class ArticleConfiguration : IEntityTypeConfiguration<Article>
{
    /// <summary>The join table of articles and their topics (tags), an entity without a class of its own.</summary>
    public const string TopicLinks = "ArticleTags";

    /// <summary>Its column naming the article (EF's convention for the skip navigation).</summary>
    public const string TopicLinkArticle = "ArticlesId";

    /// <summary>Its column naming the topic.</summary>
    public const string TopicLinkTag = "TagsId";

    public void Configure(EntityTypeBuilder<Article> article)
    {
        article.Property(a => a.Slug).HasMaxLength(200);
        article.HasIndex(a => a.Slug).IsUnique();
        article.Property(a => a.Headline).HasMaxLength(300);
        article.Property(a => a.Dek).HasMaxLength(600);
        article.Property(a => a.CorrectionsNote).HasMaxLength(4000);
        article.Property(a => a.FeaturedImagePath).HasMaxLength(400);
        article.Property(a => a.FeaturedImageAlt).HasMaxLength(400);
        article.Property(a => a.FeaturedImageCaption).HasMaxLength(1000);

        // Listings walk these indexes newest first (keyset pagination on PublishedAt, Id).
        article.HasIndex(a => new { a.Status, a.PublishedAt, a.Id });
        article.HasIndex(a => new { a.SectionId, a.Status, a.PublishedAt, a.Id });

        article.Property(a => a.ConcurrencyStamp).HasMaxLength(32).IsConcurrencyToken();
        article.Property(a => a.CreatedByUserId).HasMaxLength(64);
        article.Property(a => a.DraftKey).HasMaxLength(Editing.ArticleEdit.DraftKeyLength);
        article.HasIndex(a => a.DraftKey);
        article.Property(a => a.UpdatedByName).HasMaxLength(256);
        article.HasOne(a => a.Section).WithMany().OnDelete(DeleteBehavior.SetNull);
        article.HasMany(a => a.Tags).WithMany(t => t.Articles).UsingEntity(TopicLinks);
    }
}

internal sealed class BylineConfiguration : IEntityTypeConfiguration<Byline>
{
    public void Configure(EntityTypeBuilder<Byline> byline)
    {
        byline.HasKey(b => new { b.ArticleId, b.AuthorId });
        byline.HasOne(b => b.Article).WithMany(a => a.Bylines).OnDelete(DeleteBehavior.Cascade);
        byline.HasOne(b => b.Author).WithMany().OnDelete(DeleteBehavior.Restrict);
        byline.HasIndex(b => b.AuthorId);
    }
}

internal sealed class AuthorConfiguration : IEntityTypeConfiguration<Author>
{
    public void Configure(EntityTypeBuilder<Author> author)
    {
        author.Property(a => a.Name).HasMaxLength(200);
        author.Property(a => a.Slug).HasMaxLength(200);
        author.HasIndex(a => a.Slug).IsUnique();
        author.Property(a => a.Bio).HasMaxLength(4000);
        author.Property(a => a.PhotoPath).HasMaxLength(400);
    }
}

internal sealed class AuthorSlugHistoryConfiguration : IEntityTypeConfiguration<AuthorSlugHistory>
{
    public void Configure(EntityTypeBuilder<AuthorSlugHistory> history)
    {
        history.HasKey(h => h.Slug);
        history.Property(h => h.Slug).HasMaxLength(200);
        history.HasOne<Author>().WithMany().HasForeignKey(h => h.AuthorId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SectionConfiguration : IEntityTypeConfiguration<Section>
{
    public void Configure(EntityTypeBuilder<Section> section)
    {
        section.Property(s => s.Name).HasMaxLength(100);
        section.Property(s => s.Slug).HasMaxLength(100);
        section.HasIndex(s => s.Slug).IsUnique();
    }
}

internal sealed class TagConfiguration : IEntityTypeConfiguration<Tag>
{
    public void Configure(EntityTypeBuilder<Tag> tag)
    {
        tag.Property(t => t.Name).HasMaxLength(100);
        tag.Property(t => t.Slug).HasMaxLength(100);
        tag.HasIndex(t => t.Slug).IsUnique();
    }
}

internal sealed class ArticleRevisionConfiguration : IEntityTypeConfiguration<ArticleRevision>
{
    public void Configure(EntityTypeBuilder<ArticleRevision> revision)
    {
        revision.Property(r => r.UserName).HasMaxLength(256);
        revision.Property(r => r.Headline).HasMaxLength(300);
        revision.Property(r => r.Dek).HasMaxLength(600);
        revision.Property(r => r.CorrectionsNote).HasMaxLength(4000);
        revision.HasOne(r => r.Article).WithMany().HasForeignKey(r => r.ArticleId).OnDelete(DeleteBehavior.Cascade);
        revision.HasIndex(r => new { r.ArticleId, r.Id });
    }
}

internal sealed class ArticleSlugHistoryConfiguration : IEntityTypeConfiguration<ArticleSlugHistory>
{
    public void Configure(EntityTypeBuilder<ArticleSlugHistory> history)
    {
        history.HasKey(h => h.Slug);
        history.Property(h => h.Slug).HasMaxLength(200);
        history.HasOne<Article>().WithMany().HasForeignKey(h => h.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}

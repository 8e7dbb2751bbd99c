using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Broadsheet.Comments;

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> comment)
    {
        comment.Property(c => c.AuthorName).HasMaxLength(CommentLimits.Name);
        comment.Property(c => c.AuthorEmail).HasMaxLength(CommentLimits.Email);
        comment.Property(c => c.AuthorUrl).HasMaxLength(CommentLimits.Url);
        comment.Property(c => c.AvatarKey).HasMaxLength(64);
        comment.Property(c => c.BodyText).HasMaxLength(CommentLimits.Text);
        comment.Property(c => c.StatusReason).HasMaxLength(200);
        comment.Property(c => c.IpPrefix).HasMaxLength(64);
        comment.Property(c => c.IpHash).HasMaxLength(64);
        comment.Property(c => c.Fingerprint).HasMaxLength(64);
        comment.Property(c => c.UserAgent).HasMaxLength(300);
        comment.Property(c => c.StaffUserId).HasMaxLength(450);

        comment.HasOne(c => c.Article).WithMany().OnDelete(DeleteBehavior.Cascade);
        comment.HasOne(c => c.Parent).WithMany().OnDelete(DeleteBehavior.Restrict);

        // A page of threads: top-level approved comments of an article in order, then their replies.
        comment.HasIndex(c => new { c.ArticleId, c.Status, c.ParentId, c.CreatedAt, c.Id });
        comment.HasIndex(c => new { c.ThreadRootId, c.Status });
        // Rate limits and history look up a commenter's or an address's latest comments.
        comment.HasIndex(c => new { c.AvatarKey, c.CreatedAt });
        comment.HasIndex(c => new { c.IpHash, c.CreatedAt });
        // "Has this commenter an approved comment?" (first-time commenters, moderators' history) on
        // every post: without it SQLite reads that through the status index, i.e. every approved comment.
        comment.HasIndex(c => new { c.AvatarKey, c.Status });
        // An article's comment feed, newest first: without it SQLite prefers the (Status, CreatedAt)
        // order and reads the whole site's approved comments to find one article's.
        comment.HasIndex(c => new { c.ArticleId, c.Status, c.CreatedAt });
        comment.HasIndex(c => new { c.ArticleId, c.Fingerprint });
        comment.HasIndex(c => new { c.Status, c.CreatedAt });
    }
}

internal sealed class CommentReportConfiguration : IEntityTypeConfiguration<CommentReport>
{
    public void Configure(EntityTypeBuilder<CommentReport> report)
    {
        report.Property(r => r.Note).HasMaxLength(1000);
        report.Property(r => r.IpHash).HasMaxLength(64);
        report.HasOne(r => r.Comment).WithMany(c => c.Reports).OnDelete(DeleteBehavior.Cascade);
        report.HasIndex(r => new { r.CommentId, r.IpHash });
    }
}

/// <summary>WordPress's field limits, so imported comments always fit.</summary>
public static class CommentLimits
{
    public const int Name = 245;
    public const int Email = 100;
    public const int Url = 200;
    public const int Text = 65525;
}

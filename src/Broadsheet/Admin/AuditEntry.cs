using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Broadsheet.Admin;

/// <summary>Who did what to which thing, when and from where. Written with the change it records; never edited.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string? UserId { get; set; }
    public required string UserName { get; set; }

    /// <summary>What was done, e.g. "comment.approve", "account.setup", "account.sign-in-failed".</summary>
    public required string Action { get; set; }

    /// <summary>"comment", "article", "account"…, and its id.</summary>
    public string? TargetType { get; set; }
    public string? TargetId { get; set; }
    public string? Details { get; set; }

    /// <summary>Truncated like commenters' addresses.</summary>
    public string? IpPrefix { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.Property(e => e.UserId).HasMaxLength(64);
        entry.Property(e => e.UserName).HasMaxLength(256);
        entry.Property(e => e.Action).HasMaxLength(64);
        entry.Property(e => e.TargetType).HasMaxLength(32);
        entry.Property(e => e.TargetId).HasMaxLength(64);
        entry.Property(e => e.Details).HasMaxLength(2000);
        entry.Property(e => e.IpPrefix).HasMaxLength(64);
        entry.HasIndex(e => e.At);
        entry.HasIndex(e => new { e.TargetType, e.TargetId });
    }
}

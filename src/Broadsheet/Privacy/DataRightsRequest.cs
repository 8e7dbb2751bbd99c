using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Broadsheet.Privacy;

/// <summary>
/// A link emailed to a commenter so they can download or erase their comments. Only a hash of the
/// link's token is stored (a database leak gives no working link) and the commenter is known by
/// their avatar key (<see cref="Comments.CommentDerivedFields.AvatarKey"/>), not by their address.
/// </summary>
public sealed class DataRightsRequest
{
    public int Id { get; set; }
    public required string TokenHash { get; set; }
    public required string CommenterKey { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }

    /// <summary>When the link was used; a link works once.</summary>
    public DateTime? UsedAt { get; set; }

    /// <summary>Keyed hash of the requester's address, for the per-address limit.</summary>
    public string? IpHash { get; set; }
}

/// <summary>
/// The record that an erasure happened (for the newsroom's accountability), deliberately without
/// the email or anything else that would identify whose comments they were.
/// </summary>
public sealed class CommenterErasure
{
    public int Id { get; set; }
    public DateTime ErasedAt { get; set; }

    /// <summary>"commenter" (through an emailed link) or "staff: {name}".</summary>
    public required string RequestedBy { get; set; }

    public int CommentsDeleted { get; set; }
    public int CommentsAnonymised { get; set; }
}

internal sealed class DataRightsRequestConfiguration : IEntityTypeConfiguration<DataRightsRequest>
{
    public void Configure(EntityTypeBuilder<DataRightsRequest> request)
    {
        request.Property(r => r.TokenHash).HasMaxLength(64);
        request.Property(r => r.CommenterKey).HasMaxLength(64);
        request.Property(r => r.IpHash).HasMaxLength(64);
        request.HasIndex(r => r.TokenHash).IsUnique();
        request.HasIndex(r => new { r.CommenterKey, r.CreatedAt });
        request.HasIndex(r => new { r.IpHash, r.CreatedAt });
    }
}

internal sealed class CommenterErasureConfiguration : IEntityTypeConfiguration<CommenterErasure>
{
    public void Configure(EntityTypeBuilder<CommenterErasure> erasure) =>
        erasure.Property(e => e.RequestedBy).HasMaxLength(200);
}

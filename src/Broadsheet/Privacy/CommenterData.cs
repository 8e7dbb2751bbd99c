using System.Text.Json;
using System.Text.Json.Serialization;
using Broadsheet.Comments;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Broadsheet.Privacy;

/// <summary>
/// Everything the site holds about one commenter (their comments and what is stored with them),
/// as a summary, as a JSON download, or erased. Staff replies from the moderation desk are the
/// newsroom's words, linked to a staff account, and not part of any reader's data (replies from
/// before they stopped storing an email still carry a key made from the staff member's email). Used by the commenter's emailed link and by
/// Administrators in the admin.
/// </summary>
public sealed class CommenterData(
    BroadsheetDbContext db, SiteKeys keys, ContentCache cache, IOptions<PrivacyOptions> options, TimeProvider time)
{
    /// <summary>What a comment removed at its author's request says, when others' replies keep it in the thread.</summary>
    public const string RemovedText = "This comment was removed at its author's request.";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // A download for people to read, never embedded in a page: apostrophes and accents as they are.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The commenter's own comments: staff replies never count as a reader's data.</summary>
    private IQueryable<Comment> ReadersComments(string commenterKey) =>
        db.Comments.Where(c => c.AvatarKey == commenterKey && c.StaffUserId == null);

    public async Task<CommenterSummary> SummarizeAsync(string commenterKey, CancellationToken cancellationToken)
    {
        var byStatus = await ReadersComments(commenterKey).AsNoTracking()
            .GroupBy(c => c.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var articles = await ReadersComments(commenterKey).AsNoTracking()
            .Select(c => c.ArticleId)
            .Distinct()
            .CountAsync(cancellationToken);
        return new CommenterSummary(
            byStatus.Sum(s => s.Count),
            byStatus.Where(s => s.Status == CommentStatus.Approved).Sum(s => s.Count),
            articles);
    }

    /// <summary>The commenter's comments with every field stored with them, as an indented JSON document.</summary>
    public async Task<byte[]> ExportAsync(string commenterKey, CancellationToken cancellationToken)
    {
        var comments = await ReadersComments(commenterKey).AsNoTracking()
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .Select(c => new ExportedComment(
                c.Id,
                CommentPermalinks.For(c.Id),
                c.Article!.Headline,
                c.ParentId,
                c.AuthorName,
                c.AuthorEmail,
                c.AuthorUrl,
                c.BodyText,
                c.Status,
                c.CreatedAt,
                c.IpPrefix,
                c.UserAgent))
            .ToListAsync(cancellationToken);
        var export = new CommenterExport(
            time.GetUtcNow().UtcDateTime,
            "Every comment this site holds for your email address, with what is stored with it. Your full network address is not stored: only a shortened prefix, and a one-way keyed hash used for rate limits.",
            comments);
        return JsonSerializer.SerializeToUtf8Bytes(export, Json);
    }

    /// <summary>
    /// Erases the commenter's comments as the site's <see cref="PrivacyOptions.Erasure"/> setting says,
    /// in one transaction, records that an erasure happened (without whose), and refreshes the pages
    /// that showed them.
    /// </summary>
    public async Task<CommenterErasure> EraseAsync(string commenterKey, string requestedBy, CancellationToken cancellationToken)
    {
        var comments = await ReadersComments(commenterKey).ToListAsync(cancellationToken);
        var ids = comments.Select(c => c.Id).ToList();
        // Comments that other people answered stay in the thread (emptied) so the answers keep their context.
        var answered = (await db.Comments.AsNoTracking()
                .Where(r => r.ParentId != null && ids.Contains(r.ParentId.Value) && r.AvatarKey != commenterKey)
                .Select(r => r.ParentId!.Value)
                .Distinct()
                .ToListAsync(cancellationToken))
            .ToHashSet();
        // ...and so do their own comments above a kept one, or the kept one would point at nothing.
        var byId = comments.ToDictionary(c => c.Id);
        foreach (var keptId in answered.ToList())
        {
            for (var parentId = byId[keptId].ParentId; parentId is { } id && byId.TryGetValue(id, out var parent); parentId = parent.ParentId)
            {
                answered.Add(id);
            }
        }

        var erasure = new CommenterErasure { ErasedAt = time.GetUtcNow().UtcDateTime, RequestedBy = requestedBy };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var comment in comments)
        {
            if (options.Value.Erasure == ErasureMode.Delete && !answered.Contains(comment.Id))
            {
                db.Comments.Remove(comment);
                erasure.CommentsDeleted++;
                continue;
            }

            Anonymise(comment, removeText: options.Value.Erasure == ErasureMode.Delete);
            erasure.CommentsAnonymised++;
        }

        db.CommenterErasures.Add(erasure);
        await db.SaveChangesAsync(cancellationToken);
        var articles = comments.Select(c => c.ArticleId).Distinct().ToList();
        foreach (var articleId in articles)
        {
            await CommentCounts.RecountAsync(db, articleId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await cache.CommentsChangedAsync(articles, cancellationToken);
        return erasure;
    }

    private void Anonymise(Comment comment, bool removeText)
    {
        comment.AuthorName = "Former reader";
        comment.AuthorEmail = "";
        comment.AuthorUrl = null;
        // A fresh random key: the comment no longer belongs to anyone's history or avatar.
        comment.AvatarKey = keys.Hash("erased", Guid.NewGuid().ToString("N"));
        comment.IpPrefix = null;
        comment.IpHash = null;
        comment.UserAgent = null;
        if (removeText)
        {
            comment.BodyText = RemovedText;
            comment.BodyHtml = $"<p>{RemovedText}</p>";
        }
    }
}

public sealed record CommenterSummary(int Comments, int Published, int Articles);

public sealed record CommenterExport(DateTime ExportedAt, string About, IReadOnlyList<ExportedComment> Comments);

public sealed record ExportedComment(
    int Id,
    string Permalink,
    string Article,
    int? InReplyTo,
    string Name,
    string Email,
    string? Website,
    string Text,
    CommentStatus Status,
    DateTime PostedAt,
    string? NetworkAddressPrefix,
    string? Browser);

using System.Globalization;
using System.Security.Claims;
using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Caching;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Text;
using Broadsheet.Media;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles.Bylines;

/// <summary>What the byline form sends.</summary>
public sealed class BylineEdit
{
    public string Name { get; set; } = "";

    /// <summary>Plain text; a blank line starts a new paragraph on the author page.</summary>
    public string? Bio { get; set; }

    /// <summary>A photo uploaded with this form but not saved yet (<c>/media/…</c>), so a form refused for another reason keeps it.</summary>
    public string? PhotoUpload { get; set; }

    public bool RemovePhoto { get; set; }

    /// <summary>The staff account that writes as this byline; empty for none. Only Editors and Administrators set it.</summary>
    public string? StaffUserId { get; set; }
}

/// <summary>
/// One byline: its name, bio and photo (shown on the public author page) and the staff account
/// linked to it. Editors and Administrators edit any; everyone else only the bylines linked to them,
/// and they cannot change the link. Saving evicts the cached pages that show the byline.
/// </summary>
[Authorize(Policy = Permissions.WriteArticles)]
public sealed class AuthorPageModel(
    BroadsheetDbContext db, MediaStore media, ContentCache cache, ContentVersion contentVersion, AuditLog audit) : StaffPageModel
{
    public const int MaxNameLength = 200;
    public const int MaxBioLength = 4000;

    [BindProperty]
    public BylineEdit Edit { get; set; } = new();

    [BindProperty]
    public IFormFile? Photo { get; set; }

    public Author Current { get; private set; } = null!;

    public bool CanEditAll { get; private set; }

    /// <summary>Staff accounts a byline can be linked to (Editors and Administrators only).</summary>
    public IReadOnlyList<(string Id, string Name, string Email)> StaffChoices { get; private set; } = [];

    /// <summary>The photo the author page will show if saved now: a pending upload, or the one it has.</summary>
    public string? ShownPhoto => Edit.RemovePhoto ? null : Edit.PhotoUpload is { Length: > 0 } upload ? upload : Current.PhotoPath;

    public string PhotoLimit => media.LimitText;

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        Edit = new BylineEdit { Name = Current.Name, Bio = Current.Bio, StaffUserId = Current.StaffUserId };
        await PrepareAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (Photo is { Length: > 0 } file)
        {
            ImageUploadOutcome stored;
            await using (var content = file.OpenReadStream())
            {
                stored = await media.SaveImageAsync(content, cancellationToken);
            }

            if (stored is ImageUploadOutcome.Refused problem)
            {
                return await RefuseAsync(nameof(Photo), problem.Problem, cancellationToken);
            }

            // The form shows what was posted unless told otherwise; the hidden field must carry the new upload.
            Edit.PhotoUpload = ((ImageUploadOutcome.Stored)stored).Url;
            Edit.RemovePhoto = false;
            ModelState.Remove($"{nameof(Edit)}.{nameof(Edit.PhotoUpload)}");
            ModelState.Remove($"{nameof(Edit)}.{nameof(Edit.RemovePhoto)}");
        }

        var name = (Edit.Name ?? "").Trim();
        var slug = Slugs.From(name);
        var bio = string.IsNullOrWhiteSpace(Edit.Bio) ? null : Edit.Bio.Trim().ReplaceLineEndings("\n");
        if (name.Length == 0)
        {
            return await RefuseAsync("Edit.Name", "Enter the name readers see in the byline.", cancellationToken);
        }

        if (name.Length > MaxNameLength)
        {
            return await RefuseAsync("Edit.Name", $"The name is too long: at most {MaxNameLength} characters.", cancellationToken);
        }

        if (slug.Length == 0)
        {
            return await RefuseAsync("Edit.Name", "The name needs at least one letter or digit: it makes the author page's address.", cancellationToken);
        }

        // The editor finds bylines by the slug of the typed name, so a renamed byline takes the new name's slug.
        if (slug != Current.Slug && await db.Authors.AnyAsync(a => a.Slug == slug && a.Id != Current.Id, cancellationToken))
        {
            return await RefuseAsync("Edit.Name", $"Another byline already has this name (its page is {ArticleLinks.Author(slug)}). Choose a different name.", cancellationToken);
        }

        if (bio?.Length > MaxBioLength)
        {
            return await RefuseAsync("Edit.Bio", $"The bio is too long: at most {MaxBioLength:N0} characters.", cancellationToken);
        }

        var photo = Edit.RemovePhoto ? null : Current.PhotoPath;
        if (!Edit.RemovePhoto && !string.IsNullOrEmpty(Edit.PhotoUpload))
        {
            // Only an image this site stored: the hidden field is the poster's to change.
            if (media.FileFor(Edit.PhotoUpload) is null)
            {
                return await RefuseAsync(nameof(Photo), "The uploaded photo could not be found: please choose the file again.", cancellationToken);
            }

            photo = Edit.PhotoUpload;
        }

        var staffUserId = Current.StaffUserId;
        if (CanEditAll)
        {
            staffUserId = string.IsNullOrEmpty(Edit.StaffUserId) ? null : Edit.StaffUserId;
            if (staffUserId is not null && !await db.Users.AnyAsync(u => u.Id == staffUserId, cancellationToken))
            {
                return await RefuseAsync("Edit.StaffUserId", "That staff account no longer exists: choose another.", cancellationToken);
            }
        }

        var changes = Changes(name, slug, bio, photo, staffUserId);
        if (changes.Count == 0)
        {
            Message = "Nothing changed.";
            return Redirect($"/admin/authors/{Current.Id}");
        }

        var oldSlug = Current.Slug;
        Current.Name = name;
        Current.Slug = slug;
        Current.Bio = bio;
        Current.PhotoPath = photo;
        Current.StaffUserId = staffUserId;
        if (slug != oldSlug)
        {
            await KeepOldAddressAsync(oldSlug, slug, cancellationToken);
        }

        audit.Record("author.edit", "author", Current.Id.ToString(CultureInfo.InvariantCulture), $"{name}: {string.Join(", ", changes)}");
        contentVersion.Stamp(db);
        await db.SaveChangesAsync(cancellationToken);
        await cache.AuthorChangedAsync(oldSlug, cancellationToken);
        Message = slug == oldSlug ? "Saved." : $"Saved. The author page's address is now {ArticleLinks.Author(slug)}; the old one redirects there.";
        return Redirect($"/admin/authors/{Current.Id}");
    }

    private List<string> Changes(string name, string slug, string? bio, string? photo, string? staffUserId)
    {
        var changes = new List<string>();
        if (name != Current.Name)
        {
            changes.Add($"name \"{Current.Name}\" → \"{name}\"");
        }

        if (slug != Current.Slug)
        {
            changes.Add($"address {ArticleLinks.Author(Current.Slug)} → {ArticleLinks.Author(slug)}");
        }

        if (bio != Current.Bio)
        {
            changes.Add("bio");
        }

        if (photo != Current.PhotoPath)
        {
            changes.Add(photo is null ? "photo removed" : $"photo {photo}");
        }

        if (staffUserId != Current.StaffUserId)
        {
            changes.Add(staffUserId is null ? "unlinked from its staff account" : $"linked to staff account {staffUserId}");
        }

        return changes;
    }

    /// <summary>
    /// A renamed byline's old address (and its feeds) answers 301 with the new one, as an article's
    /// old slug does: links and feed subscriptions elsewhere keep working. The old slug now belongs
    /// to this byline whoever had it before; the new one stops redirecting (a byline renamed back,
    /// or named as another's former name, has the address itself now).
    /// </summary>
    private async Task KeepOldAddressAsync(string oldSlug, string newSlug, CancellationToken cancellationToken)
    {
        var history = await db.AuthorSlugHistory.Where(h => h.Slug == oldSlug || h.Slug == newSlug).ToListAsync(cancellationToken);
        db.AuthorSlugHistory.RemoveRange(history.Where(h => h.Slug == newSlug));
        if (history.FirstOrDefault(h => h.Slug == oldSlug) is { } earlier)
        {
            earlier.AuthorId = Current.Id;
        }
        else
        {
            db.AuthorSlugHistory.Add(new AuthorSlugHistory { Slug = oldSlug, AuthorId = Current.Id });
        }
    }

    /// <summary>The author, if it exists and the signed-in person may edit it; otherwise the answer to give (404 or 403).</summary>
    private async Task<IActionResult?> FindAsync(int id, CancellationToken cancellationToken)
    {
        if (await db.Authors.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) is not { } author)
        {
            return NotFound();
        }

        Current = author;
        CanEditAll = Permissions.Has(User, Permissions.EditAllBylines);
        return CanEditAll || (author.StaffUserId is not null && author.StaffUserId == User.FindFirstValue(ClaimTypes.NameIdentifier)) ? null : Forbid();
    }

    private async Task<IActionResult> RefuseAsync(string field, string problem, CancellationToken cancellationToken)
    {
        ModelState.AddModelError(field, problem);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await PrepareAsync(cancellationToken);
        return Page();
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        Title = $"Author: {Current.Name}";
        if (CanEditAll)
        {
            StaffChoices = (await db.Users.AsNoTracking().OrderBy(u => u.DisplayName)
                    .Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(cancellationToken))
                .Select(u => (u.Id, u.DisplayName, u.Email ?? "")).ToList();
        }
    }
}

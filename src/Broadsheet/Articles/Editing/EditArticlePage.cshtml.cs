using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Infrastructure.Text;
using Broadsheet.Media;
using Broadsheet.Site;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Articles.Editing;

/// <summary>Write or edit an article: Markdown with a preview from the same renderer as the public page.</summary>
[Authorize(Policy = Permissions.WriteArticles)]
public sealed class EditArticlePageModel(
    BroadsheetDbContext db, ArticleEditor editor, ArticleHtmlRenderer renderer, MediaStore media, SiteClock clock) : StaffPageModel
{
    [BindProperty]
    public ArticleEdit Edit { get; set; } = new();

    /// <summary>A featured image chosen in the form's file input (the form is multipart).</summary>
    [BindProperty]
    public IFormFile? FeaturedImage { get; set; }

    /// <summary>The image the article will show if saved now: a pending upload, or the one it has.</summary>
    public string? ShownImage => Edit.RemoveFeaturedImage ? null : Edit.FeaturedImageUpload is { Length: > 0 } upload ? upload : Current?.FeaturedImagePath;

    public string ImageLimit => media.LimitText;

    public Article? Current { get; private set; }

    public IReadOnlyList<string> Sections { get; private set; } = [];

    public string PreviewHtml { get; private set; } = "";

    public string? Problem { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public bool CanPublish => Permissions.Has(User, Permissions.PublishArticles);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out var parsed))
        {
            return NotFound();
        }

        if (parsed is { } articleId)
        {
            if (!await LoadAsync(articleId, cancellationToken))
            {
                return NotFound();
            }

            if (!await editor.MayEditAsync(User, articleId, cancellationToken))
            {
                return Forbid();
            }

            Edit = ToEdit(Current!);
        }
        else
        {
            Edit = new ArticleEdit { CommentsOpen = true, DraftKey = ArticleEdit.NewDraftKey() };
        }

        await PrepareAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, string? action, CancellationToken cancellationToken)
    {
        LeaveTextChecksToTheEditor();
        if (!TryParseId(id, out var articleId) || (articleId is { } existing && !await LoadAsync(existing, cancellationToken)))
        {
            return NotFound();
        }

        if (ModelState[$"{nameof(Edit)}.{nameof(ArticleEdit.PublishAtLocal)}"] is { Errors.Count: > 0 } publishAt)
        {
            // Ignored, a mistyped time would have published at once: say so instead, in the newsroom's words.
            publishAt.Errors.Clear();
            ModelState.AddModelError($"{nameof(Edit)}.{nameof(ArticleEdit.PublishAtLocal)}",
                "Enter the date and time to publish at, like 2026-12-01 09:00, or leave it empty to publish now.");
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await PrepareAsync(cancellationToken);
            return Page();
        }

        if (FeaturedImage is { Length: > 0 } file)
        {
            ImageUploadOutcome stored;
            await using (var content = file.OpenReadStream())
            {
                stored = await media.SaveImageAsync(content, cancellationToken);
            }

            if (stored is ImageUploadOutcome.Refused refused)
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
                ModelState.AddModelError(nameof(FeaturedImage), refused.Problem);
                await PrepareAsync(cancellationToken);
                return Page();
            }

            // The form shows what was posted unless told otherwise; the hidden field must carry the new upload.
            Edit.FeaturedImageUpload = ((ImageUploadOutcome.Stored)stored).Url;
            Edit.RemoveFeaturedImage = false;
            ModelState.Remove($"{nameof(Edit)}.{nameof(Edit.FeaturedImageUpload)}");
            ModelState.Remove($"{nameof(Edit)}.{nameof(Edit.RemoveFeaturedImage)}");
        }

        if (action == "preview")
        {
            await PrepareAsync(cancellationToken);
            return Page();
        }

        if (!Enum.TryParse<EditorAction>(action, ignoreCase: true, out var editorAction) || !Enum.IsDefined(editorAction))
        {
            return BadRequest();
        }

        var outcome = await editor.SaveAsync(articleId, Edit, editorAction, User, cancellationToken);
        switch (outcome)
        {
            case EditOutcome.Saved saved:
                Message = saved.Article.Status switch
                {
                    ArticleStatus.Published => "Saved and published.",
                    ArticleStatus.Scheduled => "Saved and scheduled.",
                    ArticleStatus.PendingReview => "Saved and submitted for review.",
                    ArticleStatus.Unpublished => "Saved and unpublished.",
                    _ => "Saved as a draft.",
                };
                if (!string.IsNullOrWhiteSpace(Edit.Slug) && Slugs.From(Edit.Slug) is { Length: > 0 } wanted && wanted != saved.Article.Slug)
                {
                    // Another article has (or had) that address: say which one this article got instead.
                    Message += $" The slug “{wanted}” is taken, so this article's is “{saved.Article.Slug}”.";
                }

                return Redirect($"/admin/articles/{saved.Article.Id}");
            case EditOutcome.Forbidden forbidden:
                Response.StatusCode = StatusCodes.Status403Forbidden;
                Problem = forbidden.Reason;
                break;
            case EditOutcome.Conflict conflict:
                Response.StatusCode = StatusCodes.Status409Conflict;
                Problem = $"This article was changed by {conflict.ChangedBy ?? "someone else"} at {conflict.ChangedAt:yyyy-MM-dd HH:mm} UTC since you opened it, "
                    + "so your save was not applied. Your text is kept below: copy what you need, reload the article, and apply your changes again.";
                break;
            case EditOutcome.Invalid invalid:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                foreach (var (field, error) in invalid.Errors)
                {
                    ModelState.AddModelError($"{nameof(Edit)}.{field}", error);
                }

                break;
            default:
                return NotFound();
        }

        await PrepareAsync(cancellationToken);
        return Page();
    }

    /// <summary>
    /// The editor script's autosave (a fetch with the antiforgery token): JSON, never a page. 200
    /// with the new concurrency stamp and the draft's editor address (on a new article's page the
    /// first autosave creates the draft, and the script makes the page that draft's editor, so that
    /// Save updates it rather than making a second article); 200 with <c>saved: false</c> while a new
    /// article's form is empty; 409 when someone else saved meanwhile (the script stops and says so;
    /// the writer's text stays in the form); 400/403/404 otherwise.
    /// </summary>
    public async Task<IActionResult> OnPostAutosaveAsync(string id, CancellationToken cancellationToken)
    {
        LeaveTextChecksToTheEditor();
        if (!TryParseId(id, out var articleId))
        {
            return new JsonResult(new { saved = false, message = "This article no longer exists." }) { StatusCode = StatusCodes.Status404NotFound };
        }

        var outcome = await editor.AutosaveAsync(articleId, Edit, User, cancellationToken);
        return outcome switch
        {
            EditOutcome.Saved saved => new JsonResult(new
            {
                saved = true,
                id = saved.Article.Id,
                concurrencyStamp = saved.Article.ConcurrencyStamp,
                savedAt = saved.Article.UpdatedAt,
                editUrl = $"/admin/articles/{saved.Article.Id}",
                autosaveUrl = $"/admin/articles/{saved.Article.Id}?handler=autosave",
                message = $"Draft saved at {clock.ToLocal(saved.Article.UpdatedAt):HH:mm:ss}.",
            }),
            EditOutcome.NothingToSave => new JsonResult(new { saved = false, message = "" }),
            EditOutcome.Conflict conflict => new JsonResult(new
            {
                saved = false,
                message = $"Not saved automatically: {conflict.ChangedBy ?? "someone else"} changed this article at {conflict.ChangedAt:yyyy-MM-dd HH:mm} UTC. "
                    + "Your text is still in the form: copy what you need and reload.",
            }) { StatusCode = StatusCodes.Status409Conflict },
            EditOutcome.Invalid invalid => new JsonResult(new { saved = false, message = "Not saved automatically: " + string.Join(" ", invalid.Errors.Values), errors = invalid.Errors })
            { StatusCode = StatusCodes.Status400BadRequest },
            EditOutcome.Forbidden forbidden => new JsonResult(new { saved = false, message = forbidden.Reason }) { StatusCode = StatusCodes.Status403Forbidden },
            _ => new JsonResult(new { saved = false, message = "This article no longer exists." }) { StatusCode = StatusCodes.Status404NotFound },
        };
    }

    /// <summary>
    /// The headline and body are non-nullable strings, which MVC therefore marks required when empty,
    /// in words of its own ("The Headline field is required."). The editor decides instead: a body may
    /// be empty, an autosave may wait for a headline, and a save without one gets the editor's message.
    /// </summary>
    private void LeaveTextChecksToTheEditor()
    {
        foreach (var field in new[] { nameof(ArticleEdit.Headline), nameof(ArticleEdit.BodyMarkdown) })
        {
            ModelState[$"{nameof(Edit)}.{field}"]?.Errors.Clear();
        }
    }

    /// <summary>"new", or an article id.</summary>
    private static bool TryParseId(string id, out int? articleId)
    {
        articleId = null;
        if (id == "new")
        {
            return true;
        }

        if (int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            articleId = parsed;
            return true;
        }

        return false;
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        Current = await db.Articles.AsNoTracking()
            .Include(a => a.Bylines.OrderBy(b => b.Position)).ThenInclude(b => b.Author)
            .Include(a => a.Section).Include(a => a.Tags)
            .FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        return Current is not null;
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        Title = Current is null ? "New article" : $"Edit: {Current.Headline}";
        Sections = await db.Sections.AsNoTracking().OrderBy(s => s.Name).Select(s => s.Name).ToListAsync(cancellationToken);
        PreviewHtml = renderer.Render(Edit.BodyMarkdown ?? "");
    }

    private ArticleEdit ToEdit(Article article) => new()
    {
        Headline = article.Headline,
        Dek = article.Dek,
        Slug = article.Slug,
        BodyMarkdown = article.BodyMarkdown,
        Authors = string.Join(", ", article.Bylines.Select(b => b.Author!.Name)),
        Section = article.Section?.Name,
        Tags = string.Join(", ", article.Tags.OrderBy(t => t.Name).Select(t => t.Name)),
        CorrectionsNote = article.CorrectionsNote,
        CommentsOpen = article.CommentsOpen,
        FeaturedImageAlt = article.FeaturedImageAlt,
        FeaturedImageCaption = article.FeaturedImageCaption,
        PublishAtLocal = article.PublishedAt is { } published ? clock.ToLocal(published) : null,
        ConcurrencyStamp = article.ConcurrencyStamp,
    };
}

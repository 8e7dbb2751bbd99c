using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Broadsheet.Articles.Editing;

/// <summary>The editor's live preview: Markdown in, the public page's sanitized HTML out (antiforgery-checked like every staff post).</summary>
[Authorize(Policy = Permissions.WriteArticles)]
public sealed class PreviewPageModel(ArticleHtmlRenderer renderer) : StaffPageModel
{
    public string Html { get; private set; } = "";

    public IActionResult OnGet() => NotFound();

    public IActionResult OnPost([FromForm(Name = "markdown")] string? markdown)
    {
        Html = renderer.Render(markdown ?? "");
        return Content(Html, "text/html; charset=utf-8");
    }
}

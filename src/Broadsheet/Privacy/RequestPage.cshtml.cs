using Broadsheet.Comments;
using Broadsheet.Infrastructure.Email;
using Broadsheet.Site;
using Microsoft.AspNetCore.Mvc;

namespace Broadsheet.Privacy;

/// <summary>
/// Where a commenter asks for their data: they give the email they commented with and get a
/// single-use link to it. Never cached; the answer is the same whether or not the address commented.
/// </summary>
public sealed class RequestPageModel(DataRightsLinks links, SiteUrls urls, ILogger<RequestPageModel> logger) : SitePageModel
{
    [BindProperty(Name = "email")]
    public string? Email { get; set; }

    public string? EmailError { get; private set; }

    public string? Problem { get; private set; }

    public bool Sent { get; private set; }

    public string LinkLifetime => links.LifetimeText;

    public void OnGet() => Title = "Your comments and your data";

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Title = "Your comments and your data";
        var email = (Email ?? "").Trim();
        if (!CommentForm.IsEmail(email))
        {
            EmailError = "Please enter the email address you used when commenting, like name@example.com.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            if (await links.SendAsync(email, HttpContext.Connection.RemoteIpAddress, path => urls.ForEmail(Request, path), cancellationToken) is { } wait)
            {
                Problem = $"Too many links were asked for in the last hour. Please try again in {Math.Ceiling(wait / 60.0):0} minutes.";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Page();
            }
        }
        catch (Exception e) when (MailSender.IsDeliveryFailure(e))
        {
            logger.LogError(e, "Could not send a data-rights link");
            Problem = "We could not send the email just now. Please try again in a few minutes.";
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "300";
            return Page();
        }

        Sent = true;
        return Page();
    }
}

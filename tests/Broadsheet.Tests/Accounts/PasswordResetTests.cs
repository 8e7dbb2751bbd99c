using System.Net;
using Broadsheet.Accounts;
using Broadsheet.Tests.Infrastructure;

namespace Broadsheet.Tests.Accounts;

public sealed class PasswordResetTests(MailingFactory app) : IClassFixture<MailingFactory>
{
    private const string NewPassword = "a brand new passphrase";

    private async Task<string> RequestResetLinkAsync(string email)
    {
        var client = app.CreateReader();
        var login = await client.GetDocumentAsync("/admin/login");
        Assert.Equal("/admin/forgot-password", login.QuerySelector("a[href='/admin/forgot-password']")!.GetAttribute("href"));
        var form = await client.GetDocumentAsync("/admin/forgot-password");
        var response = await client.SubmitAsync(form, "main form", new Dictionary<string, string> { ["Email"] = email });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = await app.Smtp.NextMessageToAsync(email);
        return TestSmtpServer.LinkIn(message, "/admin/reset-password");
    }

    [Fact]
    public async Task ResetLink_SetsANewPassword_WorksOnce_AndEndsOtherSessions()
    {
        var email = await app.CreateStaffAsync(StaffRoles.Editor);
        var otherSession = app.CreateReader();
        Assert.Equal(HttpStatusCode.Redirect, (await otherSession.SignInAsync(email, StaffSessions.Password)).StatusCode);

        var link = await RequestResetLinkAsync(email);
        var client = app.CreateReader();
        var page = await client.GetDocumentAsync(link);
        var tooShort = await client.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Password"] = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        var saved = await client.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Password"] = NewPassword });

        Assert.Equal("/admin/login?reset=done", saved.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateReader().SignInAsync(email, NewPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateReader().SignInAsync(email, StaffSessions.Password)).StatusCode); // old one refused: form again
        var reused = await client.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Password"] = "yet another passphrase" });
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("expired or has already been used", (await BroadsheetFactory.ParseAsync(reused)).QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        // The security stamp changed: the session from before the reset is ended once it is revalidated.
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var stale = await otherSession.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.StartsWith("http://localhost/admin/login", stale.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ForAnUnknownAddress_SaysTheSame_AndSendsNothing()
    {
        var client = app.CreateReader();
        var form = await client.GetDocumentAsync("/admin/forgot-password");
        var stranger = $"nobody.{Guid.NewGuid():N}@example.com";

        var response = await client.SubmitAsync(form, "main form", new Dictionary<string, string> { ["Email"] = stranger });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("If a newsroom account uses", (await BroadsheetFactory.ParseAsync(response)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        // A known address asked for afterwards is the next message the server gets: nothing went to the stranger.
        var known = await app.CreateStaffAsync(StaffRoles.Author);
        var next = await client.SubmitAsync(await client.GetDocumentAsync("/admin/forgot-password"), "main form", new Dictionary<string, string> { ["Email"] = known });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var message = await app.Smtp.NextMessageToAsync(known);
        Assert.DoesNotContain(message.To.Mailboxes, m => m.Address == stranger);
    }

    [Fact]
    public async Task ResetLink_IsNeverAddressedToTheHostARequestNames()
    {
        var email = await app.CreateStaffAsync(StaffRoles.Editor);
        // Anyone can send any Host header; the link, token and all, would go to the forger's server.
        var forger = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, BaseAddress = new Uri("http://evil.example"),
        });
        var forged = await forger.SubmitAsync(await forger.GetDocumentAsync("/admin/forgot-password"), "main form", new Dictionary<string, string> { ["Email"] = email });

        // The answer for every address, so it tells nothing about the account either.
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        Assert.Contains("If a newsroom account uses", (await BroadsheetFactory.ParseAsync(forged)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        // The first message that address gets is the one asked for on the site's own address.
        var client = app.CreateReader();
        await client.SubmitAsync(await client.GetDocumentAsync("/admin/forgot-password"), "main form", new Dictionary<string, string> { ["Email"] = email });
        var body = (await app.Smtp.NextMessageToAsync(email)).TextBody;
        Assert.Contains("http://localhost/admin/reset-password?", body, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetLink_WithATamperedToken_IsRefused()
    {
        var email = await app.CreateStaffAsync(StaffRoles.Author);
        var link = await RequestResetLinkAsync(email);
        var tampered = link[..^4] + "AAAA";
        var client = app.CreateReader();
        var page = await client.GetDocumentAsync(tampered);

        var response = await client.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Password"] = NewPassword });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateReader().SignInAsync(email, NewPassword)).StatusCode);
    }
}

using System.Net;
using AngleSharp.Dom;
using Broadsheet.Accounts;
using Broadsheet.Tests.Infrastructure;
using OtpNet;

namespace Broadsheet.Tests.Accounts;

/// <summary>Two-factor sign-in with codes computed as an authenticator app would (Otp.NET, real time).</summary>
public sealed class TwoFactorTests(BroadsheetFactory app) : IClassFixture<BroadsheetFactory>
{
    private static string CodeFor(string key) =>
        new Totp(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp(DateTime.UtcNow);

    /// <summary>A signed-in account that has turned two-factor on; returns its email, key and recovery codes.</summary>
    private async Task<(string Email, string Key, IReadOnlyList<string> RecoveryCodes)> EnableAsync()
    {
        var email = await app.CreateStaffAsync(StaffRoles.Editor);
        var client = app.CreateReader();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, StaffSessions.Password)).StatusCode);
        var page = await client.GetDocumentAsync("/admin/account/two-factor");
        Assert.NotNull(page.QuerySelector(".qr-code svg"));
        var key = page.QuerySelector(".authenticator-key")!.TextContent;

        var wrong = await client.SubmitAsync(page, "form[action*=Enable]", new Dictionary<string, string> { ["code"] = "000000" == CodeFor(key) ? "111111" : "000000" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("not right", (await BroadsheetFactory.ParseAsync(wrong)).QuerySelector("#code-error")!.TextContent, StringComparison.Ordinal);

        var enabled = await client.SubmitAsync(page, "form[action*=Enable]", new Dictionary<string, string> { ["code"] = CodeFor(key) });
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var done = await BroadsheetFactory.ParseAsync(enabled);
        Assert.Contains("is on", done.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var codes = done.QuerySelectorAll(".recovery-codes code").Select(c => c.TextContent).ToList();
        Assert.Equal(10, codes.Count);
        return (email, key, codes);
    }

    private async Task<(HttpClient Client, IDocument SecondStep)> PasswordStepAsync(string email)
    {
        var client = app.CreateReader();
        var response = await client.SignInAsync(email, StaffSessions.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/login/two-factor", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        // The password alone opens nothing.
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);
        return (client, await client.GetDocumentAsync(response.Headers.Location!.OriginalString));
    }

    [Fact]
    public async Task SignIn_AsksForTheAppCode_WhenTwoFactorIsOn()
    {
        var (email, key, _) = await EnableAsync();
        var (client, secondStep) = await PasswordStepAsync(email);

        var wrong = await client.SubmitAsync(secondStep, "main form", new Dictionary<string, string> { ["code"] = "12345" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var right = await client.SubmitAsync(secondStep, "main form", new Dictionary<string, string> { ["code"] = CodeFor(key) });

        Assert.Equal("/admin", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task RecoveryCode_SignsInOnce()
    {
        var (email, _, codes) = await EnableAsync();

        var (client, secondStep) = await PasswordStepAsync(email);
        var first = await client.SubmitAsync(secondStep, "main form", new Dictionary<string, string> { ["code"] = codes[3], ["recovery"] = "true" });
        Assert.Equal("/admin", first.Headers.Location!.OriginalString);

        var (again, secondStepAgain) = await PasswordStepAsync(email);
        var reused = await again.SubmitAsync(secondStepAgain, "main form", new Dictionary<string, string> { ["code"] = codes[3], ["recovery"] = "true" });
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("already used", (await BroadsheetFactory.ParseAsync(reused)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TurningItOff_SignsInWithThePasswordAlone()
    {
        var (email, key, _) = await EnableAsync();
        var (client, secondStep) = await PasswordStepAsync(email);
        await client.SubmitAsync(secondStep, "main form", new Dictionary<string, string> { ["code"] = CodeFor(key) });
        var page = await client.GetDocumentAsync("/admin/account/two-factor");

        await client.SubmitAsync(page, "form[action*=Disable]", new Dictionary<string, string>());

        var fresh = app.CreateReader();
        var response = await fresh.SignInAsync(email, StaffSessions.Password);
        Assert.Equal("/admin", response.Headers.Location!.OriginalString);
    }
}

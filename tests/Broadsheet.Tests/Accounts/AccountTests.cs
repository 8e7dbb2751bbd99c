using System.Net;
using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Accounts;

/// <summary>A fresh site with no accounts yet.</summary>
public sealed class AccountTests : IAsyncLifetime
{
    private readonly BroadsheetFactory _app = new();

    [Fact]
    public async Task Setup_CreatesTheFirstAdministrator_ThenAnswers404()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await client.GetAsync("/admin/login");
        Assert.Equal("/admin/setup", login.Headers.Location!.OriginalString);

        var setup = await client.GetDocumentAsync("/admin/setup");
        var tooShort = await client.SubmitAsync(setup, "form", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Ada Editor",
            ["Input.Email"] = "ada@newsroom.example",
            ["Input.Password"] = "short",
        });
        Assert.Equal(HttpStatusCode.OK, tooShort.StatusCode);
        var errorPage = await BroadsheetFactory.ParseAsync(tooShort);
        Assert.Equal("Your password must be at least 12 characters long.", errorPage.QuerySelector("[data-valmsg-for='Input.Password']")!.TextContent);
        Assert.Equal("ada@newsroom.example", errorPage.QuerySelector("#Input_Email")!.GetAttribute("value"));

        var created = await client.SubmitAsync(errorPage, "form", new Dictionary<string, string> { ["Input.Password"] = StaffSessions.Password });
        Assert.Equal("/admin", created.Headers.Location!.OriginalString);
        var dashboard = await client.GetDocumentAsync("/admin");
        Assert.Contains("Administrator", dashboard.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await _app.CreateReader().GetAsync("/admin/setup")).StatusCode);
        await using var scope = _app.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>().AuditEntries.SingleAsync(e => e.Action == "account.create");
        Assert.Equal("Administrator ada@newsroom.example", audit.Details);
    }

    [Fact]
    public async Task Login_LocksTheAccount_AfterFiveWrongPasswords()
    {
        var email = await _app.CreateStaffAsync(StaffRoles.Editor);
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var wrong = await client.SignInAsync(email, "not the password at all");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        var right = await client.SignInAsync(email, StaffSessions.Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked for 15 minutes", (await BroadsheetFactory.ParseAsync(right)).QuerySelector(".form-problems")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task Login_NeverRedirectsToAnotherSite()
    {
        var email = await _app.CreateStaffAsync(StaffRoles.Editor);
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetDocumentAsync("/admin/login?ReturnUrl=https%3A%2F%2Fevil.example%2F");

        var response = await client.SubmitAsync(page, "form", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = StaffSessions.Password });

        Assert.Equal("/admin", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task StaffForms_RefuseAPostWithoutTheAntiforgeryToken()
    {
        var client = await _app.SignedInAsync(StaffRoles.Administrator);

        var response = await client.PostAsync("/admin/comments", new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "approve", ["ids"] = "1" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task UserAddCommand_CreatesAnAccountThatCanSignIn()
    {
        using var database = TestDatabase.Create();
        var result = await BroadsheetProcess.RunAsync(database, "user", "add", "--email", "cli@newsroom.example", "--role", "editor", "--name", "Cli Editor");

        Assert.True(result.ExitCode == 0, result.Error);
        var password = result.Output.Split("One-time password", StringSplitOptions.None)[1].Split(':', 2)[1].Trim();
        await using var app = new ExistingDatabaseFactory(database);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await client.SignInAsync("cli@newsroom.example", password);
        Assert.Equal("/admin", signIn.Headers.Location!.OriginalString);
        Assert.Contains("Editor", (await client.GetDocumentAsync("/admin")).QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        var badRole = await BroadsheetProcess.RunAsync(database, "user", "add", "--email", "x@newsroom.example", "--role", "overlord");
        Assert.Equal(2, badRole.ExitCode);
        Assert.Contains("--role must be one of Administrator, Editor, Author, Contributor", badRole.Error, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();
}

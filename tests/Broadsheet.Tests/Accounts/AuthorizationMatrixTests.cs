using System.Net;
using Broadsheet.Accounts;
using Broadsheet.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Accounts;

public sealed class AuthorizationMatrixTests(BroadsheetFactory app) : IClassFixture<BroadsheetFactory>
{
    /// <summary>Every GET endpoint the app maps under /admin, read from the routing system, with the permissions it demands.</summary>
    private IReadOnlyList<(string Path, IReadOnlyList<string> Policies, bool Anonymous)> AdminEndpoints() =>
        AdminEndpointsWithKind().Select(e => (e.Path, e.Policies, e.Anonymous)).ToList();

    /// <summary>As <see cref="AdminEndpoints"/>, and whether the endpoint is JSON for scripts (ASP.NET Core answers those 401, not a sign-in redirect).</summary>
    private IReadOnlyList<(string Path, IReadOnlyList<string> Policies, bool Anonymous, bool Api)> AdminEndpointsWithKind()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return endpoints
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("admin", StringComparison.Ordinal) == true)
            .Select(e => (
                Path: "/" + string.Join('/', e.RoutePattern.PathSegments.Select(Sample)),
                Policies: (IReadOnlyList<string>)e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList(),
                Anonymous: e.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                Api: e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IDisableCookieRedirectMetadata>() is not null
                    && e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAllowCookieRedirectMetadata>() is null))
            .DistinctBy(e => e.Path)
            .ToList();
    }

    /// <summary>A request path for a route segment: literals as they are, parameters with a value their constraints accept.</summary>
    private static string Sample(Microsoft.AspNetCore.Routing.Patterns.RoutePatternPathSegment segment) =>
        string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            // An id no article has: the permission check comes first, the "no such article" answer after it.
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart p when p.ParameterPolicies.Any(policy => policy.Content == "int") => "999999",
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" } => "new",
            _ => "1",
        }));

    [Fact]
    public void EveryAdminRoute_EitherDemandsAPermission_OrIsASignInPage()
    {
        var endpoints = AdminEndpoints();

        Assert.Contains(endpoints, e => e.Path == "/admin/comments");
        Assert.Contains(endpoints, e => e.Path == "/admin/articles/new");
        Assert.Contains(endpoints, e => e.Path == "/admin/users" && e.Policies.Contains(Permissions.ManageSite));
        Assert.Contains(endpoints, e => e.Path == "/admin/authors/999999");
        Assert.Contains(endpoints, e => e.Path == "/admin/topics/suggestions" && e.Policies.Contains(Permissions.WriteArticles));
        Assert.All(endpoints, e => Assert.True(e.Anonymous ? e.Path is "/admin/login" or "/admin/setup" or "/admin/login/two-factor" or "/admin/forgot-password" or "/admin/reset-password" : e.Policies.Count > 0, e.Path));
        Assert.All(endpoints.SelectMany(e => e.Policies), policy => Assert.Contains(policy, Permissions.All));
    }

    [Fact]
    public async Task EveryAdminRoute_RedirectsAnonymousReadersToSignIn()
    {
        var client = app.CreateReader();
        foreach (var (path, _, _, api) in AdminEndpointsWithKind().Where(e => !e.Anonymous))
        {
            var response = await client.GetAsync(path);
            if (api)
            {
                // JSON for the pages' scripts: a plain 401 (a redirect would hand the script a sign-in page).
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {(int)response.StatusCode}");
                continue;
            }

            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{path}: {(int)response.StatusCode}");
            Assert.StartsWith("http://localhost/admin/login?ReturnUrl=", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(StaffRoles.Administrator)]
    [InlineData(StaffRoles.Editor)]
    [InlineData(StaffRoles.Author)]
    [InlineData(StaffRoles.Contributor)]
    public async Task EveryAdminRoute_AnswersEachRoleByItsPermissions(string role)
    {
        var client = await app.SignedInAsync(role);
        foreach (var (path, policies, _) in AdminEndpoints().Where(e => !e.Anonymous && e.Path != "/admin/setup"))
        {
            var allowed = policies.All(policy => Permissions.RolesFor(policy).Contains(role));

            var response = await client.GetAsync(path);

            // Allowed: the page answers (some routes only take POSTs and say 404 to a GET), never 403 nor a sign-in redirect.
            var refused = response.StatusCode == HttpStatusCode.Forbidden || response.Headers.Location?.ToString().Contains("/admin/login", StringComparison.Ordinal) == true;
            Assert.True(allowed != refused, $"{role} GET {path}: {(allowed ? "allowed" : "refused")} expected, got {(int)response.StatusCode}");
            if (allowed && path is "/admin" or "/admin/comments" or "/admin/articles" or "/admin/audit")
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task Contributor_CannotModerate_EvenWithAForgedPost()
    {
        var client = await app.SignedInAsync(StaffRoles.Contributor);
        var dashboard = await client.GetDocumentAsync("/admin");
        var token = dashboard.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var response = await client.PostAsync("/admin/comments", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["action"] = "approve",
            ["ids"] = "1",
        }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Broadsheet.Accounts;
using Broadsheet.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Broadsheet.Tests.Accounts;

/// <summary>Creates staff accounts and signs them in through the real login form (cookie and antiforgery round trip).</summary>
public static class StaffSessions
{
    public const string Password = "a long enough test password";

    public static async Task<string> CreateStaffAsync(this BroadsheetFactory app, string role, string? email = null)
    {
        email ??= $"{role.ToLowerInvariant()}.{Guid.NewGuid():N}@newsroom.example";
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<StaffAccounts>().CreateAsync(email, $"{role} Person", role, Password, default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return email;
    }

    /// <summary>A client with its own cookie jar, signed in as a new account with <paramref name="role"/>.</summary>
    public static async Task<HttpClient> SignedInAsync(this BroadsheetFactory app, string role)
    {
        var email = await app.CreateStaffAsync(role);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await client.SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location!.OriginalString);
        return client;
    }

    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password)
    {
        var page = await client.GetDocumentAsync("/admin/login");
        return await client.SubmitAsync(page, "form", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
    }

    public static async Task<IDocument> GetDocumentAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}");
        return await BroadsheetFactory.ParseAsync(response);
    }

    /// <summary>Posts a form as the browser would: every field it has (hidden antiforgery token included), with some values changed.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(
        this HttpClient client, IDocument page, string formSelector, IDictionary<string, string> values, string? submitName = null, string? submitValue = null)
    {
        var form = page.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No form {formSelector}.");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var input in form.Elements.OfType<IHtmlInputElement>().Where(i => !string.IsNullOrEmpty(i.Name)))
        {
            if (input.Type is "checkbox" or "radio" && !input.IsChecked)
            {
                continue;
            }

            if (!values.ContainsKey(input.Name!))
            {
                fields.Add(new(input.Name!, input.Value));
            }
        }

        foreach (var textArea in form.Elements.OfType<IHtmlTextAreaElement>().Where(t => !string.IsNullOrEmpty(t.Name) && !values.ContainsKey(t.Name!)))
        {
            fields.Add(new(textArea.Name!, textArea.Value));
        }

        foreach (var select in form.Elements.OfType<IHtmlSelectElement>().Where(s => !string.IsNullOrEmpty(s.Name) && !values.ContainsKey(s.Name!)))
        {
            fields.Add(new(select.Name!, select.Value ?? ""));
        }

        fields.AddRange(values);
        if (submitName is not null)
        {
            fields.Add(new(submitName, submitValue ?? ""));
        }

        var action = form.GetAttribute("action");
        var url = string.IsNullOrEmpty(action) ? new Uri(page.Url).PathAndQuery : action;
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }
}

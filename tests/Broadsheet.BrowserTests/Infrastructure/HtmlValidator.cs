using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broadsheet.BrowserTests.Infrastructure;

/// <summary>
/// html-validate (npm, version pinned in package.json; rules and their reasons in .htmlvalidate.mjs) run
/// once over many documents: Node and html-validate take a second or two to start, so callers batch.
/// </summary>
public static class HtmlValidator
{
    public sealed record Message(string RuleId, int Severity, [property: JsonPropertyName("message")] string Text, int Line, int Column, string? Selector);

    /// <summary>The messages html-validate gives each document, by the document's key.</summary>
    public static async Task<IReadOnlyDictionary<string, Message[]>> CheckAsync(IReadOnlyDictionary<string, string> htmlByKey)
    {
        var folder = Directory.CreateTempSubdirectory("broadsheet-html-");
        try
        {
            var files = new Dictionary<string, string>();
            foreach (var (key, html) in htmlByKey)
            {
                var file = Path.Combine(folder.FullName, $"page{files.Count}.html");
                await File.WriteAllTextAsync(file, html);
                files[key] = file;
            }

            var messages = await ValidateAsync(files.Values);
            return files.ToDictionary(f => f.Key, f => messages.TryGetValue(f.Value, out var found) ? found : []);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    public static Message[] Errors(IEnumerable<Message> messages) => messages.Where(m => m.Severity == 2).ToArray();

    public static string Describe(string what, Message[] errors, string html)
    {
        var lines = html.Split('\n');
        var text = new StringBuilder($"html-validate found {errors.Length} error(s) in {what}:");
        foreach (var error in errors)
        {
            var source = error.Line >= 1 && error.Line <= lines.Length ? lines[error.Line - 1].Trim() : "";
            text.Append($"\n- {error.RuleId} at line {error.Line}:{error.Column} ({error.Selector}): {error.Text}\n    {source}");
        }

        return text.ToString();
    }

    private static async Task<Dictionary<string, Message[]>> ValidateAsync(IEnumerable<string> files)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.BrowserTests,
        };
        start.ArgumentList.Add(RepositoryPaths.NodePackageFile("html-validate", "bin/html-validate.mjs"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.BrowserTests, ".htmlvalidate.mjs"));
        start.ArgumentList.Add("--formatter");
        start.ArgumentList.Add("json");
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        // Exit 0: valid; 1: errors found, or html-validate itself failed (then it prints no JSON report).
        FileResult[]? results = null;
        try
        {
            results = JsonSerializer.Deserialize<FileResult[]>(await output, JsonOptions);
        }
        catch (JsonException)
        {
            // Reported just below, with what html-validate said.
        }

        if (process.ExitCode is not (0 or 1) || results is null)
        {
            throw new InvalidOperationException($"html-validate failed (exit {process.ExitCode}):\n{await error}\n{await output}");
        }

        return results.ToDictionary(r => r.FilePath, r => r.Messages);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record FileResult(string FilePath, Message[] Messages);
}

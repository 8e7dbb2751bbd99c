using Microsoft.Playwright;

namespace Broadsheet.BrowserTests.Infrastructure;

/// <summary>
/// The payload corpus (TestData/xss-payloads.txt) and the in-page check for it: no payload may have run
/// (window.__xss) and none may have left markup that could (event-handler attributes, script URLs,
/// foreign script/iframe/object/base elements). The DOM is checked as well as the flag, because the
/// Content-Security-Policy would stop an inline script even if escaping had failed.
/// </summary>
public static class XssCheck
{
    public const string DomCheck = """
        () => {
          const problems = [];
          for (const el of document.querySelectorAll("*")) {
            for (const attr of el.attributes) {
              if (attr.name.startsWith("on")) problems.push(`${el.tagName} has ${attr.name}`);
              if (/^\s*(javascript|vbscript|data):/i.test(attr.value) && ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"].includes(attr.name))
                problems.push(`${el.tagName} ${attr.name}=${attr.value.slice(0, 40)}`);
            }
            if (el.hasAttribute("style") && /url\(|expression\(/i.test(el.getAttribute("style"))) problems.push(`${el.tagName} has a style with url()/expression()`);
          }
          for (const s of document.querySelectorAll("script")) {
            const ours = (s.src && new URL(s.src, location.href).pathname.startsWith("/js/")) || s.type === "application/ld+json";
            if (!ours) problems.push(`foreign script: ${s.outerHTML.slice(0, 60)}`);
          }
          for (const el of document.querySelectorAll("iframe, object, embed, base, frame, frameset, meta[http-equiv], form[action^='javascript' i]"))
            problems.push(`foreign element: ${el.outerHTML.slice(0, 60)}`);
          return { ran: window.__xss === 1, problems };
        }
        """;

    /// <summary>Every payload of the corpus (at least 200), line breaks restored.</summary>
    public static IReadOnlyList<string> Payloads { get; } = LoadPayloads();

    public static async Task AssertCleanAsync(IPage page, string where)
    {
        var result = await page.EvaluateAsync<DomResult>(DomCheck);
        Assert.False(result.Ran, $"a payload ran on {where}");
        Assert.True(result.Problems.Length == 0, $"{where}: {string.Join("; ", result.Problems.Take(5))}");
    }

    /// <summary>A page that records every dialog a payload opens (and dismisses it, so the page goes on).</summary>
    public static async Task<IPage> NewWatchedPageAsync(IBrowserContext context, List<string> dialogs)
    {
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) =>
        {
            lock (dialogs)
            {
                dialogs.Add($"{page.Url}: {dialog.Message}");
            }

            await dialog.DismissAsync();
        };
        return page;
    }

    /// <summary>
    /// Opens each start path and then every same-site link on the opened pages that <paramref name="follow"/>
    /// accepts, wave by wave, several pages at a time (most of the time is spent waiting on the app or the
    /// renderer); every page must answer 200 and be clean. Returns the paths it opened.
    /// </summary>
    public static async Task<IReadOnlySet<string>> CrawlCleanAsync(
        IBrowserContext context, IEnumerable<string> start, Func<string, bool> follow, List<string> dialogs, int pagesAtOnce = 3)
    {
        var seen = new HashSet<string>(start);
        var wave = seen.ToList();
        while (wave.Count > 0)
        {
            var found = await CheckWaveAsync(context, wave, dialogs, pagesAtOnce);
            wave = found.Distinct().Where(link => !seen.Contains(link) && follow(link)).ToList();
            seen.UnionWith(wave);
        }

        return seen;
    }

    private static async Task<List<string>> CheckWaveAsync(IBrowserContext context, List<string> paths, List<string> dialogs, int pagesAtOnce)
    {
        var queue = new Queue<string>(paths);
        var links = new List<string>();
        var workers = new List<Task>();
        for (var i = 0; i < pagesAtOnce; i++)
        {
            var page = await NewWatchedPageAsync(context, dialogs);
            workers.Add(Task.Run(async () =>
            {
                while (true)
                {
                    string? path;
                    lock (queue)
                    {
                        if (!queue.TryDequeue(out path))
                        {
                            break;
                        }
                    }

                    var response = await page.GotoAsync(path);
                    Assert.True(response is { Status: 200 }, $"GET {path} answered {response?.Status}");
                    await AssertCleanAsync(page, path);
                    var hrefs = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))");
                    lock (links)
                    {
                        links.AddRange(hrefs.Where(h => h.StartsWith('/') && !h.StartsWith("//", StringComparison.Ordinal)).Select(h => h.Split('#')[0]));
                    }
                }

                await page.CloseAsync();
            }));
        }

        await Task.WhenAll(workers);
        return links;
    }

    public sealed class DomResult
    {
        public bool Ran { get; set; }

        public string[] Problems { get; set; } = [];
    }

    private static List<string> LoadPayloads()
    {
        var payloads = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "xss-payloads.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Replace("\\n", "\n", StringComparison.Ordinal))
            .ToList();
        Assert.True(payloads.Count >= 200, $"only {payloads.Count} payloads");
        return payloads;
    }
}

namespace Broadsheet.BrowserTests.Infrastructure;

/// <summary>The page kinds a fresh install serves, each with the status a reader gets, checked by the accessibility and HTML suites.</summary>
public static class SitePages
{
    public const string NotFound = "/no-such-page/anywhere";

    public static IReadOnlyList<string> Paths { get; } =
    [
        "/",
        BrowserSite.SampleArticle,
        "/latest",
        "/section/world",
        "/author/broadsheet-staff",
        "/archive",
        "/archive/2025/08",
        // A fresh install has no staff account yet, so it offers the first-run setup page.
        "/admin/setup",
        NotFound,
    ];

    public static TheoryData<string> All => new(Paths);

    public static int ExpectedStatus(string path) => path == NotFound ? 404 : 200;
}

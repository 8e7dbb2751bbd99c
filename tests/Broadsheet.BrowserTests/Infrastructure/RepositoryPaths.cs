namespace Broadsheet.BrowserTests.Infrastructure;

/// <summary>Files the browser tests use from the repository: the npm checkers beside this project and the screenshot folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder that holds Broadsheet.slnx, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    public static string BrowserTests => Path.Combine(Root, "tests", "Broadsheet.BrowserTests");

    /// <summary>Saved on every run as test artefacts; <c>artifacts/</c> is ignored by git.</summary>
    public static string Screenshots => Path.Combine(Root, "artifacts", "screenshots");

    /// <summary>A file of a package installed by <c>npm ci</c> (scripts/ensure-test-deps.sh), with a clear message when it is missing.</summary>
    public static string NodePackageFile(string package, string pathInPackage)
    {
        var path = Path.Combine(BrowserTests, "node_modules", package, pathInPackage);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: run scripts/ensure-test-deps.sh (it runs `npm ci` in tests/Broadsheet.BrowserTests).");
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(Path.GetDirectoryName(typeof(RepositoryPaths).Assembly.Location)!);
             folder is not null;
             folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Broadsheet.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("No folder above the test assembly holds Broadsheet.slnx: run the tests from the repository.");
    }
}

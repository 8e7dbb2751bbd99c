using System.Runtime.CompilerServices;
using Broadsheet.Infrastructure.Data;

namespace Broadsheet.Tests.Infrastructure;

internal static class SqliteLibrarySettings
{
    // The app configures the SQLite library before its first connection opens. In this process a
    // test may open one first (a backup test, a fixture), after which SQLite refuses the settings;
    // applying them as the test assembly loads makes every test run SQLite as the app runs it.
    [ModuleInitializer]
    internal static void ApplyTheAppsSettings() => SqliteLibrary.EnsureConfigured();
}

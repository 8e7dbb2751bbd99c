using SQLitePCL;

namespace Broadsheet.Infrastructure.Data;

/// <summary>
/// Process-wide settings of the SQLite library, which SQLite accepts only before its first
/// connection opens (afterwards it refuses them and keeps its defaults, which are correct, only slower).
/// </summary>
internal static class SqliteLibrary
{
    private static readonly Lazy<bool> Configured = new(Configure);

    /// <summary>True when the settings took; false when a connection had opened first.</summary>
    public static bool EnsureConfigured() => Configured.Value;

    private static bool Configure()
    {
        Batteries_V2.Init();
        // Multi-thread mode: no mutex around every call on a connection (each column read of each
        // row takes it in the default serialized mode). Safe because no ADO.NET connection, and so
        // no SQLite handle, is ever used by two threads at once; which holds only while every
        // SqliteCommand is disposed (EF Core's are; so must hand-written ones be): an undisposed
        // command's statements are finalized on the GC's thread, whatever the connection is doing.
        var threading = raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD);
        // No allocation statistics: counting them takes a process-wide mutex on every allocation
        // SQLite makes (preparing a statement makes hundreds), shared by all requests at once.
        var statistics = raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0);
        return threading == raw.SQLITE_OK && statistics == raw.SQLITE_OK;
    }
}

using System.ComponentModel.DataAnnotations;

namespace Broadsheet.Infrastructure.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where Broadsheet keeps its data. Section <c>Broadsheet:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Broadsheet:Database";

    /// <summary>
    /// <c>Sqlite</c> (default: one machine, nothing to install) or <c>Postgres</c> (set
    /// <c>ConnectionStrings:Broadsheet</c> too, and run <c>migrate</c> as a deploy step).
    /// </summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Folder for the SQLite file (<c>broadsheet.db</c>) and other local data, relative to the
    /// content root unless absolute.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";
}

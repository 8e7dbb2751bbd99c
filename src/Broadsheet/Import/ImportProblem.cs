namespace Broadsheet.Import;

/// <summary>Why one file could not be imported, in words the person running the import can act on.</summary>
public sealed class ImportProblemException : Exception
{
    public ImportProblemException() { }

    public ImportProblemException(string message) : base(message) { }

    public ImportProblemException(string message, Exception inner) : base(message, inner) { }
}

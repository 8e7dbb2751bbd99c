using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Broadsheet.Import.Wxr;

/// <summary>One <c>&lt;item&gt;</c> of the file, with the line it starts on.</summary>
internal sealed record WxrRawItem(XElement Element, int Line);

/// <summary>What the channel says about the blog: its address and its authors (login → display name).</summary>
internal sealed class WxrChannel
{
    public string Site { get; set; } = "";
    public Dictionary<string, string> Authors { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The XML names of WXR 1.0–1.2; the version-specific namespaces are read from the file itself.</summary>
internal sealed partial record WxrNamespaces(XNamespace Wp, XNamespace Excerpt)
{
    public static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    public static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    public static readonly XNamespace Wfw = "http://wellformedweb.org/CommentAPI/";

    public static WxrNamespaces ForVersion(string version) =>
        new($"http://wordpress.org/export/{version}/", $"http://wordpress.org/export/{version}/excerpt/");

    public static bool IsWp(string uri) => WpNamespace().IsMatch(uri);

    public static bool IsExcerpt(string uri) => ExcerptNamespace().IsMatch(uri);

    [GeneratedRegex(@"^https?://wordpress\.org/export/1\.\d+/$")]
    private static partial Regex WpNamespace();

    [GeneratedRegex(@"^https?://wordpress\.org/export/1\.\d+/excerpt/$")]
    private static partial Regex ExcerptNamespace();
}

/// <summary>Thrown for a file that is not well-formed XML or not a WordPress export at all.</summary>
public sealed class WxrFileException : Exception
{
    public WxrFileException() { }

    public WxrFileException(string message) : base(message) { }

    public WxrFileException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// Reads a WXR file forward only, one item at a time: memory stays the size of the largest item,
/// however large the file. Channel elements (the blog's address, its authors) are taken in passing.
/// </summary>
internal sealed class WxrReader : IDisposable
{
    private static readonly XmlReaderSettings Settings = new()
    {
        // No DTDs: an export has none, and one could only expand entities (billion laughs) or reach out (XXE).
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        Async = false,
    };

    private readonly FileStream _file;
    private readonly XmlReader _reader;

    private WxrReader(FileStream file)
    {
        _file = file;
        _reader = XmlReader.Create(file, Settings);
    }

    public WxrNamespaces Names { get; private set; } = WxrNamespaces.ForVersion("1.2");

    public WxrChannel Channel { get; } = new();

    public long Length => _file.Length;

    /// <summary>How far into the file the reader is (its buffer ahead, close enough for a progress bar).</summary>
    public long Position => _file.Position;

    public static WxrReader Open(string path)
    {
        try
        {
            return new WxrReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new WxrFileException($"{path}: file not found.", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new WxrFileException($"{path}: cannot be read ({e.Message}).", e);
        }
    }

    public IEnumerable<WxrRawItem> Items()
    {
        ReadRoot();
        var moved = false;
        while (moved || Read())
        {
            moved = false;
            if (_reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            var line = ((IXmlLineInfo)_reader).LineNumber;
            if (_reader.LocalName == "item" && _reader.NamespaceURI.Length == 0)
            {
                yield return new WxrRawItem(Guard(LoadElement), line);
            }
            else if (_reader.NamespaceURI == Names.Wp.NamespaceName && _reader.LocalName == "author")
            {
                var author = Guard(LoadElement);
                var login = author.Element(Names.Wp + "author_login")?.Value.Trim();
                if (!string.IsNullOrEmpty(login))
                {
                    Channel.Authors[login] = DisplayName(author, login);
                }
            }
            else if (_reader.NamespaceURI == Names.Wp.NamespaceName && _reader.LocalName == "base_site_url")
            {
                Channel.Site = NormaliseSite(Guard(_reader.ReadElementContentAsString));
                moved = true;
            }
            else if (_reader.NamespaceURI.Length == 0 && _reader.LocalName == "link" && _reader.Depth == 2 && Channel.Site.Length == 0)
            {
                // WXR 1.0 files may lack wp:base_site_url; the channel's own link is the blog's address.
                Channel.Site = NormaliseSite(Guard(_reader.ReadElementContentAsString));
                moved = true;
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _file.Dispose();
    }

    internal static string NormaliseSite(string url)
    {
        var site = url.Trim().TrimEnd('/').ToLowerInvariant();
        return site.Length > 200 ? site[..200] : site;
    }

    private void ReadRoot()
    {
        Guard(() => _reader.MoveToContent());
        if (_reader.NodeType != XmlNodeType.Element || _reader.LocalName != "rss")
        {
            throw new WxrFileException($"this is not a WordPress export (WXR): the file starts with <{_reader.Name}>, not <rss>.");
        }

        string? wp = null, excerpt = null;
        while (_reader.MoveToNextAttribute())
        {
            if (_reader.Prefix == "xmlns" && WxrNamespaces.IsWp(_reader.Value))
            {
                wp = _reader.Value;
            }
            else if (_reader.Prefix == "xmlns" && WxrNamespaces.IsExcerpt(_reader.Value))
            {
                excerpt = _reader.Value;
            }
        }

        _reader.MoveToElement();
        if (wp is null)
        {
            throw new WxrFileException(
                "this is not a WordPress export (WXR): <rss> declares no WordPress namespace such as xmlns:wp=\"http://wordpress.org/export/1.2/\".");
        }

        Names = new WxrNamespaces(wp, excerpt ?? wp + "excerpt/");
    }

    private bool Read() => Guard(_reader.Read);

    private XElement LoadElement()
    {
        using var subtree = _reader.ReadSubtree();
        subtree.MoveToContent();
        return XElement.Load(subtree, LoadOptions.SetLineInfo);
    }

    private static string DisplayName(XElement author, string login)
    {
        var names = WxrNamespaces.IsWp(author.Name.NamespaceName) ? author.Name.Namespace : XNamespace.None;
        var display = author.Element(names + "author_display_name")?.Value.Trim();
        if (!string.IsNullOrEmpty(display))
        {
            return display;
        }

        var full = $"{author.Element(names + "author_first_name")?.Value.Trim()} {author.Element(names + "author_last_name")?.Value.Trim()}".Trim();
        return full.Length > 0 ? full : login;
    }

    /// <summary>XML errors, wherever they surface, become one clear message with the line and position.</summary>
    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (XmlException e)
        {
            throw new WxrFileException($"the file is not well-formed XML at line {e.LineNumber}, position {e.LinePosition}: {FirstSentence(e.Message)}", e);
        }
    }

    private static string FirstSentence(string message)
    {
        // XmlException repeats the position at the end ("... Line 3, position 7."); it is said once already.
        var at = message.IndexOf(" Line ", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }
}

using System.Globalization;
using System.Text;

// The framework's limit on this machine: the same host and Kestrel as Broadsheet, no routing to
// pages, no database, no rendering; one fixed body. Its size is set to the article page's size so
// that the two are compared for the same bytes on the wire.
//   dotnet Ceiling.dll --urls http://127.0.0.1:5090 --size 5155    (or Ceiling__Size=5155)
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--size"] = "Ceiling:Size" });

var sizeText = builder.Configuration["Ceiling:Size"];
if (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size is < 1 or > 64 * 1024 * 1024)
{
    await Console.Error.WriteLineAsync(
        $"Ceiling cannot start: the body size '{sizeText}' is not a whole number of bytes between 1 and 67108864. Pass --size BYTES or set Ceiling__Size.");
    return 1;
}

var body = Body(size);
var app = builder.Build();
app.MapGet("/", () => Results.Bytes(body, "text/html; charset=utf-8"));
await app.RunAsync();
return 0;

// An HTML document of exactly `length` bytes (or a plain run of text when it is too short to be one).
static byte[] Body(int length)
{
    const string Head = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ceiling</title></head><body><p>";
    const string Tail = "</p></body></html>\n";
    const string Filler = "The quick brown fox jumps over the lazy dog. ";
    var text = new StringBuilder(length + Filler.Length);
    var padding = length - Head.Length - Tail.Length;
    if (padding < 0)
    {
        while (text.Length < length)
        {
            text.Append(Filler);
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, length));
    }

    while (text.Length < padding)
    {
        text.Append(Filler);
    }

    return Encoding.ASCII.GetBytes(Head + text.ToString(0, padding) + Tail);
}

using System.Globalization;
using Broadsheet.Bench.RazorFloor;

// The Razor floor on this machine: the same host and Kestrel as Broadsheet and the ceiling app, and
// Razor Pages rendering a page shaped like the article page (layout, article, 50 comments through a
// partial) from memory. Between the ceiling (bytes only) and Broadsheet's uncached article page (its
// queries, middleware and filters), it shows how much of the gap is the page framework itself.
//   dotnet RazorFloor.dll --urls http://127.0.0.1:5091 --size 90651    (or RazorFloor__Size=90651)
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--size"] = "RazorFloor:Size" });

var sizeText = builder.Configuration["RazorFloor:Size"];
if (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size is < 1 or > 64 * 1024 * 1024)
{
    await Console.Error.WriteLineAsync(
        $"RazorFloor cannot start: the page size '{sizeText}' is not a whole number of bytes between 1 and 67108864. Pass --size BYTES or set RazorFloor__Size.");
    return 1;
}

builder.Services.AddRazorPages();
builder.Services.AddSingleton(new FloorPage(size));
var app = builder.Build();
app.MapRazorPages();
await app.RunAsync();
return 0;

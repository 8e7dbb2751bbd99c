using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Broadsheet.BrowserTests.Infrastructure;

/// <summary>
/// The real app on real Kestrel: the published Broadsheet.dll started as its own process in Production, on
/// a free loopback port, with a fresh SQLite folder (so it seeds the sample article), as a server runs it.
/// </summary>
public sealed class BroadsheetServer : IAsyncDisposable
{
    // Generous: a cold start JIT-compiles the whole app, and on a busy 2-core machine that has taken over a minute.
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(180);

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly string dataDirectory;

    private BroadsheetServer(Process process, string dataDirectory, Uri baseAddress)
    {
        this.process = process;
        this.dataDirectory = dataDirectory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the app printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<BroadsheetServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        // The port is free when we ask, but another process could take it before Kestrel binds it;
        // then the app exits at once and we try another.
        for (var attempt = 1; ; attempt++)
        {
            var server = Launch(FreeLoopbackPort(), settings);
            try
            {
                await server.WaitUntilAnsweringAsync();
                return server;
            }
            catch (AppExitedException) when (attempt < 3 && server.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    private static BroadsheetServer Launch(int port, IReadOnlyDictionary<string, string>? settings)
    {
        // Published beside the tests by the project file (PublishAppForBrowserTests).
        var appDll = Path.Combine(Path.GetDirectoryName(typeof(BroadsheetServer).Assembly.Location)!, "app", "Broadsheet.dll");
        if (!File.Exists(appDll))
        {
            throw new InvalidOperationException($"{appDll} is missing: build tests/Broadsheet.BrowserTests, which publishes the app there.");
        }

        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"broadsheet-browser-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
        };
        start.ArgumentList.Add(appDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        start.Environment["Broadsheet__Database__DataDirectory"] = dataDirectory;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start };
        var server = new BroadsheetServer(process, dataDirectory, baseAddress);
        // Read both streams all the time: a full pipe would stall the app.
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new AppExitedException($"Broadsheet exited with code {process.ExitCode} before answering on {BaseAddress}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                // Listening, but the front page is broken: no point in waiting.
                throw new InvalidOperationException($"Broadsheet answered GET / with {(int)response.StatusCode}:\n{Output}");
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (deadline.Elapsed < StartDeadline)
            {
                // The first answer compiles the whole reading path; on a loaded machine it can take
                // longer than one poll waits. Ask again until the deadline.
            }
            catch (HttpRequestException e)
            {
                throw new InvalidOperationException($"Broadsheet broke off its answer to GET / ({e.Message}):\n{Output}", e);
            }

            if (deadline.Elapsed > StartDeadline)
            {
                throw new TimeoutException($"Broadsheet did not answer on {BaseAddress} within {StartDeadline.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; a failed test run should not hide behind it.
        }
    }

    private sealed class AppExitedException(string message) : InvalidOperationException(message);
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Broadsheet.Tests.Production;

/// <summary>
/// A PostgreSQL and a Redis of one test's own (through <c>scripts/test-services.sh</c>), so the
/// test can restart them without disturbing the rest of the suite.
/// </summary>
public sealed partial class PrivateServices : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;

    private PrivateServices(Dictionary<string, string> environment, string postgres, string redis)
    {
        _environment = environment;
        Postgres = postgres;
        Redis = redis;
    }

    public string Postgres { get; }

    public string Redis { get; }

    public static async Task<PrivateServices> StartAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["BROADSHEET_TEST_SERVICES_DIR"] = Path.Combine(Path.GetTempPath(), $"broadsheet-faults-{Guid.NewGuid():N}"),
            ["BROADSHEET_TEST_PG_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BROADSHEET_TEST_REDIS_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var output = await RunAsync(environment, "start");
        return new PrivateServices(environment, Export().Match(output, output.IndexOf("BROADSHEET_TEST_POSTGRES", StringComparison.Ordinal)).Groups[1].Value,
            Export().Match(output, output.IndexOf("BROADSHEET_TEST_REDIS", StringComparison.Ordinal)).Groups[1].Value);
    }

    public Task RestartPostgresAsync() => RunAsync(_environment, "restart-pg");

    public Task StopPostgresAsync() => RunAsync(_environment, "stop-pg");

    public Task StartPostgresAsync() => RunAsync(_environment, "start-pg");

    public Task RestartRedisAsync() => RunAsync(_environment, "restart-redis");

    public async ValueTask DisposeAsync() => await RunAsync(_environment, "stop");

    private static async Task<string> RunAsync(Dictionary<string, string> environment, string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "test-services.sh"));
        start.ArgumentList.Add(command);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"test-services.sh {command} failed: {await error}");
        return await output;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Broadsheet.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Broadsheet.slnx not found above the test binaries.");
    }

    // Below the ephemeral range, where no outgoing connection can be holding it.
    private static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }

    [GeneratedRegex("='([^']*)'")]
    private static partial Regex Export();
}

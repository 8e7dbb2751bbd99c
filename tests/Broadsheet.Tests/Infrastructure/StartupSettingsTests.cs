namespace Broadsheet.Tests.Infrastructure;

/// <summary>A wrong setting stops the real executable with one sentence naming it, not a stack trace.</summary>
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("Broadsheet__Redis", "localhost:6379,nonsense=1", "Broadsheet:Redis")]
    [InlineData("Broadsheet__Proxies__Trusted__0", "not-an-address", "Broadsheet:Proxies:Trusted")]
    [InlineData("Broadsheet__Site__TimeZone", "Mars/Olympus_Mons", "Broadsheet:Site:TimeZone")]
    [InlineData("Broadsheet__Mail__From", "nobody at all", "Broadsheet:Mail:From")]
    public async Task WrongSetting_StopsTheApp_WithASentenceNamingIt(string variable, string value, string settingName)
    {
        using var database = TestDatabase.Create();

        var result = await BroadsheetProcess.RunAsync(database, new Dictionary<string, string> { [variable] = value }, "migrate");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Broadsheet cannot start:", result.Error.Trim(), StringComparison.Ordinal);
        Assert.Contains(settingName, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task FirstRun_CreatesTheDataFolder_WhenItDoesNotExistYet()
    {
        using var database = TestDatabase.Create();
        var folder = Path.Combine(database.DataDirectory, "not", "there", "yet");

        var result = await BroadsheetProcess.RunAsync(database, new Dictionary<string, string> { ["Broadsheet__Database__DataDirectory"] = folder }, "migrate");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(Directory.Exists(folder));
    }
}

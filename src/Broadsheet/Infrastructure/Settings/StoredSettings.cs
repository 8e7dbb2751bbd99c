using Broadsheet.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Broadsheet.Infrastructure.Settings;

/// <summary>
/// Settings saved in the newsroom (the <c>/admin/settings</c> page), kept as <see cref="SiteSetting"/>
/// rows whose key is the configuration key they override (<c>Broadsheet:Site:Name</c>). Options
/// classes read them through post-configuration, so configuration stays the default and a saved
/// value wins. Every process holds a copy: the process that saves reloads at once, the others
/// when <see cref="Caching.ContentVersionWatcher"/> sees the content version change (a few seconds).
/// </summary>
public sealed class StoredSettings(IServiceScopeFactory scopes) : IDisposable
{
    /// <summary>Rows with this prefix are settings; other rows are the site's own state.</summary>
    public const string KeyPrefix = "Broadsheet:";

    private static readonly IReadOnlyDictionary<string, string> NothingSaved = new Dictionary<string, string>();

    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, string>? _values;
    private CancellationTokenSource _changed = new();

    /// <summary>The saved values by configuration key; read from the database on first use.</summary>
    public IReadOnlyDictionary<string, string> Values => Volatile.Read(ref _values) ?? LoadFirst();

    /// <summary>Fires when <see cref="Values"/> changes (options monitors then rebuild their values).</summary>
    public IChangeToken ChangeToken
    {
        get
        {
            lock (_gate)
            {
                return new CancellationChangeToken(_changed.Token);
            }
        }
    }

    public bool TryGet(string key, out string value) => Values.TryGetValue(key, out value!);

    public async Task ReloadAsync(BroadsheetDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        Publish(await db.SiteSettings.AsNoTracking()
            .Where(s => s.Key.StartsWith(KeyPrefix))
            .ToDictionaryAsync(s => s.Key, s => s.Value, StringComparer.Ordinal, cancellationToken));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _changed.Dispose();
        }
    }

    private IReadOnlyDictionary<string, string> LoadFirst()
    {
        // Synchronous, once per process: options are built synchronously, and the first one built
        // (at start-up, or by a CLI command) must already see the saved values.
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>();
        if (!db.Database.GetAppliedMigrations().Any())
        {
            // A database not migrated yet (settings are checked before `migrate` or the first start
            // creates the tables): nothing is saved in it. Not remembered, so the next read looks again.
            return NothingSaved;
        }

        var values = db.SiteSettings.AsNoTracking()
            .Where(s => s.Key.StartsWith(KeyPrefix))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        lock (_gate)
        {
            return _values ??= values;
        }
    }

    private void Publish(Dictionary<string, string> values)
    {
        CancellationTokenSource changed;
        lock (_gate)
        {
            if (_values is { } current && current.Count == values.Count
                && current.All(pair => values.TryGetValue(pair.Key, out var value) && value == pair.Value))
            {
                return;
            }

            _values = values;
            changed = _changed;
            _changed = new CancellationTokenSource();
        }

        // Not disposed: a monitor may still be registering on the old token, which then fires at once.
        changed.Cancel();
    }
}

/// <summary>Tells the options monitor of <typeparamref name="TOptions"/> to rebuild when saved settings change.</summary>
internal sealed class StoredSettingsChangeTokenSource<TOptions>(StoredSettings settings) : IOptionsChangeTokenSource<TOptions>
{
    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => settings.ChangeToken;
}

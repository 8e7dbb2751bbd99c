using Broadsheet.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Broadsheet.Infrastructure.Redis;

/// <summary>
/// What identical app nodes must share. With <c>Broadsheet:Redis</c> set (e.g. <c>redis:6379</c>),
/// Redis holds the output cache (so one node's eviction is every node's) and the data-protection
/// keys (so a cookie or signed value made by one node is accepted by another). Without it, a single
/// node keeps its cache in memory and its keys in the data folder (so restarts keep sessions).
/// Rate limits need nothing here: they are counted in the shared database.
/// </summary>
public static class SharedState
{
    public const string RedisSetting = "Broadsheet:Redis";
    private const string KeyRingKey = "broadsheet:data-protection-keys";

    public static IServiceCollection AddSharedState(this IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("Broadsheet");
        var redis = configuration[RedisSetting];
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddOptions<KeyManagementOptions>().Configure<DataPaths, ILoggerFactory>((options, paths, loggers) =>
                options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(paths.DataDirectory, "keys")), loggers));
            return services;
        }

        ConfigurationOptions redisOptions;
        try
        {
            redisOptions = ConfigurationOptions.Parse(redis);
        }
        catch (ArgumentException e)
        {
            throw new Data.StartupException($"{RedisSetting} '{redis}' is not a Redis address: {e.Message} Use host:port, e.g. localhost:6379.", e);
        }

        // Start even while Redis is down, and reconnect by itself: a Redis restart costs a few requests, not the node.
        redisOptions.AbortOnConnectFail = false;
        redisOptions.ConnectRetry = 3;
        var multiplexer = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(redisOptions));
        services.AddSingleton(_ => multiplexer.Value);
        services.AddStackExchangeRedisOutputCache(options =>
        {
            options.InstanceName = "broadsheet:";
            options.ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer.Value);
        });
        dataProtection.PersistKeysToStackExchangeRedis(() => multiplexer.Value.GetDatabase(), KeyRingKey);
        return services;
    }

    public static bool UsesRedis(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration?[RedisSetting]);
}

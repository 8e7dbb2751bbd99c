using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace Broadsheet.Infrastructure.Web;

/// <summary>Failures of a dependency that is restarting or unreachable, as opposed to bugs.</summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true } or TimeoutException or StackExchange.Redis.RedisConnectionException
                or Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or RetryLimitExceededException)
            {
                return true;
            }
        }

        return false;
    }
}

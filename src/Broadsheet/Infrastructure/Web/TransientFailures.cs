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
                or Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or RetryLimitExceededException
                or DatabaseConnectionLostException)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// The database connection broke in the middle of a unit of work. Drivers then report the next use
/// of the transaction as a programming error ("Transaction is already completed"); this names it
/// for what it is, so the reader gets a 503 with Retry-After rather than a 500.
/// </summary>
public sealed class DatabaseConnectionLostException(Exception inner)
    : Exception("The database connection was lost before the work was committed.", inner);

namespace Broadsheet.Tests.Infrastructure;

/// <summary>
/// What a node shows once a change made elsewhere has reached it: another process's change arrives
/// when the content-version watcher next looks (every two seconds), so a test reads what a reader
/// would see until it is as expected, with a deadline, and asserts on the last reading.
/// </summary>
public static class Eventually
{
    /// <param name="tick">Run before each reading (e.g. a fake clock moved on to the watcher's next look).</param>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> expected, Action? tick = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        T value;
        do
        {
            tick?.Invoke();
            value = await read();
            if (expected(value))
            {
                break;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        return value;
    }
}

namespace Hub.Host.Tests;

/// <summary>What every test that runs a real hub in-process needs: polling a condition, and stopping and cleaning up.</summary>
internal static class HostTestSupport
{
    /// <summary>Polls until <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, int pollMilliseconds = 100)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout}.");
            }

            await Task.Delay(pollMilliseconds);
        }
    }

    /// <summary>Drops a file the way a careful sender does: written under a temporary name, then renamed.</summary>
    public static void Drop(string inbox, string sourceFile, string asName)
    {
        Directory.CreateDirectory(inbox);
        var temporary = Path.Combine(inbox, asName + ".part");
        File.Copy(sourceFile, temporary);
        File.Move(temporary, Path.Combine(inbox, asName));
    }

    /// <summary>Stops the hub (if it started), disposes it and deletes its temporary folder.</summary>
    public static async Task StopAndDeleteAsync(WebApplication app, string folder)
    {
        try
        {
            await app.StopAsync(CancellationToken.None);
        }
        catch (ArgumentNullException)
        {
            // The host never started (its start failed and the test reports why); there is nothing to stop.
        }

        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection; the temp folder is cleaned by the OS later.
        }
    }
}

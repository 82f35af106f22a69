using System.Globalization;

namespace Hub.Testing.Processes;

/// <summary>
/// Which account runs the servers. Servers refuse to run as root (PostgreSQL) or switch users themselves (Debian's
/// rabbitmq-server wrapper), so when the tests run as root the fixtures drop to a service account with setpriv.
/// </summary>
internal static class UnixAccount
{
    private static readonly Lazy<bool> IsRootValue = new(ReadIsRoot);

    /// <summary>Whether the test process runs with effective user id 0.</summary>
    public static bool IsRoot => IsRootValue.Value;

    /// <summary>
    /// The account a server should run as: null (the current user) when not root; otherwise the first of
    /// <paramref name="preferred"/> that exists, else nobody.
    /// </summary>
    public static string? ServiceAccount(params string[] preferred)
    {
        if (!IsRoot)
        {
            return null;
        }

        foreach (var name in preferred)
        {
            if (Exists(name))
            {
                return name;
            }
        }

        return "nobody";
    }

    /// <summary>Gives a folder (recursively) to <paramref name="user"/>; a no-op when user is null.</summary>
    public static async Task GiveToAsync(string path, string? user, CancellationToken cancellationToken)
    {
        if (user is null)
        {
            return;
        }

        var result = await ProcessRunner.RunAsync(
            new CommandSpec { FileName = "chown", Arguments = ["-R", $"{user}:{PrimaryGroupId(user)}", path] },
            TimeSpan.FromSeconds(30),
            cancellationToken);
        result.ThrowOnFailure("chown");
    }

    /// <summary>The numeric primary group id of <paramref name="user"/> (group names differ across distributions).</summary>
    public static string PrimaryGroupId(string user) =>
        PasswdEntry(user)?[3] ?? throw new ServerFixtureException($"No account named '{user}' in /etc/passwd.");

    private static bool Exists(string user) => PasswdEntry(user) is not null;

    private static string[]? PasswdEntry(string user)
    {
        if (!File.Exists("/etc/passwd"))
        {
            return null;
        }

        return File.ReadLines("/etc/passwd")
            .Select(line => line.Split(':'))
            .FirstOrDefault(fields => fields.Length > 3 && fields[0] == user);
    }

    private static bool ReadIsRoot()
    {
        // /proc/self/status "Uid:" lists real, effective, saved and filesystem ids; the effective one decides.
        const string statusFile = "/proc/self/status";
        if (!File.Exists(statusFile))
        {
            return string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        }

        var uidLine = File.ReadLines(statusFile).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        var fields = uidLine?.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 2 }
            && int.Parse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture) == 0;
    }
}

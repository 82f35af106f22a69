using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Hub.Testing.Processes;

/// <summary>What to run: a program, its arguments and environment, and optionally the account to run it as.</summary>
internal sealed record CommandSpec
{
    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? WorkingDirectory { get; init; }

    /// <summary>Run as this account via setpriv (needs root); null runs as the current user.</summary>
    public string? RunAsUser { get; init; }

    public override string ToString() => $"{FileName} {string.Join(' ', Arguments)}";
}

/// <summary>The exit code and output of a finished command.</summary>
internal sealed record CommandResult(CommandSpec Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    public CommandResult ThrowOnFailure(string what)
    {
        if (!Succeeded)
        {
            throw new ServerFixtureException(
                $"{what} failed with exit code {ExitCode}: {Command}{System.Environment.NewLine}{StandardOutput}{StandardError}");
        }

        return this;
    }
}

/// <summary>A long-running server process whose output is kept (the last lines) for error messages.</summary>
internal sealed class RunningProcess : IDisposable
{
    private const int KeptLines = 200;
    private readonly ConcurrentQueue<string> tail = new();

    public RunningProcess(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    public int Id => Process.Id;

    public bool HasExited => Process.HasExited;

    public string OutputTail => string.Join(Environment.NewLine, tail);

    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        tail.Enqueue(line);
        while (tail.Count > KeptLines && tail.TryDequeue(out _))
        {
        }
    }

    /// <summary>Kills the process and everything it started (SIGKILL), if it is still running.</summary>
    public void KillTree()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => Process.Dispose();
}

/// <summary>Starts external programs without a shell (arguments are passed as a list, never re-parsed).</summary>
internal static class ProcessRunner
{
    private const string SetPriv = "setpriv";

    /// <summary>Runs a command to its end; on timeout kills it and throws.</summary>
    public static async Task<CommandResult> RunAsync(CommandSpec spec, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(spec) };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        StartOrThrow(process, spec);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new ServerFixtureException($"Timed out after {timeout.TotalSeconds:0}s: {spec}{Environment.NewLine}{Read(stdout)}{Read(stderr)}");
        }

        // The parameterless wait drains the asynchronous output readers.
        await process.WaitForExitAsync(CancellationToken.None);
        return new CommandResult(spec, process.ExitCode, Read(stdout), Read(stderr));
    }

    /// <summary>Starts a server in the background, keeping its output's last lines.</summary>
    public static RunningProcess Start(CommandSpec spec)
    {
        var process = new Process { StartInfo = StartInfo(spec), EnableRaisingEvents = true };
        var running = new RunningProcess(process);
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        StartOrThrow(process, spec);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Sends a signal (e.g. TERM) by process id, as root if needed, via kill(1).</summary>
    public static async Task SignalAsync(int processId, string signal)
    {
        await RunAsync(
            new CommandSpec { FileName = "kill", Arguments = [$"-{signal}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)] },
            TimeSpan.FromSeconds(10),
            CancellationToken.None);
    }

    private static ProcessStartInfo StartInfo(CommandSpec spec)
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory ?? Path.GetTempPath(),
        };

        if (spec.RunAsUser is { } user)
        {
            // setpriv execs the program (no extra process), so the process id we hold is the server's own.
            info.FileName = SetPriv;
            info.ArgumentList.Add($"--reuid={user}");
            info.ArgumentList.Add($"--regid={UnixAccount.PrimaryGroupId(user)}");
            info.ArgumentList.Add("--init-groups");
            info.ArgumentList.Add(spec.FileName);
        }
        else
        {
            info.FileName = spec.FileName;
        }

        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static void StartOrThrow(Process process, CommandSpec spec)
    {
        try
        {
            process.Start();
            process.StandardInput.Close();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ServerFixtureException($"Could not start {spec.FileName}: {ex.Message}", ex);
        }
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string Read(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}

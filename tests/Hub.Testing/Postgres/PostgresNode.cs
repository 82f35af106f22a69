using System.Globalization;
using System.Text.RegularExpressions;
using Hub.Testing.Processes;
using Npgsql;
using Xunit;

namespace Hub.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb and pg_ctl from the installed server binaries, in a temp folder, on a free
/// port on 127.0.0.1, trust auth on loopback, run as an unprivileged account when the tests run as root. Started once
/// per test assembly as the <c>"postgres"</c> collection fixture; each caller gets its own database from
/// <see cref="CreateDatabaseAsync"/>. Missing binaries fail with what to install.
/// </summary>
/// <remarks>
/// xunit 2 only finds collection definitions in the test assembly itself, so each test project declares:
/// <code>[CollectionDefinition(PostgresNode.Collection)] public sealed class PostgresCollection : ICollectionFixture&lt;PostgresNode&gt;;</code>
/// and test classes carry <c>[Collection(PostgresNode.Collection)]</c> and take the node in their constructor.
/// </remarks>
public sealed partial class PostgresNode : IAsyncLifetime
{
    /// <summary>The xunit collection name.</summary>
    public const string Collection = "postgres";

    /// <summary>The superuser initdb creates (trusted on loopback, no password).</summary>
    public const string SuperUser = "postgres";

    /// <summary>Environment variable naming a folder with initdb/pg_ctl, overriding the /usr/lib/postgresql search.</summary>
    public const string BinFolderVariable = "HUB_PG_BIN";

    private const string InstallHint = "PostgreSQL server binaries (initdb, pg_ctl) not found: run `sudo apt-get install -y postgresql` (./test.sh does it when permitted), or set " + BinFolderVariable + ".";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private string? folder;
    private string? binFolder;
    private string? runAs;
    private bool started;
    private bool disposed;

    /// <summary>The address clients connect to (always 127.0.0.1).</summary>
    public string Host { get; } = "127.0.0.1";

    /// <summary>The port, free when the cluster started.</summary>
    public int Port { get; private set; }

    /// <summary>The temp folder holding the cluster (data, socket, log); deleted at dispose.</summary>
    public string Folder => folder ?? throw new InvalidOperationException("The cluster is not started.");

    /// <summary>The postmaster's process id.</summary>
    public int ProcessId { get; private set; }

    /// <summary>A connection string to the maintenance database "postgres" (prefer <see cref="CreateDatabaseAsync"/>).</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    private string DataFolder => Path.Combine(Folder, "data");

    private string LogFile => Path.Combine(Folder, "postgres.log");

    /// <summary>Runs initdb and starts the server, waiting until it accepts connections.</summary>
    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            // Leave nothing running when start fails half-way; the exception then fails every test in the collection.
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        binFolder = FindBinFolder() ?? throw new ServerFixtureException(InstallHint);
        runAs = UnixAccount.ServiceAccount("postgres");
        Port = FreePort.Next();
        folder = Directory.CreateTempSubdirectory("hub-postgres-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "socket"));
        await UnixAccount.GiveToAsync(folder, runAs, CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

        (await RunAsync(
            "initdb",
            ["-D", DataFolder, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]))
            .ThrowOnFailure("initdb");

        var invariant = CultureInfo.InvariantCulture;
        var options = string.Join(
            ' ',
            "-c listen_addresses=127.0.0.1",
            $"-p {Port.ToString(invariant)}",
            $"-c unix_socket_directories={Path.Combine(folder, "socket")}",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=200");
        var start = await RunAsync("pg_ctl", ["start", "-D", DataFolder, "-l", LogFile, "-w", "-t", "120", "-o", options]);
        started = true;
        if (!start.Succeeded)
        {
            throw new ServerFixtureException($"pg_ctl start failed ({start.ExitCode}): {start.StandardOutput}{start.StandardError}{Environment.NewLine}{ReadLogTail()}");
        }

        ProcessId = ReadPostmasterPid() ?? throw new ServerFixtureException($"PostgreSQL started but wrote no postmaster.pid. {ReadLogTail()}");
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> on this cluster.</summary>
    public string ConnectionStringFor(string database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = SuperUser,
            Database = database,
            Timeout = 30,
        }.ConnectionString;
    }

    /// <summary>
    /// Creates a fresh, empty database (name <c>{prefix}_{random}</c>, lower-case) and returns its connection string.
    /// Call it per test class (or per test) so callers never share tables.
    /// </summary>
    public async Task<PostgresDatabase> CreateDatabaseAsync(string prefix = "hub")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ObjectDisposedException.ThrowIf(disposed, this);
        var safePrefix = UnsafeNameCharacters().Replace(prefix.ToLowerInvariant(), "_");
        var name = $"{safePrefix}_{Guid.NewGuid().ToString("N")[..12]}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync();
        }

        return new PostgresDatabase { Name = name, ConnectionString = ConnectionStringFor(name) };
    }

    /// <summary>Stops the server (pg_ctl stop -m fast, then by process id) and deletes the folder.</summary>
    public async Task DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (started)
            {
                try
                {
                    await RunAsync("pg_ctl", ["stop", "-D", DataFolder, "-m", "fast", "-w", "-t", "60"]);
                }
                catch (ServerFixtureException)
                {
                    // Fall through to stopping by process id.
                }

                if (ProcessId > 0 && IsAlive(ProcessId))
                {
                    await ProcessRunner.SignalAsync(ProcessId, "KILL");
                }
            }
        }
        finally
        {
            DeleteFolder();
        }
    }

    private static string? FindBinFolder()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(BinFolderVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return File.Exists(Path.Combine(fromEnvironment, "initdb")) ? fromEnvironment : null;
        }

        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        // The newest installed major version.
        return Directory.EnumerateDirectories(root)
            .Select(d => (Folder: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : -1))
            .Where(c => File.Exists(Path.Combine(c.Folder, "initdb")) && File.Exists(Path.Combine(c.Folder, "pg_ctl")))
            .OrderByDescending(c => c.Version)
            .Select(c => c.Folder)
            .FirstOrDefault();
    }

    private static bool IsAlive(int processId) => Directory.Exists($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}");

    private Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments) =>
        ProcessRunner.RunAsync(
            new CommandSpec
            {
                FileName = Path.Combine(binFolder!, program),
                Arguments = arguments,
                WorkingDirectory = folder,
                RunAsUser = runAs,
                Environment = new Dictionary<string, string>
                {
                    ["HOME"] = folder!,
                    ["LC_ALL"] = "C",
                    ["PGHOST"] = Host,
                },
            },
            CommandTimeout,
            CancellationToken.None);

    private int? ReadPostmasterPid()
    {
        var pidFile = Path.Combine(DataFolder, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var first = File.ReadLines(pidFile).FirstOrDefault();
        return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private string ReadLogTail()
    {
        try
        {
            return File.Exists(LogFile) ? string.Join(Environment.NewLine, File.ReadLines(LogFile).TakeLast(40)) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // Last resort when the runner exits without disposing fixtures: never leave a server behind.
        if (ProcessId > 0 && IsAlive(ProcessId))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(ProcessId);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        DeleteFolder();
    }

    private void DeleteFolder()
    {
        if (folder is not null && Directory.Exists(folder))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the temp folder is cleaned by the OS eventually.
            }
            catch (UnauthorizedAccessException)
            {
                // Same as above.
            }
        }
    }

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex UnsafeNameCharacters();
}

using System.Globalization;
using System.Security.Cryptography;
using Hub.Testing.Processes;
using Xunit;

namespace Hub.Testing.RabbitMq;

/// <summary>
/// A throwaway RabbitMQ node: Debian's rabbitmq-server started by the tests themselves (no Docker), listening on
/// 127.0.0.1 only, on free AMQP/distribution/epmd ports, with its own data, log, config and (empty) plugin files in a
/// temp folder. Started once per test assembly as the <c>"rabbitmq"</c> collection fixture; each test class asks for
/// its own vhost with <see cref="CreateVirtualHostAsync"/>. Missing binaries fail with what to install.
/// </summary>
/// <remarks>
/// xunit 2 only finds collection definitions in the test assembly itself, so each test project declares:
/// <code>[CollectionDefinition(RabbitMqNode.Collection)] public sealed class RabbitMqCollection : ICollectionFixture&lt;RabbitMqNode&gt;;</code>
/// and test classes carry <c>[Collection(RabbitMqNode.Collection)]</c> and take the node in their constructor.
/// </remarks>
public sealed class RabbitMqNode : IAsyncLifetime
{
    /// <summary>The xunit collection name.</summary>
    public const string Collection = "rabbitmq";

    /// <summary>The built-in user; RabbitMQ allows it from loopback only, which is where the node listens.</summary>
    public const string DefaultUserName = "guest";

    /// <summary>The built-in user's password.</summary>
    public const string DefaultPassword = "guest";

    private const string InstallHint = "RabbitMQ is not installed: run `sudo apt-get install -y rabbitmq-server` (./test.sh does it when permitted).";
    private const string LoopbackInterface = "-kernel inet_dist_use_interface {127,0,0,1}";
    private static readonly string[] ScriptFolders = ["/usr/lib/rabbitmq/bin", "/usr/local/lib/rabbitmq/bin"];
    private static readonly string[] EpmdCandidates = ["/usr/bin/epmd", "/usr/lib/erlang/bin/epmd", "/usr/local/bin/epmd"];
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan CtlTimeout = TimeSpan.FromSeconds(60);

    // rabbitmqctl starts its own short-lived Erlang node on one fixed distribution port; calls must not overlap.
    private readonly SemaphoreSlim ctlGate = new(1, 1);
    private readonly Dictionary<string, string> environment = new(StringComparer.Ordinal);
    private string? folder;
    private string? serverScript;
    private string? ctlScript;
    private string? runAs;
    private RunningProcess? epmd;
    private RunningProcess? server;
    private bool disposed;

    /// <summary>The address clients connect to (always 127.0.0.1).</summary>
    public string Host { get; } = "127.0.0.1";

    /// <summary>The AMQP port, free when the node started.</summary>
    public int Port { get; private set; }

    /// <summary>The Erlang distribution port of the node.</summary>
    public int DistributionPort { get; private set; }

    /// <summary>The epmd port this node (and its rabbitmqctl calls) use.</summary>
    public int EpmdPort { get; private set; }

    /// <summary>The unique Erlang node name, e.g. hubtest-1a2b3c4d@localhost.</summary>
    public string NodeName { get; } = $"hubtest-{Guid.NewGuid().ToString("N")[..8]}@localhost";

    /// <summary>The temp folder holding the node's data, logs and config (deleted at dispose).</summary>
    public string Folder => folder ?? throw new InvalidOperationException("The node is not started.");

    /// <summary>The server's process id (the rabbitmq-server script that runs the Erlang VM).</summary>
    public int ProcessId => server?.Id ?? throw new InvalidOperationException("The node is not started.");

    /// <summary>The last lines the server printed, for failure messages.</summary>
    public string OutputTail => server?.OutputTail ?? string.Empty;

    /// <summary>Starts the node and waits until it has booted and its AMQP port accepts connections.</summary>
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
        var scripts = ScriptFolders.FirstOrDefault(f => File.Exists(Path.Combine(f, "rabbitmq-server")))
            ?? throw new ServerFixtureException(InstallHint);
        serverScript = Path.Combine(scripts, "rabbitmq-server");
        ctlScript = Path.Combine(scripts, "rabbitmqctl");
        var epmdPath = EpmdCandidates.FirstOrDefault(File.Exists)
            ?? throw new ServerFixtureException("epmd (Erlang) is missing: run `sudo apt-get install -y rabbitmq-server`.");

        runAs = UnixAccount.ServiceAccount("rabbitmq");
        var ports = FreePort.Next(4);
        Port = ports[0];
        DistributionPort = ports[1];
        EpmdPort = ports[2];
        var ctlPort = ports[3];

        folder = Directory.CreateTempSubdirectory("hub-rabbitmq-").FullName;
        WriteFiles(folder);
        await UnixAccount.GiveToAsync(folder, runAs, CancellationToken.None);

        var invariant = CultureInfo.InvariantCulture;
        environment["HOME"] = folder;
        environment["RABBITMQ_NODENAME"] = NodeName;
        environment["RABBITMQ_USE_LONGNAME"] = "false";
        environment["RABBITMQ_NODE_IP_ADDRESS"] = Host;
        environment["RABBITMQ_NODE_PORT"] = Port.ToString(invariant);
        environment["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(invariant);
        environment["ERL_EPMD_PORT"] = EpmdPort.ToString(invariant);
        environment["ERL_EPMD_ADDRESS"] = Host;
        environment["RABBITMQ_CTL_DIST_PORT_MIN"] = ctlPort.ToString(invariant);
        environment["RABBITMQ_CTL_DIST_PORT_MAX"] = ctlPort.ToString(invariant);
        environment["RABBITMQ_CTL_ERL_ARGS"] = LoopbackInterface;
        environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = LoopbackInterface;
        environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder, "mnesia");
        environment["RABBITMQ_LOG_BASE"] = Path.Combine(folder, "log");
        environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(folder, "rabbitmq.conf");
        environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(folder, "advanced.config");
        environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(folder, "rabbitmq-env.conf");
        environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(folder, "enabled_plugins");
        environment["RABBITMQ_PID_FILE"] = Path.Combine(folder, "rabbitmq.pid");

        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

        // Our own epmd, in the foreground, so it is ours to stop (rabbitmq would otherwise leave a daemon behind).
        epmd = ProcessRunner.Start(new CommandSpec
        {
            FileName = epmdPath,
            Arguments = ["-port", EpmdPort.ToString(invariant)],
            Environment = environment,
            WorkingDirectory = folder,
            RunAsUser = runAs,
        });
        await WaitForPortAsync(EpmdPort, epmd, "epmd", TimeSpan.FromSeconds(30));

        server = ProcessRunner.Start(new CommandSpec
        {
            FileName = serverScript,
            Environment = environment,
            WorkingDirectory = folder,
            RunAsUser = runAs,
        });
        await WaitForBootAsync();
    }

    /// <summary>
    /// Creates a fresh vhost (name <c>hub-{prefix}-{random}</c>) and gives the default user full permissions on it.
    /// Call once per test class so classes never share queues or exchanges.
    /// </summary>
    public async Task<RabbitMqVirtualHost> CreateVirtualHostAsync(string prefix = "test")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var name = $"hub-{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        await RunCtlAsync("add_vhost", name);
        await SetPermissionsAsync(name, DefaultUserName, ".*", ".*", ".*");
        return new RabbitMqVirtualHost
        {
            Name = name,
            Host = Host,
            Port = Port,
            UserName = DefaultUserName,
            Password = DefaultPassword,
        };
    }

    /// <summary>Deletes a vhost and everything in it.</summary>
    public Task DeleteVirtualHostAsync(string name) => RunCtlAsync("delete_vhost", name);

    /// <summary>Creates a user with a password and optional tags (e.g. "administrator"); no permissions yet.</summary>
    public async Task CreateUserAsync(string userName, string password, params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        await RunCtlAsync("add_user", userName, password);
        if (tags.Length > 0)
        {
            await RunCtlAsync(["set_user_tags", userName, .. tags]);
        }
    }

    /// <summary>Deletes a user.</summary>
    public Task DeleteUserAsync(string userName) => RunCtlAsync("delete_user", userName);

    /// <summary>
    /// Sets a user's configure/write/read permission regexes on a vhost (RabbitMQ syntax: ".*" all, "^$" none,
    /// "^agency-a\\." a prefix).
    /// </summary>
    public Task SetPermissionsAsync(string virtualHost, string userName, string configure, string write, string read) =>
        RunCtlAsync("set_permissions", "-p", virtualHost, userName, configure, write, read);

    /// <summary>
    /// Runs any rabbitmqctl command against this node (e.g. "list_queues", "-p", vhost, "name", "messages") and returns
    /// its standard output; throws <see cref="ServerFixtureException"/> on a non-zero exit.
    /// </summary>
    public async Task<string> RunCtlAsync(params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ObjectDisposedException.ThrowIf(disposed, this);
        var result = await CtlAsync(arguments, CtlTimeout);
        result.ThrowOnFailure("rabbitmqctl");
        return result.StandardOutput;
    }

    /// <summary>Stops the node (rabbitmqctl stop, then by process id), stops epmd and deletes the folder.</summary>
    public async Task DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            if (server is { HasExited: false })
            {
                try
                {
                    await CtlAsync(["stop"], TimeSpan.FromSeconds(30));
                }
                catch (ServerFixtureException)
                {
                    // Fall through to stopping by process id.
                }

                if (!await server.WaitForExitAsync(TimeSpan.FromSeconds(15)))
                {
                    await ProcessRunner.SignalAsync(server.Id, "TERM");
                    if (!await server.WaitForExitAsync(TimeSpan.FromSeconds(15)))
                    {
                        server.KillTree();
                    }
                }
            }

            epmd?.KillTree();
            if (epmd is not null)
            {
                await epmd.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            server?.Dispose();
            epmd?.Dispose();
            ctlGate.Dispose();
            DeleteFolder();
        }
    }

    private static void WriteFiles(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "mnesia"));
        Directory.CreateDirectory(Path.Combine(root, "log"));
        File.WriteAllText(Path.Combine(root, "enabled_plugins"), "[].\n");
        File.WriteAllText(Path.Combine(root, "advanced.config"), "[].\n");
        File.WriteAllText(Path.Combine(root, "rabbitmq-env.conf"), string.Empty);
        File.WriteAllText(
            Path.Combine(root, "rabbitmq.conf"),
            """
            log.console = false
            log.file.level = info
            disk_free_limit.absolute = 10MB
            """);

        // A cookie of our own: rabbitmqctl (same HOME) must present it, and no other node on the machine knows it.
        var cookie = Path.Combine(root, ".erlang.cookie");
        File.WriteAllText(cookie, Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));
        if (!OperatingSystem.IsWindows())
        {
            // Erlang refuses a cookie file others can read.
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        }
    }

    private async Task WaitForBootAsync()
    {
        var deadline = DateTimeOffset.UtcNow + StartupTimeout;
        CommandResult? last = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (server!.HasExited)
            {
                throw new ServerFixtureException(
                    $"rabbitmq-server exited with code {server.Process.ExitCode} while starting. Logs in {Folder}/log.{Environment.NewLine}{server.OutputTail}");
            }

            last = await CtlAsync(["await_startup", "--timeout", "20"], TimeSpan.FromSeconds(40));
            if (last.Succeeded && await FreePort.AcceptsAsync(Port, CancellationToken.None))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        throw new ServerFixtureException(
            $"RabbitMQ node {NodeName} did not boot within {StartupTimeout.TotalSeconds:0}s. Last rabbitmqctl output: {last?.StandardOutput}{last?.StandardError}{Environment.NewLine}{server?.OutputTail}");
    }

    private static async Task WaitForPortAsync(int port, RunningProcess process, string what, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new ServerFixtureException($"{what} exited with code {process.Process.ExitCode}: {process.OutputTail}");
            }

            if (await FreePort.AcceptsAsync(port, CancellationToken.None))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new ServerFixtureException($"{what} did not listen on 127.0.0.1:{port} within {timeout.TotalSeconds:0}s: {process.OutputTail}");
    }

    private async Task<CommandResult> CtlAsync(IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        await ctlGate.WaitAsync();
        try
        {
            return await ProcessRunner.RunAsync(
                new CommandSpec
                {
                    FileName = ctlScript!,
                    Arguments = ["-n", NodeName, "-q", .. arguments],
                    Environment = environment,
                    WorkingDirectory = folder,
                    RunAsUser = runAs,
                },
                timeout,
                CancellationToken.None);
        }
        finally
        {
            ctlGate.Release();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // Last resort when the runner exits without disposing fixtures: never leave a broker behind.
        server?.KillTree();
        epmd?.KillTree();
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
                // A process still writing its log; the temp folder is cleaned by the OS eventually.
            }
            catch (UnauthorizedAccessException)
            {
                // Same as above.
            }
        }
    }
}

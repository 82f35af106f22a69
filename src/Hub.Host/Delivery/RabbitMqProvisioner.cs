using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hub.Host.Bus;
using Hub.Routing.Recipients;
using RabbitMQ.Client;

namespace Hub.Host.Delivery;

/// <summary>
/// Settings of <c>hub rabbitmq provision</c> (section <c>Hub:Bus:Provisioning</c>): the rabbitmqctl the hub runs
/// (a path, or a wrapper script that reaches the broker's machine, e.g. over ssh) and the broker's node name.
/// </summary>
internal sealed class ProvisioningOptions
{
    public const string Section = "Hub:Bus:Provisioning";

    /// <summary>The rabbitmqctl executable (or a wrapper taking the same arguments).</summary>
    public string RabbitMqCtl { get; set; } = "rabbitmqctl";

    /// <summary>The node, passed as <c>-n NODE</c>; null uses rabbitmqctl's default.</summary>
    public string? NodeName { get; set; }
}

/// <summary>Runs one rabbitmqctl command (arguments after <c>-n NODE -q</c>) and returns its standard output.</summary>
internal delegate Task<string> RabbitMqCtl(IReadOnlyList<string> arguments, CancellationToken cancellationToken);

/// <summary>A provisioning problem (missing password, failed rabbitmqctl call).</summary>
internal sealed class RabbitMqProvisioningException(string message) : Exception(message);

/// <summary>What one provisioning run did.</summary>
internal sealed record ProvisioningResult(string VirtualHost, IReadOnlyList<string> Users, IReadOnlyList<string> DeletedUsers, IReadOnlyList<string> Commands);

/// <summary>
/// Broker isolation: the hub's vhost; one user per queue recipient (<c>hub-recipient-ID</c>) that may read only its
/// own queue <c>hub.recipient.ID</c> and write only its reply exchange/queue <c>hub.recipient.ID.replies</c>; no
/// permission for guest; users of recipients no longer configured are deleted (RabbitMQ closes their connections).
/// Idempotent. Either applied through rabbitmqctl (<see cref="ApplyAsync"/>) or emitted as a script (<see cref="Script"/>).
/// </summary>
internal sealed class RabbitMqProvisioner(IOptions<BusOptions> bus, RecipientCredentials credentials)
{
    public const string GuestUser = "guest";

    /// <summary>Reply exchange and queue of a recipient.</summary>
    public string ReplyQueueOf(string recipientId) => bus.Value.RecipientQueuePrefix + recipientId + ".replies";

    /// <summary>The recipient's own notification queue.</summary>
    public string QueueOf(string recipientId) => bus.Value.RecipientQueuePrefix + recipientId;

    /// <summary>configure / write / read regexes of a recipient's user.</summary>
    public (string Configure, string Write, string Read) PermissionsOf(string recipientId)
    {
        var own = System.Text.RegularExpressions.Regex.Escape(QueueOf(recipientId));
        return ($"^{own}(\\.replies)?$", $"^{own}\\.replies$", $"^{own}$");
    }

    /// <summary>Applies the provisioning through <paramref name="ctl"/>, reading the broker's state first.</summary>
    public async Task<ProvisioningResult> ApplyAsync(RabbitMqCtl ctl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ctl);
        var recipients = QueueRecipients();
        var vhost = bus.Value.VirtualHost;
        var commands = new List<string[]>();
        var vhosts = Rows(await ctl(["list_vhosts", "name"], cancellationToken).ConfigureAwait(false)).Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
        if (!vhosts.Contains(vhost))
        {
            commands.Add(["add_vhost", vhost]);
        }

        var users = Rows(await ctl(["list_users"], cancellationToken).ConfigureAwait(false)).Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
        commands.AddRange(HubUserCommands(vhost));
        foreach (var r in recipients)
        {
            var user = RecipientCredentials.UserOf(r.Id);
            commands.Add(users.Contains(user) ? ["change_password", user, r.QueuePassword!] : ["add_user", user, r.QueuePassword!]);
            commands.AddRange(RecipientPermissionCommands(vhost, r.Id));
        }

        var configured = recipients.Select(r => RecipientCredentials.UserOf(r.Id)).ToHashSet(StringComparer.Ordinal);
        var deleted = users.Where(u => u.StartsWith(RecipientCredentials.UserPrefix, StringComparison.Ordinal) && !configured.Contains(u)).Order(StringComparer.Ordinal).ToList();
        commands.AddRange(deleted.Select(u => new[] { "delete_user", u }));

        foreach (var command in commands)
        {
            await ctl(command, cancellationToken).ConfigureAwait(false);
        }

        // guest: no permission at all on the hub's vhost (it has them only when someone granted them).
        if (vhosts.Contains(vhost) && users.Contains(GuestUser))
        {
            var permitted = Rows(await ctl(["list_permissions", "-p", vhost], cancellationToken).ConfigureAwait(false)).Any(r => r[0] == GuestUser);
            if (permitted)
            {
                await ctl(["clear_permissions", "-p", vhost, GuestUser], cancellationToken).ConfigureAwait(false);
                commands.Add(["clear_permissions", "-p", vhost, GuestUser]);
            }

            var topic = Rows(await ctl(["list_topic_permissions", "-p", vhost], cancellationToken).ConfigureAwait(false)).Any(r => r[0] == GuestUser);
            if (topic)
            {
                await ctl(["clear_topic_permissions", "-p", vhost, GuestUser], cancellationToken).ConfigureAwait(false);
                commands.Add(["clear_topic_permissions", "-p", vhost, GuestUser]);
            }
        }

        return new ProvisioningResult(
            vhost,
            [.. configured.Order(StringComparer.Ordinal)],
            deleted,
            [.. commands.Select(c => string.Join(' ', c.Select((a, i) => c[0] is "add_user" or "change_password" && i == 2 ? "***" : a)))]);
    }

    /// <summary>
    /// The same provisioning as a POSIX shell script for the broker's machine: idempotent, passwords taken from the
    /// hub's own environment variable names (never written into the script).
    /// </summary>
    public string Script(string? nodeName)
    {
        var recipients = QueueRecipients(requirePasswords: false);
        var vhost = bus.Value.VirtualHost;
        var sb = new StringBuilder();
        sb.AppendLine("#!/bin/sh");
        sb.AppendLine("# Generated by `hub rabbitmq provision --script`. Idempotent; run on the broker's machine.");
        sb.AppendLine("set -eu");
        sb.AppendLine(nodeName is null ? "CTL=\"${RABBITMQCTL:-rabbitmqctl}\"" : $"CTL=\"${{RABBITMQCTL:-rabbitmqctl -n {nodeName}}}\"");
        sb.AppendLine(CultureInfo.InvariantCulture, $"$CTL -q list_vhosts name | grep -qx {Quote(vhost)} || $CTL add_vhost {Quote(vhost)}");
        foreach (var c in HubUserCommands(vhost))
        {
            sb.AppendLine("$CTL " + string.Join(' ', c.Select(Quote)));
        }

        foreach (var r in recipients)
        {
            var user = Quote(RecipientCredentials.UserOf(r.Id));
            var variable = $"\"${{HUB__Recipients__{r.Index}__Delivery__QueuePassword:?set the password of {r.Id}}}\"";
            sb.AppendLine(CultureInfo.InvariantCulture, $"$CTL add_user {user} {variable} 2>/dev/null || $CTL change_password {user} {variable}");
            foreach (var c in RecipientPermissionCommands(vhost, r.Id))
            {
                sb.AppendLine("$CTL " + string.Join(' ', c.Select(Quote)));
            }
        }

        var keep = string.Join('|', recipients.Select(r => RecipientCredentials.UserOf(r.Id)).DefaultIfEmpty("-none-"));
        sb.AppendLine(CultureInfo.InvariantCulture, $"$CTL -q list_users | cut -f1 | grep '^{RecipientCredentials.UserPrefix}' | while read -r u; do case \"$u\" in {keep}) ;; *) $CTL delete_user \"$u\" ;; esac; done");
        sb.AppendLine(CultureInfo.InvariantCulture, $"$CTL -q list_permissions -p {Quote(vhost)} | cut -f1 | grep -qx guest && $CTL clear_permissions -p {Quote(vhost)} guest || true");
        sb.AppendLine(CultureInfo.InvariantCulture, $"$CTL -q list_topic_permissions -p {Quote(vhost)} | cut -f1 | grep -qx guest && $CTL clear_topic_permissions -p {Quote(vhost)} guest || true");
        return sb.ToString();
    }

    /// <summary>
    /// Declares (as the hub's user) each recipient's durable quorum queue and its reply exchange, queue and binding,
    /// so recipients can consume and reply before the first notification.
    /// </summary>
    public async Task DeclareQueuesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await RabbitMqConnections.CreateAsync(bus.Value, "hub-provisioning", cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var r in QueueRecipients(requirePasswords: false))
        {
            await DeclareAsync(channel, QueueOf(r.Id), ReplyQueueOf(r.Id), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Declares a recipient's queue and reply path on an open channel (idempotent).</summary>
    public static async Task DeclareAsync(IChannel channel, string queue, string replies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var quorum = new Dictionary<string, object?> { ["x-queue-type"] = "quorum" };
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: quorum, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueDeclareAsync(replies, durable: true, exclusive: false, autoDelete: false, arguments: quorum, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(replies, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(replies, replies, routingKey: "", cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the configured rabbitmqctl as a process.</summary>
    public static RabbitMqCtl Process(ProvisioningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return async (arguments, cancellationToken) =>
        {
            var start = new ProcessStartInfo(options.RabbitMqCtl)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (options.NodeName is { Length: > 0 } node)
            {
                start.ArgumentList.Add("-n");
                start.ArgumentList.Add(node);
            }

            start.ArgumentList.Add("-q");
            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            using var process = System.Diagnostics.Process.Start(start) ?? throw new RabbitMqProvisioningException($"Could not start {options.RabbitMqCtl}.");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new RabbitMqProvisioningException($"rabbitmqctl {arguments[0]} failed ({process.ExitCode}): {(await error.ConfigureAwait(false)).Trim()}");
            }

            return await output.ConfigureAwait(false);
        };
    }

    private List<RecipientSecret> QueueRecipients(bool requirePasswords = true)
    {
        var recipients = credentials.All().Where(r => r.Channel == DeliveryChannels.Queue).ToList();
        if (string.Equals(bus.Value.Username, GuestUser, StringComparison.Ordinal))
        {
            throw new RabbitMqProvisioningException("Hub:Bus:Username is 'guest': give the hub its own RabbitMQ user; guest gets no permission on the hub's vhost.");
        }

        var missing = recipients.Where(r => string.IsNullOrEmpty(r.QueuePassword)).Select(r => r.Id).ToList();
        if (requirePasswords && missing.Count > 0)
        {
            throw new RabbitMqProvisioningException(
                "No queue password for " + string.Join(", ", missing) + ": set HUB__Recipients__N__Delivery__QueuePassword in the environment.");
        }

        return recipients;
    }

    private IEnumerable<string[]> HubUserCommands(string vhost)
    {
        var hub = bus.Value.Username;
        yield return ["set_permissions", "-p", vhost, hub, ".*", ".*", ".*"];
        yield return ["set_topic_permissions", "-p", vhost, hub, ".*", ".*", ".*"];
    }

    private IEnumerable<string[]> RecipientPermissionCommands(string vhost, string recipientId)
    {
        var user = RecipientCredentials.UserOf(recipientId);
        var (configure, write, read) = PermissionsOf(recipientId);
        yield return ["set_permissions", "-p", vhost, user, configure, write, read];
        yield return ["set_topic_permissions", "-p", vhost, user, "amq.topic", "^$", "^$"];
    }

    private static IEnumerable<string[]> Rows(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('\t'))
            .Where(c => c[0] is not ("name" or "user" or "Listing") && !c[0].StartsWith("Listing ", StringComparison.Ordinal));

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

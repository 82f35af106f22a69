using System.CommandLine;
using Hub.Host.Delivery;

namespace Hub.Host.Cli;

/// <summary>
/// <c>hub rabbitmq provision [--script FILE]</c>: broker isolation (vhost, one user per recipient, permissions,
/// removed recipients' users deleted). Applies through <c>Hub:Bus:Provisioning:RabbitMqCtl</c>, or writes the same
/// steps as an idempotent shell script to run on the broker's machine.
/// </summary>
internal static class RabbitMqCommands
{
    public static Command Create()
    {
        var rabbitmq = new Command("rabbitmq", "RabbitMQ broker administration.");
        var provision = new Command("provision", "Create (idempotently) the hub's vhost, one user per queue recipient with permissions on its own queues only, and delete users of removed recipients.");
        var script = new Option<FileInfo?>("--script") { Description = "Write a shell script for the broker's machine instead of running rabbitmqctl ('-' for stdout)." };
        var noDeclare = new Option<bool>("--no-declare") { Description = "Do not declare the recipients' queues over AMQP after provisioning." };
        provision.Options.Add(script);
        provision.Options.Add(noDeclare);
        provision.SetAction(async (parse, ct) =>
        {
            var app = HubApplication.Build(new HubRunSettings(HubCommandLine.ConfigFile(parse), Watch: false, Dispatch: false, Web: false, LocalKeys: false));
            var provisioner = app.Services.GetRequiredService<RabbitMqProvisioner>();
            var options = app.Services.GetRequiredService<IOptions<ProvisioningOptions>>().Value;
            try
            {
                var scriptFile = parse.GetValue(script);
                if (scriptFile is not null)
                {
                    var text = provisioner.Script(options.NodeName);
                    if (scriptFile.Name == "-")
                    {
                        await Console.Out.WriteAsync(text).ConfigureAwait(false);
                    }
                    else
                    {
                        await File.WriteAllTextAsync(scriptFile.FullName, text, ct).ConfigureAwait(false);
                        await Console.Out.WriteLineAsync($"Wrote {scriptFile.FullName}").ConfigureAwait(false);
                    }

                    return 0;
                }

                var result = await provisioner.ApplyAsync(RabbitMqProvisioner.Process(options), ct).ConfigureAwait(false);
                foreach (var command in result.Commands)
                {
                    await Console.Out.WriteLineAsync("rabbitmqctl " + command).ConfigureAwait(false);
                }

                if (!parse.GetValue(noDeclare))
                {
                    await provisioner.DeclareQueuesAsync(ct).ConfigureAwait(false);
                }

                await Console.Out.WriteLineAsync($"vhost {result.VirtualHost}: {result.Users.Count} recipient user(s), {result.DeletedUsers.Count} deleted").ConfigureAwait(false);
                return 0;
            }
            catch (RabbitMqProvisioningException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return 2;
            }
        });
        rabbitmq.Subcommands.Add(provision);
        return rabbitmq;
    }
}

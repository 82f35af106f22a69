using System.Text;
using Hub.Host.Bus;
using Hub.Host.Delivery;
using Hub.Testing.RabbitMq;
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;

namespace Hub.Host.Tests.Delivery;

/// <summary>
/// `hub rabbitmq provision` on a real node through rabbitmqctl: every recipient is refused (403 ACCESS_REFUSED) on
/// every other recipient's queues for configure, write and read, while its own queue and reply exchange work;
/// guest cannot open the hub's vhost; provisioning is idempotent; a removed recipient's user is deleted.
/// </summary>
[Collection(RabbitMqNode.Collection)]
[Trait("Category", "Integration")]
public sealed class BrokerIsolationTests(RabbitMqNode rabbit)
{
    private static readonly string[] Recipients = ["team-a", "team-b", "team-c"];
    private readonly string _vhost = "hub-iso-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _hubUser = "hubsvc-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _hubPassword = Guid.NewGuid().ToString("N");
    private readonly Dictionary<string, string> _passwords = Recipients.ToDictionary(r => r, _ => Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Given_provisioned_recipients_When_one_uses_its_credentials_on_another_queue_Then_configure_write_and_read_are_refused()
    {
        await rabbit.CreateUserAsync(_hubUser, _hubPassword);
        var provisioner = Provisioner(Recipients);
        await provisioner.ApplyAsync(Ctl, CancellationToken.None);
        await provisioner.ApplyAsync(Ctl, CancellationToken.None); // idempotent: a second run changes nothing and does not fail
        await provisioner.DeclareQueuesAsync(CancellationToken.None);

        foreach (var a in Recipients)
        {
            // Its own queue and reply exchange work.
            Assert.Null(await RefusalAsync(a, async ch => await ch.BasicGetAsync("hub.recipient." + a, autoAck: false)));
            Assert.Null(await RefusalAsync(a, async ch => await Publish(ch, "hub.recipient." + a + ".replies", "")));
            Assert.Null(await RefusalAsync(a, async ch => await Declare(ch, "hub.recipient." + a)));

            foreach (var b in Recipients.Where(b => b != a))
            {
                var queue = "hub.recipient." + b;
                Assert.Equal(403, await RefusalAsync(a, async ch => await Declare(ch, queue)));                       // configure
                Assert.Equal(403, await RefusalAsync(a, async ch => await Declare(ch, queue + ".replies")));          // configure
                Assert.Equal(403, await RefusalAsync(a, async ch => await Publish(ch, "", queue)));                   // write via the default exchange
                Assert.Equal(403, await RefusalAsync(a, async ch => await Publish(ch, queue + ".replies", "")));      // write to B's reply exchange
                Assert.Equal(403, await RefusalAsync(a, async ch => await ch.BasicGetAsync(queue, autoAck: false)));  // read (get)
                Assert.Equal(403, await RefusalAsync(a, async ch => await ch.BasicConsumeAsync(queue, autoAck: false, new AsyncDefaultBasicConsumerStub(ch)))); // read (consume)
            }
        }
    }

    [Fact]
    public async Task Given_guest_had_permissions_When_provisioned_Then_guest_cannot_open_the_vhost_and_a_removed_recipient_user_is_deleted()
    {
        await rabbit.CreateUserAsync(_hubUser, _hubPassword);
        await Provisioner(Recipients).ApplyAsync(Ctl, CancellationToken.None);
        await rabbit.SetPermissionsAsync(_vhost, RabbitMqNode.DefaultUserName, ".*", ".*", ".*");

        var result = await Provisioner(["team-a", "team-b"]).ApplyAsync(Ctl, CancellationToken.None);

        Assert.Equal(["hub-recipient-team-c"], result.DeletedUsers);
        Assert.DoesNotContain(result.Commands, c => c.Contains(_passwords["team-a"], StringComparison.Ordinal));
        var users = await rabbit.RunCtlAsync("list_users");
        Assert.DoesNotContain("hub-recipient-team-c", users, StringComparison.Ordinal);
        Assert.Contains("hub-recipient-team-a", users, StringComparison.Ordinal);
        var permissions = await rabbit.RunCtlAsync("list_permissions", "-p", _vhost);
        Assert.DoesNotContain(permissions.Split('\n'), l => l.StartsWith("guest\t", StringComparison.Ordinal));

        var guest = new ConnectionFactory { HostName = rabbit.Host, Port = rabbit.Port, VirtualHost = _vhost, UserName = "guest", Password = "guest" };
        var refused = await Record.ExceptionAsync(async () =>
        {
            // The refusal of the vhost can arrive after CreateConnectionAsync returns: do an operation before judging.
            await using var connection = await guest.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            await channel.ExchangeDeclarePassiveAsync("amq.direct");
        });
        Assert.NotNull(refused);
        Assert.Contains("refused", Flatten(refused), StringComparison.OrdinalIgnoreCase);

        var removed = await Record.ExceptionAsync(async () =>
        {
            await using var connection = await Factory("team-c").CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            await channel.ExchangeDeclarePassiveAsync("amq.direct");
        });
        Assert.NotNull(removed);
    }

    private Task<string> Ctl(IReadOnlyList<string> arguments, CancellationToken cancellationToken) => rabbit.RunCtlAsync([.. arguments]);

    private RabbitMqProvisioner Provisioner(IReadOnlyList<string> recipients)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < recipients.Count; i++)
        {
            settings[$"Hub:Recipients:{i}:Id"] = recipients[i];
            settings[$"Hub:Recipients:{i}:Delivery:Channel"] = "queue";
            settings[$"Hub:Recipients:{i}:Delivery:QueuePassword"] = _passwords[recipients[i]];
        }

        var bus = new BusOptions
        {
            Transport = BusOptions.RabbitMq,
            Host = rabbit.Host,
            Port = rabbit.Port,
            VirtualHost = _vhost,
            Username = _hubUser,
            Password = _hubPassword,
        };
        return new RabbitMqProvisioner(Options.Create(bus), new RecipientCredentials(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
    }

    private ConnectionFactory Factory(string recipient) => new()
    {
        HostName = rabbit.Host,
        Port = rabbit.Port,
        VirtualHost = _vhost,
        UserName = RecipientCredentials.UserOf(recipient),
        Password = _passwords[recipient],
    };

    /// <summary>Runs <paramref name="operation"/> as <paramref name="recipient"/>; returns the channel's close code, or null when allowed.</summary>
    private async Task<int?> RefusalAsync(string recipient, Func<IChannel, Task> operation)
    {
        await using var connection = await Factory(recipient).CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        try
        {
            await operation(channel);

            // A refused publish closes the channel asynchronously: a round trip surfaces it.
            await channel.ExchangeDeclarePassiveAsync("amq.direct");
            return null;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex)
        {
            return ex.ShutdownReason?.ReplyCode ?? channel.CloseReason?.ReplyCode;
        }
        finally
        {
            await channel.DisposeAsync();
        }
    }

    private static Task Declare(IChannel channel, string queue) =>
        channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });

    private static ValueTask Publish(IChannel channel, string exchange, string routingKey) =>
        channel.BasicPublishAsync(exchange, routingKey, Encoding.UTF8.GetBytes("{}"));

    private static string Flatten(Exception ex) => ex.InnerException is null ? ex.Message : ex.Message + " | " + Flatten(ex.InnerException);

    private sealed class AsyncDefaultBasicConsumerStub(IChannel channel) : AsyncDefaultBasicConsumer(channel);
}

using System.Globalization;
using Hub.Testing.RabbitMq;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Hub.Host.Tests.Bus;

/// <summary>
/// Checks the throwaway broker itself: it listens on loopback only, and its vhosts and users really isolate agencies,
/// which the per-recipient queue tests rely on.
/// </summary>
[Collection(RabbitMqNode.Collection)]
[Trait("Category", "Integration")]
public sealed class RabbitMqNodeTests(RabbitMqNode node)
{
    [Fact]
    public void Given_the_started_node_When_its_listening_sockets_are_read_Then_amqp_and_distribution_are_on_loopback_only()
    {
        var listeners = ListeningAddresses();

        string[] loopback = ["127.0.0.1", "::1"];
        Assert.Equal(["127.0.0.1"], listeners[node.Port]);
        Assert.Equal(["127.0.0.1"], listeners[node.DistributionPort]);
        Assert.All(listeners[node.EpmdPort], address => Assert.Contains(address, loopback));
    }

    [Fact]
    public async Task Given_a_user_allowed_on_one_vhost_When_it_connects_to_another_Then_the_broker_refuses()
    {
        var own = await node.CreateVirtualHostAsync("own");
        var other = await node.CreateVirtualHostAsync("other");
        var user = $"agency-{Guid.NewGuid().ToString("N")[..8]}";
        const string password = "s3cret-for-tests";
        await node.CreateUserAsync(user, password);
        await node.SetPermissionsAsync(own.Name, user, ".*", ".*", ".*");

        Assert.Null(await RefusalAsync(own.Name, user, password));
        var refusal = await RefusalAsync(other.Name, user, password);

        Assert.NotNull(refusal);
        Assert.Contains("NOT_ALLOWED", refusal, StringComparison.Ordinal);
        Assert.Contains(other.Name, refusal, StringComparison.Ordinal);
    }

    /// <summary>
    /// Connects and declares a queue; returns the broker's refusal, or null when it worked. RabbitMQ.Client 7.1 can
    /// return from CreateConnectionAsync before the broker's 530 arrives, so the refusal may surface on the channel.
    /// </summary>
    private async Task<string?> RefusalAsync(string vhost, string user, string password)
    {
        try
        {
            await using var connection = await Factory(vhost, user, password).CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeclareAsync($"probe-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true);
            return null;
        }
        catch (BrokerUnreachableException ex)
        {
            return ex.ToString();
        }
        catch (OperationInterruptedException ex)
        {
            return ex.ToString();
        }
    }

    private ConnectionFactory Factory(string vhost, string user, string password) => new()
    {
        HostName = node.Host,
        Port = node.Port,
        VirtualHost = vhost,
        UserName = user,
        Password = password,
        AutomaticRecoveryEnabled = false,
    };

    /// <summary>Listening TCP sockets (state 0A) from /proc/net/tcp and tcp6, by port.</summary>
    private static Dictionary<int, List<string>> ListeningAddresses()
    {
        var byPort = new Dictionary<int, List<string>>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4 || fields[3] != "0A")
                {
                    continue;
                }

                var local = fields[1].Split(':');
                var port = int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var address = local[0] switch
                {
                    "0100007F" => "127.0.0.1",
                    "00000000" => "0.0.0.0",
                    "00000000000000000000000001000000" => "::1",
                    "00000000000000000000000000000000" => "::",
                    var other => other,
                };
                if (!byPort.TryGetValue(port, out var addresses))
                {
                    byPort[port] = addresses = [];
                }

                addresses.Add(address);
            }
        }

        return byPort;
    }
}

using Hub.Contracts.Messages;
using Hub.Testing.RabbitMq;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Host.Tests.Bus;

/// <summary>
/// A contract message crosses a real RabbitMQ broker (the throwaway node, its own vhost) through MassTransit:
/// guards against serializer, naming or topology settings that work in memory but not on the wire.
/// </summary>
[Collection(RabbitMqNode.Collection)]
[Trait("Category", "Integration")]
public sealed class RabbitMqTransportTests(RabbitMqNode node)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Given_a_bus_on_the_real_broker_When_an_acknowledgement_is_published_Then_the_consumer_receives_it_intact()
    {
        var vhost = await node.CreateVirtualHostAsync("transport");
        var received = new TaskCompletionSource<NotificationAcknowledged>(TaskCreationOptions.RunContinuationsAsynchronously);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(received);
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<AcknowledgementProbe>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(vhost.Host, (ushort)vhost.Port, vhost.Name, host =>
                {
                    host.Username(vhost.UserName);
                    host.Password(vhost.Password);
                });
                rabbit.ConfigureEndpoints(context);
            });
        });

        await using var provider = services.BuildServiceProvider(validateScopes: true);
        var busControl = provider.GetRequiredService<IBusControl>();
        using var cts = new CancellationTokenSource(Timeout);
        await busControl.StartAsync(cts.Token);
        try
        {
            var sent = new NotificationAcknowledged
            {
                NotificationId = Guid.NewGuid(),
                EpisodeId = Guid.NewGuid(),
                RecipientId = "county-health-outreach",
                OccurredAtUtc = new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero),
                AcknowledgedBy = "outreach-desk",
            };

            await busControl.Publish(sent, cts.Token);
            var got = await received.Task.WaitAsync(Timeout);

            Assert.Equal(sent, got);

            // The queue really lives on the broker, in this class's vhost.
            var queues = await node.RunCtlAsync("list_queues", "-p", vhost.Name, "name");
            Assert.Contains("AcknowledgementProbe", queues, StringComparison.Ordinal);
        }
        finally
        {
            await busControl.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Hands the first message it consumes to the test.</summary>
    public sealed class AcknowledgementProbe(TaskCompletionSource<NotificationAcknowledged> received) : IConsumer<NotificationAcknowledged>
    {
        public Task Consume(ConsumeContext<NotificationAcknowledged> context)
        {
            received.TrySetResult(context.Message);
            return Task.CompletedTask;
        }
    }
}

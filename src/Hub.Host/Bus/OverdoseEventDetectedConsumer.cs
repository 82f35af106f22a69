using Hub.Contracts.Messages;
using Hub.Host.Pipeline;
using MassTransit;

namespace Hub.Host.Bus;

/// <summary>
/// Routes a detected event. It does not catch: a transient fault is retried by the definition below, and what
/// still fails goes to the error queue with its fault headers (MassTransit's behaviour), never swallowed.
/// </summary>
internal sealed class OverdoseEventDetectedConsumer(EpisodeProcessor processor, PipelineProgress progress) : IConsumer<OverdoseEventDetected>
{
    public async Task Consume(ConsumeContext<OverdoseEventDetected> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await processor.ProcessAsync(context.Message.Event, context.CancellationToken).ConfigureAwait(false);
        progress.OnProcessed();
    }
}

/// <summary>Retry settings beside the consumer: transient storage faults only.</summary>
internal sealed class OverdoseEventDetectedConsumerDefinition : ConsumerDefinition<OverdoseEventDetectedConsumer>
{
    public OverdoseEventDetectedConsumerDefinition() => EndpointName = "hub.overdose-event-detected";

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<OverdoseEventDetectedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<System.Data.Common.DbException>();
            r.Handle<TimeoutException>();
            r.Handle<IOException>();
            r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
        });

        // The episode linker keeps per-person state: one event at a time per hub instance keeps it consistent.
        endpointConfigurator.ConcurrentMessageLimit = 1;
    }
}

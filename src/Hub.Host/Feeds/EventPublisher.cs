using System.Text.Json;
using Hub.Audit.Outbox;
using Hub.Contracts.Messages;
using Hub.Contracts.Model;
using Hub.Contracts.Serialization;
using Hub.Host.Bus;
using Hub.Host.Pipeline;
using MassTransit;

namespace Hub.Host.Feeds;

/// <summary>What became of one detected event handed to the bus.</summary>
internal enum PublishOutcome
{
    /// <summary>The bus took it.</summary>
    Published,

    /// <summary>The bus did not take it in time; it is parked in the database and will be published again.</summary>
    Parked,
}

/// <summary>
/// Hands detected events to the pipeline over the bus. An accepted input's events must never be lost, and a broker
/// that is down or blocked must not stall intake: a publish that fails or takes longer than
/// <see cref="BusOptions.PublishTimeout"/> parks the event (<see cref="IParkedEventStore"/>, encrypted), and for the
/// next <see cref="BusOptions.RepublishInterval"/> further events are parked without trying the bus.
/// <see cref="ParkedEventRepublisher"/> publishes parked events again, under the same message id.
/// </summary>
internal sealed partial class EventPublisher(
    IBus bus,
    IParkedEventStore parked,
    IOptions<BusOptions> options,
    PipelineProgress progress,
    TimeProvider time,
    ILogger<EventPublisher> logger)
{
    private long _suspendedUntilTicks;

    /// <summary>True while events are parked without trying the bus (after a failed publish).</summary>
    private bool Suspended => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _suspendedUntilTicks);

    /// <summary>Publishes one event, or parks it when the bus does not take it.</summary>
    public async Task<PublishOutcome> PublishAsync(OverdoseEvent overdose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overdose);
        var message = MessageOf(overdose);
        if (!Suspended && await TryPublishAsync(message, cancellationToken).ConfigureAwait(false))
        {
            progress.OnPublished();
            return PublishOutcome.Published;
        }

        await parked.ParkAsync(
            new ParkedEvent
            {
                EventId = overdose.EventId,
                MessageId = message.MessageId,
                FeedId = overdose.FeedId,
                PayloadJson = JsonSerializer.Serialize(overdose, HubJson.Options),
                ParkedAtUtc = time.GetUtcNow(),
            },
            cancellationToken).ConfigureAwait(false);
        progress.OnParked();
        LogParked(logger, message.MessageId);
        return PublishOutcome.Parked;
    }

    /// <summary>
    /// Publishes up to <paramref name="max"/> parked events, oldest first; stops at the first the bus does not take.
    /// Returns how many were published and how many remain parked.
    /// </summary>
    public async Task<(int Published, long Remaining)> RepublishAsync(int max, CancellationToken cancellationToken)
    {
        var published = 0;
        foreach (var row in await parked.GetAsync(max, cancellationToken).ConfigureAwait(false))
        {
            OverdoseEvent? overdose;
            try
            {
                overdose = JsonSerializer.Deserialize<OverdoseEvent>(row.PayloadJson, HubJson.Options);
            }
            catch (JsonException ex)
            {
                overdose = null;
                await parked.RecordFailedAttemptAsync(row.EventId, "unreadable: " + ex.GetType().Name, cancellationToken).ConfigureAwait(false);
            }

            if (overdose is null)
            {
                LogUnreadable(logger, row.MessageId);
                continue;
            }

            if (!await TryPublishAsync(MessageOf(overdose), cancellationToken).ConfigureAwait(false))
            {
                await parked.RecordFailedAttemptAsync(row.EventId, "not published", cancellationToken).ConfigureAwait(false);
                break;
            }

            await parked.RemoveAsync(row.EventId, cancellationToken).ConfigureAwait(false);
            progress.OnPublished();
            published++;
        }

        var remaining = await parked.CountAsync(cancellationToken).ConfigureAwait(false);
        if (published > 0)
        {
            Interlocked.Exchange(ref _suspendedUntilTicks, 0);
            LogRepublished(logger, published, remaining);
        }

        return (published, remaining);
    }

    /// <summary>The message of an event: its id derives from the event id, so a publish again is the same message.</summary>
    private OverdoseEventDetected MessageOf(OverdoseEvent overdose) => new()
    {
        MessageId = DeterministicGuid.From("event:" + overdose.EventId),
        OccurredAtUtc = time.GetUtcNow(),
        SourceAgency = overdose.SourceAgencyId,
        Event = overdose,
    };

    private async Task<bool> TryPublishAsync(OverdoseEventDetected message, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(options.Value.PublishTimeout);
        try
        {
            // One timer bounds both: the publish sees the token, and WaitAsync stops waiting where the transport ignores
            // it (a blocked connection's confirm).
            await bus.Publish(message, bounded.Token).WaitAsync(bounded.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var until = time.GetUtcNow() + options.Value.RepublishInterval;
            if (Interlocked.Exchange(ref _suspendedUntilTicks, until.UtcTicks) < time.GetUtcNow().UtcTicks)
            {
                LogBusUnavailable(logger, ex.GetType().Name, options.Value.RepublishInterval);
            }

            return false;
        }
    }

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "The bus did not take a detected event ({Error}); events are parked in the database and published again every {Interval}")]
    private static partial void LogBusUnavailable(ILogger logger, string error, TimeSpan interval);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Debug, Message = "Detected event {MessageId} parked")]
    private static partial void LogParked(ILogger logger, Guid messageId);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Information, Message = "Published {Published} parked event(s) again; {Remaining} still parked")]
    private static partial void LogRepublished(ILogger logger, int published, long remaining);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Error, Message = "Parked event {MessageId} cannot be read back; it stays parked for an operator")]
    private static partial void LogUnreadable(ILogger logger, Guid messageId);
}

/// <summary>Publishes parked events again at start and every <see cref="BusOptions.RepublishInterval"/>.</summary>
internal sealed partial class ParkedEventRepublisher(EventPublisher publisher, IOptions<BusOptions> options, TimeProvider time, ILogger<ParkedEventRepublisher> logger)
    : BackgroundService
{
    private const int Batch = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Drain in batches while the bus takes them; wait an interval after a failure or when none are left.
                (int Published, long Remaining) round;
                do
                {
                    round = await publisher.RepublishAsync(Batch, stoppingToken).ConfigureAwait(false);
                }
                while (round.Published == Batch && round.Remaining > 0);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(logger, ex.GetType().Name);
            }

            await Task.Delay(options.Value.RepublishInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1110, Level = LogLevel.Error, Message = "Publishing parked events again failed ({Error}); retrying at the next interval")]
    private static partial void LogRoundFailed(ILogger logger, string error);
}

using Hub.Contracts.Messages;
using Hub.Host.Pipeline;
using MassTransit;

namespace Hub.Host.Bus;

/// <summary>
/// Observes events that failed after every retry (they are in the error queue with their fault headers):
/// counts them and logs the event id and exception type — never the message, which carries PHI.
/// </summary>
internal sealed partial class OverdoseEventFaultConsumer(PipelineProgress progress, ILogger<OverdoseEventFaultConsumer> logger)
    : IConsumer<Fault<OverdoseEventDetected>>
{
    public Task Consume(ConsumeContext<Fault<OverdoseEventDetected>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        progress.OnFailed();
        var exception = context.Message.Exceptions.FirstOrDefault()?.ExceptionType ?? "unknown";
        LogFaulted(logger, context.Message.Message.Event.EventId, exception);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Error, Message = "Event {EventId} failed after retries ({ExceptionType}); it is in the error queue")]
    private static partial void LogFaulted(ILogger logger, string eventId, string exceptionType);
}

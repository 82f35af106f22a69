using System.Text.Json;
using Hub.Contracts.Messages;
using Hub.Contracts.Serialization;
using Hub.Host.Bus;

namespace Hub.Host.Delivery;

/// <summary>Delivery beyond the outbox dispatcher: the recipients' way back (acknowledgments, outcomes), re-sends and escalation.</summary>
internal static class DeliveryServiceCollectionExtensions
{
    /// <summary>The header carrying a recipient's API key on the HTTP reply path.</summary>
    public const string ApiKeyHeader = "X-Hub-Api-Key";

    public static IServiceCollection AddHubDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HubDeliveryOptions>().BindConfiguration(HubDeliveryOptions.Section).ValidateDataAnnotations();
        services.AddOptions<ProvisioningOptions>().BindConfiguration(ProvisioningOptions.Section);
        services.AddSingleton<RecipientCredentials>();
        services.AddSingleton<DeliveryTracker>();
        services.AddSingleton<FeedbackRecorder>();
        services.AddSingleton<RabbitMqProvisioner>();
        services.AddSingleton<NotificationFollowUp>();
        services.AddSingleton<DeadLetters>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationFollowUp>());

        var transport = configuration[$"{BusOptions.Section}:{nameof(BusOptions.Transport)}"];
        var replies = configuration.GetValue($"{HubDeliveryOptions.Section}:{nameof(HubDeliveryOptions.ReplyQueues)}", true);
        services.AddSingleton<ReplyQueueListener>();
        if (transport == BusOptions.RabbitMq && replies)
        {
            services.AddHostedService(sp => sp.GetRequiredService<ReplyQueueListener>());
        }

        return services;
    }

    /// <summary>
    /// <c>POST /api/notifications/{id}/ack</c> and <c>/outcome</c>: the HTTP reply path, authenticated by the
    /// recipient's API key in <c>X-Hub-Api-Key</c> (stored as its SHA-256 in <c>Hub:Recipients:N:Delivery:ApiKeySha256</c>).
    /// 202 recorded; 400 bad body; 401 unknown key; 403 the body names another recipient; 404 not sent to this recipient.
    /// </summary>
    public static IEndpointRouteBuilder MapHubDeliveryEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/notifications/{id:guid}/ack", (Guid id, HttpContext http) =>
            ReplyAsync<NotificationAcknowledged>(http, id, m => m.NotificationId, (r, sender, m, ct) => r.AcknowledgeAsync(sender, m, "http", ct)));
        app.MapPost("/api/notifications/{id:guid}/outcome", (Guid id, HttpContext http) =>
            ReplyAsync<OutreachOutcomeReported>(http, id, m => m.NotificationId, (r, sender, m, ct) => r.ReportOutcomeAsync(sender, m, "http", ct)));
        return app;
    }

    private static async Task<IResult> ReplyAsync<T>(
        HttpContext http,
        Guid id,
        Func<T, Guid> notificationOf,
        Func<FeedbackRecorder, string, T, CancellationToken, Task<FeedbackResult>> record)
        where T : class
    {
        var credentials = http.RequestServices.GetRequiredService<RecipientCredentials>();
        var sender = credentials.RecipientOfApiKey(http.Request.Headers[ApiKeyHeader].ToString());
        if (sender is null)
        {
            return Results.Unauthorized();
        }

        T? message;
        try
        {
            message = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, HubJson.Options, http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return Results.BadRequest(new { error = "The body is not a valid message (see docs/contracts/)." });
        }

        if (message is null || notificationOf(message) != id)
        {
            return Results.BadRequest(new { error = "notificationId in the body must match the URL." });
        }

        var recorder = http.RequestServices.GetRequiredService<FeedbackRecorder>();
        return await record(recorder, sender, message, http.RequestAborted).ConfigureAwait(false) switch
        {
            FeedbackResult.Recorded => Results.Accepted(),
            FeedbackResult.RecipientMismatch => Results.StatusCode(StatusCodes.Status403Forbidden),
            _ => Results.NotFound(),
        };
    }
}

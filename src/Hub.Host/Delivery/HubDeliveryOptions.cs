using System.ComponentModel.DataAnnotations;

namespace Hub.Host.Delivery;

/// <summary>
/// Delivery behaviour (section <c>Hub:Delivery</c>): webhook retries, re-sends and escalation of unacknowledged
/// notifications. JSON shape:
/// <code>{ "Webhook": { "MaxAttempts": 6, "InitialBackoff": "00:00:05", "MaxBackoff": "00:15:00" },
///   "FollowUp": { "ResendAfter": "00:30:00", "EscalateAfter": "02:00:00", "EscalationRecipientId": null, "Interval": "00:01:00" },
///   "ReplyQueues": true }</code>
/// </summary>
internal sealed class HubDeliveryOptions
{
    public const string Section = "Hub:Delivery";

    /// <summary>Webhook retry schedule.</summary>
    public WebhookRetryOptions Webhook { get; set; } = new();

    /// <summary>Re-send and escalation of unacknowledged notifications.</summary>
    public FollowUpOptions FollowUp { get; set; } = new();

    /// <summary>Consume the recipients' reply queues (RabbitMQ transport only).</summary>
    public bool ReplyQueues { get; set; } = true;
}

/// <summary>Exponential backoff: attempt n (1-based) waits InitialBackoff·2^(n-1), capped at MaxBackoff.</summary>
internal sealed class WebhookRetryOptions
{
    /// <summary>Attempts before the row is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Wait after the first failure.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of a wait.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The wait after <paramref name="failedAttempts"/> failures.</summary>
    public TimeSpan BackoffAfter(int failedAttempts)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 30);
        var ticks = InitialBackoff.Ticks * Math.Pow(2, exponent);
        return ticks >= MaxBackoff.Ticks ? MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }
}

/// <summary>When an unacknowledged notification is re-sent (same message id) and then escalated.</summary>
internal sealed class FollowUpOptions
{
    /// <summary>Time after delivery without acknowledgment before the one re-send; zero disables follow-up.</summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Time after the re-send without acknowledgment before escalation.</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A recipient told (in the ledger and log, ids only) about escalations; null logs only.</summary>
    public string? EscalationRecipientId { get; set; }

    /// <summary>How often the background follow-up runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}

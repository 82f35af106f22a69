using System.ComponentModel.DataAnnotations;

namespace Hub.Host.Bus;

/// <summary>
/// Message bus settings (section <c>Hub:Bus</c>). JSON shape:
/// <code>{ "Transport": "rabbitmq", "Host": "127.0.0.1", "Port": 5672, "VirtualHost": "hub", "Username": "hub", "UseTls": false }</code>
/// The password comes from the environment: <c>HUB__Bus__Password</c>.
/// </summary>
internal sealed class BusOptions
{
    public const string Section = "Hub:Bus";
    public const string InMemory = "in-memory";
    public const string RabbitMq = "rabbitmq";

    /// <summary><c>in-memory</c> (embedded default, one process) or <c>rabbitmq</c>.</summary>
    [Required]
    public string Transport { get; set; } = InMemory;

    /// <summary>RabbitMQ host name.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>AMQP port (5672, or 5671 with TLS).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 5672;

    /// <summary>Virtual host.</summary>
    public string VirtualHost { get; set; } = "/";

    /// <summary>User name.</summary>
    public string Username { get; set; } = "guest";

    /// <summary>Password (from the environment).</summary>
    public string Password { get; set; } = "guest";

    /// <summary>Use TLS (AMQPS).</summary>
    public bool UseTls { get; set; }

    /// <summary>Prefix of each recipient's own queue: the queue of recipient <c>x</c> is <c>{prefix}x</c>.</summary>
    [Required]
    public string RecipientQueuePrefix { get; set; } = "hub.recipient.";

    /// <summary>
    /// How long publishing one detected event may take (the broker's confirm included) before the event is parked in
    /// the database and published later. A blocked or unreachable broker never holds up intake longer than this.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often parked events are published again; after a failure, events are parked at once for this long.</summary>
    public TimeSpan RepublishInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Collects every problem of <see cref="BusOptions"/> at once.</summary>
internal sealed class BusOptionsValidator : IValidateOptions<BusOptions>
{
    public ValidateOptionsResult Validate(string? name, BusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Transport is not (BusOptions.InMemory or BusOptions.RabbitMq))
        {
            failures.Add($"{BusOptions.Section}:{nameof(BusOptions.Transport)} must be '{BusOptions.InMemory}' or '{BusOptions.RabbitMq}', not '{options.Transport}'.");
        }

        if (options.PublishTimeout <= TimeSpan.Zero || options.RepublishInterval <= TimeSpan.Zero)
        {
            failures.Add($"{BusOptions.Section}:{nameof(BusOptions.PublishTimeout)} and {nameof(BusOptions.RepublishInterval)} must be positive.");
        }

        if (options.Transport == BusOptions.RabbitMq)
        {
            if (string.IsNullOrWhiteSpace(options.Host))
            {
                failures.Add($"{BusOptions.Section}:{nameof(BusOptions.Host)} is required for RabbitMQ.");
            }

            if (string.IsNullOrWhiteSpace(options.Username))
            {
                failures.Add($"{BusOptions.Section}:{nameof(BusOptions.Username)} is required for RabbitMQ.");
            }

            if (string.IsNullOrEmpty(options.VirtualHost))
            {
                failures.Add($"{BusOptions.Section}:{nameof(BusOptions.VirtualHost)} is required for RabbitMQ.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

namespace Hub.Testing.RabbitMq;

/// <summary>
/// A virtual host created for one test class on the shared test node, so classes cannot see each other's queues.
/// The default user (guest, loopback only) has full permissions on it.
/// </summary>
public sealed record RabbitMqVirtualHost
{
    /// <summary>The vhost name (for MassTransit's <c>Host(host, port, virtualHost, …)</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The broker's address (always 127.0.0.1).</summary>
    public required string Host { get; init; }

    /// <summary>The broker's AMQP port.</summary>
    public required int Port { get; init; }

    /// <summary>A user with full permissions on this vhost.</summary>
    public required string UserName { get; init; }

    /// <summary>That user's password.</summary>
    public required string Password { get; init; }

    /// <summary>An amqp:// URI for this vhost and user (vhost percent-encoded).</summary>
    public Uri AmqpUri => new($"amqp://{Uri.EscapeDataString(UserName)}:{Uri.EscapeDataString(Password)}@{Host}:{Port}/{Uri.EscapeDataString(Name)}");
}

using Hub.Host.Bus;
using RabbitMQ.Client;

namespace Hub.Host.Delivery;

/// <summary>One place that turns <see cref="BusOptions"/> into a RabbitMQ.Client connection.</summary>
internal static class RabbitMqConnections
{
    public static Task<IConnection> CreateAsync(BusOptions options, string clientName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var factory = new ConnectionFactory
        {
            HostName = options.Host,
            Port = options.Port,
            VirtualHost = options.VirtualHost,
            UserName = options.Username,
            Password = options.Password,
            ClientProvidedName = clientName,
        };
        if (options.UseTls)
        {
            factory.Ssl = new SslOption { Enabled = true, ServerName = options.Host };
        }

        return factory.CreateConnectionAsync(cancellationToken);
    }
}

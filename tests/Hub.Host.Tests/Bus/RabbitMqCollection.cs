using Hub.Testing.RabbitMq;

namespace Hub.Host.Tests.Bus;

/// <summary>
/// The one "rabbitmq" collection of this assembly: the throwaway broker starts once and every class in the collection
/// shares it (each takes its own vhost from <see cref="RabbitMqNode.CreateVirtualHostAsync"/>).
/// </summary>
[CollectionDefinition(RabbitMqNode.Collection)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqNode>;

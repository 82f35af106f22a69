using Hub.Host.Delivery;
using Hub.Host.Pipeline;
using MassTransit;

namespace Hub.Host.Bus;

/// <summary>Registers MassTransit (in-memory or RabbitMQ, by configuration) and the delivery side.</summary>
internal static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the bus from section <c>Hub:Bus</c>: <c>"Transport": "in-memory"</c> (default) or <c>"rabbitmq"</c>
    /// with host, port, vhost, user, password (environment) and TLS; and each recipient's queue publisher.
    /// </summary>
    public static IServiceCollection AddHubMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BusOptions>().BindConfiguration(BusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BusOptions>, BusOptionsValidator>());

        var bus = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        services.AddMassTransit(x =>
        {
            x.AddConsumer<OverdoseEventDetectedConsumer, OverdoseEventDetectedConsumerDefinition>();
            x.AddConsumer<OverdoseEventFaultConsumer>().Endpoint(e => e.Name = "hub.overdose-event-faulted");
            x.AddConsumer<NotificationAcknowledgedConsumer>().Endpoint(e => e.Name = "hub.notification-acknowledged");
            x.AddConsumer<OutreachOutcomeReportedConsumer>().Endpoint(e => e.Name = "hub.outreach-outcome-reported");
            if (bus.Transport == BusOptions.RabbitMq)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    var o = context.GetRequiredService<IOptions<BusOptions>>().Value;
                    cfg.Host(o.Host, (ushort)o.Port, o.VirtualHost, h =>
                    {
                        h.Username(o.Username);
                        h.Password(o.Password);
                        if (o.UseTls)
                        {
                            h.UseSsl(s => s.ServerName = o.Host);
                        }
                    });
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });

        if (bus.Transport == BusOptions.RabbitMq)
        {
            services.AddSingleton<IRecipientQueue, RabbitMqRecipientQueue>();
        }
        else
        {
            services.AddSingleton<InMemoryRecipientQueue>();
            services.AddSingleton<IRecipientQueue>(sp => sp.GetRequiredService<InMemoryRecipientQueue>());
        }

        services.AddHttpClient(WebhookSender.ClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<PipelineProgress>();
        return services;
    }
}

using System.Collections.Concurrent;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Host.Delivery;
using Hub.Routing.Recipients;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Host.Tests.Delivery;

/// <summary>
/// Webhook delivery against a real receiver on loopback: signed bodies, exponential backoff between attempts
/// (the clock is the test's), a delivery after transient failures, and the dead-letter path.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private const string Secret = "whsec-test-0123456789";
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 3, 14, 7, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<(bool SignatureValid, string MessageId, string Body)> _received = new();
    private WebApplication? _receiver;
    private int _failFirst;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var valid = WebhookSender.Verify(Secret, http.Request.Headers["Hub-Timestamp"], http.Request.Headers["Hub-Signature"], body, _time.GetUtcNow(), TimeSpan.FromMinutes(5));
            _received.Enqueue((valid, http.Request.Headers["Hub-Message-Id"].ToString(), body));
            return _received.Count <= Volatile.Read(ref _failFirst) ? Results.StatusCode(503) : Results.Ok();
        });
        await _receiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_receiver is not null)
        {
            await _receiver.StopAsync();
            await _receiver.DisposeAsync();
        }
    }

    [Fact]
    public async Task Given_a_receiver_that_fails_twice_When_dispatching_over_time_Then_it_backs_off_and_delivers_signed_on_the_third_attempt()
    {
        _failFirst = 2;
        var (audit, dispatcher, message) = Setup(maxAttempts: 5);

        Assert.Equal(0, await dispatcher.DispatchPendingAsync(CancellationToken.None));
        Assert.Single(_received);

        // Not due yet: the first backoff is 5 s.
        Assert.Equal(0, await dispatcher.DispatchPendingAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, await dispatcher.DispatchPendingAsync(CancellationToken.None));
        Assert.Single(_received);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await dispatcher.DispatchPendingAsync(CancellationToken.None));
        Assert.Equal(2, _received.Count);

        // The second backoff doubles to 10 s.
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await dispatcher.DispatchPendingAsync(CancellationToken.None));
        Assert.Equal(2, _received.Count);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await dispatcher.DispatchPendingAsync(CancellationToken.None));

        Assert.Equal(3, _received.Count);
        Assert.All(_received, r => Assert.True(r.SignatureValid));
        Assert.All(_received, r => Assert.Equal(message.MessageId.ToString(), r.MessageId));
        Assert.All(_received, r => Assert.Equal(message.PayloadJson, r.Body));
        Assert.Empty(await audit.GetPendingAsync(10, CancellationToken.None));
        Assert.Single(audit.Entries, e => e.Content.Action == LedgerActions.Delivered && e.Content.CorrelationId == message.MessageId.ToString());
        Assert.DoesNotContain(audit.Entries, e => e.Content.Action == DeliveryLedgerActions.DeadLettered);
    }

    [Fact]
    public async Task Given_a_receiver_that_always_fails_When_the_last_attempt_fails_Then_the_row_is_dead_lettered_and_listed()
    {
        _failFirst = int.MaxValue;
        var (audit, dispatcher, message) = Setup(maxAttempts: 3);

        for (var i = 0; i < 10; i++)
        {
            await dispatcher.DispatchPendingAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(3, _received.Count);
        Assert.Empty(await audit.GetPendingAsync(10, CancellationToken.None));
        Assert.DoesNotContain(audit.Entries, e => e.Content.Action == LedgerActions.Delivered);
        var dead = Assert.Single(await new DeadLetters(audit).ListAsync(CancellationToken.None));
        Assert.Equal(message.MessageId, dead.MessageId);
        Assert.Equal("hook-team", dead.RecipientId);
        Assert.Equal(3, dead.Attempts);
        Assert.Equal(nameof(HttpRequestException), dead.Error);
    }

    [Fact]
    public void Given_a_signed_body_When_verified_Then_tampering_a_wrong_secret_and_an_old_timestamp_are_refused()
    {
        var now = _time.GetUtcNow();
        var ts = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = "sha256=" + WebhookSender.Sign(Secret, ts, "{\"a\":1}");

        Assert.True(WebhookSender.Verify(Secret, ts, signature, "{\"a\":1}", now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSender.Verify(Secret, ts, signature, "{\"a\":2}", now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSender.Verify("other-secret", ts, signature, "{\"a\":1}", now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSender.Verify(Secret, ts, signature, "{\"a\":1}", now.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSender.Verify(Secret, ts, null, "{\"a\":1}", now, TimeSpan.FromMinutes(5)));
    }

    private (InMemoryAudit Audit, OutboxDispatcher Dispatcher, OutboxMessage Message) Setup(int maxAttempts)
    {
        var address = _receiver!.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var recipients = new RecipientsOptions();
        recipients.Recipients.Add(new RecipientOptions
        {
            Id = "hook-team",
            Delivery = new DeliveryOptions { Channel = DeliveryChannels.Webhook, WebhookUrl = new Uri(address + "/hook"), WebhookSecret = Secret },
        });
        var services = new ServiceCollection();
        services.AddHttpClient(WebhookSender.ClientName);
        var provider = services.BuildServiceProvider();
        var sender = new WebhookSender(provider.GetRequiredService<IHttpClientFactory>(), Options.Create(recipients), _time);
        var audit = new InMemoryAudit(_time);
        var options = new HubDeliveryOptions();
        options.Webhook.MaxAttempts = maxAttempts;
        var dispatcher = new OutboxDispatcher(audit, new RecordingQueue(), sender, new DeliveryTracker(), Options.Create(options), _time, NullLogger<OutboxDispatcher>.Instance);
        var message = new OutboxMessage
        {
            MessageId = Guid.NewGuid(),
            RecipientId = "hook-team",
            Channel = DeliveryChannels.Webhook,
            Destination = address + "/hook",
            MessageType = "urn:message:hub:overdose-notification:v1",
            PayloadJson = "{\"notificationId\":\"x\",\"note\":\"synthetic\"}",
        };
        audit.EnqueueAsync(new LedgerEntryDraft { Actor = "hub", Action = LedgerActions.Disclosed, RecipientId = "hook-team", CorrelationId = message.MessageId.ToString() }, message, CancellationToken.None).GetAwaiter().GetResult();
        return (audit, dispatcher, message);
    }
}

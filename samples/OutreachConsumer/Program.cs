using System.Globalization;
using OutreachConsumer;

// Usage: outreach-consumer --recipient ID [--host 127.0.0.1] [--port 5672] [--vhost hub] [--outcome Contacted]
//                          [--idle-seconds 10] [--seen-file seen.txt]
// The password is read from OUTREACH_AMQP_PASSWORD (never from the command line, where `ps` would show it).
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

if (!options.TryGetValue("recipient", out var recipient) || Environment.GetEnvironmentVariable("OUTREACH_AMQP_PASSWORD") is not { Length: > 0 } password)
{
    await Console.Error.WriteLineAsync("usage: outreach-consumer --recipient ID [--host H] [--port P] [--vhost V] [--outcome O] [--idle-seconds S] [--seen-file F]; password in OUTREACH_AMQP_PASSWORD");
    return 2;
}

var settings = new ConsumerSettings
{
    Host = options.GetValueOrDefault("host", "127.0.0.1"),
    Port = int.Parse(options.GetValueOrDefault("port", "5672"), CultureInfo.InvariantCulture),
    VirtualHost = options.GetValueOrDefault("vhost", "hub"),
    RecipientId = recipient,
    Password = password,
    Outcome = options.GetValueOrDefault("outcome", "Contacted"),
    Idle = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("idle-seconds", "10"), CultureInfo.InvariantCulture)),
    SeenFile = options.GetValueOrDefault("seen-file"),
};

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    var summary = await new AgencyConsumer(settings, Console.Out).RunAsync(stop.Token);
    return summary.Invalid == 0 ? 0 : 1;
}
catch (OperationCanceledException)
{
    return 0;
}

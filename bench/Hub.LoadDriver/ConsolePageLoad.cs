using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Contracts.Messages;
using Hub.Contracts.Model;
using Hub.Contracts.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.LoadDriver;

/// <summary>
/// The console's page budget (issue: pages under 200 ms server time with 100,000 notifications and 1,000,000 ledger
/// entries). Two steps, against a real hub on loopback:
/// <code>
///   console-pages seed --dir D [--notifications 100000] [--ledger 1000000] [--config samples/demo/hub.json]
///       writes D/hub.json (the demo configuration on D/hub.db, keys in D/keys as the embedded mode keeps them) and fills
///       the database through the hub's own outbox and ledger: the notifications (disclosed + delivered, a tenth
///       acknowledged) spread over the demo recipients, then other ledger entries up to the total.
///   hub users add ... ; hub --config D/hub.json run
///   console-pages measure --url http://127.0.0.1:5080 --user U --password-env VAR --pages /console/inbox,... [--repeat 30]
///       signs in through the form and times every page (wall time on loopback: server time plus a local round trip).
/// </code>
/// </summary>
internal static partial class ConsolePageLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = Options.Parse(args.Skip(1));
        return args.FirstOrDefault() switch
        {
            "seed" => await SeedAsync(options).ConfigureAwait(false),
            "measure" => await MeasureAsync(options).ConfigureAwait(false),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("""
            console-pages seed --dir D [--notifications 100000] [--ledger 1000000] [--config samples/demo/hub.json]
            console-pages measure --url URL --user NAME --password-env VAR --pages P1,P2 [--repeat 30]
              page paths may use {first-notification} (the newest notification of the signed-in recipient)
            """);
        return 2;
    }

    // ---- seed -------------------------------------------------------------------------------------------------------

    private static async Task<int> SeedAsync(Options options)
    {
        var dir = Path.GetFullPath(options.Required("dir"));
        var notifications = options.Int("notifications", 100_000);
        var ledgerTotal = options.Int("ledger", 1_000_000);
        var template = options.Get("config") ?? "samples/demo/hub.json";
        Directory.CreateDirectory(Path.Combine(dir, "keys"));

        // The keys where the hub's embedded mode looks for them (beside the database, in keys/), so `hub run` reads this data.
        var payloadKey = ReadOrCreate(Path.Combine(dir, "keys", "payload-encryption.key"), () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var signingKey = ReadOrCreate(Path.Combine(dir, "keys", "checkpoint-signing.key"), () =>
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
        });

        var hubJson = JsonNode.Parse(await File.ReadAllTextAsync(template).ConfigureAwait(false))!.AsObject();
        var hub = hubJson["Hub"]!.AsObject();
        hub["Database"] = new JsonObject { ["Provider"] = "sqlite", ["ConnectionString"] = $"Data Source={Path.Combine(dir, "hub.db")}" };
        hub["Audit"] = new JsonObject { ["CheckpointFolder"] = Path.Combine(dir, "checkpoints") };
        foreach (var feed in hub["Feeds"]!.AsArray())
        {
            feed!["Inbox"] = Path.Combine(dir, "inbox", feed["Id"]!.GetValue<string>());
            if (feed["CadProfileFile"] is { } profile)
            {
                feed["CadProfileFile"] = Path.GetFullPath(profile.GetValue<string>());
            }
        }

        foreach (var recipient in hub["Recipients"]!.AsArray())
        {
            // Delivered through the console inbox: the load run needs no broker.
            recipient!["Delivery"] = new JsonObject { ["Channel"] = "inbox" };
        }

        var recipients = hub["Recipients"]!.AsArray().Select(r => r!["Id"]!.GetValue<string>()).ToArray();
        var agreements = hub["Agreements"]!.AsArray().ToDictionary(a => a!["RecipientId"]!.GetValue<string>(), a => a!["Id"]!.GetValue<string>());
        await File.WriteAllTextAsync(Path.Combine(dir, "hub.json"), hubJson.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hub:Database:Provider"] = "sqlite",
            ["Hub:Database:ConnectionString"] = $"Data Source={Path.Combine(dir, "hub.db")}",
            ["Hub:Audit:CheckpointFolder"] = Path.Combine(dir, "checkpoints"),
            ["Hub:Audit:CheckpointSigningKey"] = signingKey,
            ["Hub:Audit:PayloadEncryptionKey"] = payloadKey,
        }).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        var services = collection.AddHubAudit(configuration).BuildServiceProvider();
        await using (services.ConfigureAwait(false))
        {
            foreach (var hosted in services.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None).ConfigureAwait(false);
            }

            var outbox = services.GetRequiredService<IOutbox>();
            var ledger = services.GetRequiredService<ILedger>();
            var clock = Stopwatch.StartNew();
            var start = DateTimeOffset.UtcNow.AddDays(-120);
            var random = new Random(20261121);
            var written = 0L;
            for (var i = 0; i < notifications; i++)
            {
                var recipient = recipients[i % recipients.Length];
                var at = start.AddSeconds(i * (120.0 * 86_400 / notifications));
                var notification = Notification(recipient, agreements[recipient], at, i, random);
                var payload = JsonSerializer.Serialize(notification, HubJson.Options);
                var pseudonym = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i % (notifications / 3 + 1))))[..32];
                await outbox.EnqueueAsync(
                    new LedgerEntryDraft
                    {
                        Actor = "hub",
                        Action = LedgerActions.Disclosed,
                        CorrelationId = notification.NotificationId.ToString(),
                        RecipientId = recipient,
                        AgreementId = notification.AgreementId,
                        Purpose = notification.Purpose,
                        LegalBasis = notification.LegalBasis,
                        Profile = notification.Profile.Name + "@" + notification.Profile.RuleSetVersion,
                        PersonPseudonym = pseudonym,
                        Fields = ["subject", "event.occurredAt", "event.location", "event.naloxoneGiven"],
                        PayloadSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload))),
                    },
                    new OutboxMessage
                    {
                        MessageId = notification.NotificationId,
                        RecipientId = recipient,
                        Channel = "inbox",
                        Destination = "",
                        MessageType = "urn:message:hub:overdose-notification:v1",
                        PayloadJson = payload,
                    },
                    CancellationToken.None).ConfigureAwait(false);
                await outbox.MarkDeliveredAsync(
                    notification.NotificationId,
                    new LedgerEntryDraft { Actor = "hub", Action = LedgerActions.Delivered, CorrelationId = notification.NotificationId.ToString(), RecipientId = recipient },
                    CancellationToken.None).ConfigureAwait(false);
                written += 2;
                if (i % 10 == 0)
                {
                    await ledger.AppendAsync(
                        [new LedgerEntryDraft { Actor = recipient, Action = LedgerActions.Acknowledged, CorrelationId = notification.NotificationId.ToString(), RecipientId = recipient }],
                        CancellationToken.None).ConfigureAwait(false);
                    written++;
                }

                if ((i + 1) % 10_000 == 0)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1} notifications, {written} ledger entries, {clock.Elapsed.TotalSeconds:F0} s"));
                }
            }

            // The rest of a busy hub's ledger: receipts, detections, links and consent decisions, in group commits.
            string[] actions = [LedgerActions.Received, LedgerActions.Detected, LedgerActions.Linked, LedgerActions.ConsentDecided];
            var batch = new List<LedgerEntryDraft>(1000);
            while (written < ledgerTotal)
            {
                batch.Clear();
                for (var k = 0; k < 1000 && written + batch.Count < ledgerTotal; k++)
                {
                    var n = written + k;
                    batch.Add(new LedgerEntryDraft
                    {
                        Actor = "county-ems",
                        Action = actions[n % actions.Length],
                        CorrelationId = DeterministicId(n).ToString(),
                        FeedId = "county-ems",
                        DetailsJson = "{\"records\":1}",
                    });
                }

                await ledger.AppendAsync(batch, CancellationToken.None).ConfigureAwait(false);
                written += batch.Count;
                if (written % 100_000 < 1000)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{written} ledger entries, {clock.Elapsed.TotalSeconds:F0} s"));
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seeded {notifications} notifications and {written} ledger entries in {clock.Elapsed.TotalSeconds:F1} s; configuration {Path.Combine(dir, "hub.json")}"));
        }

        return 0;
    }

    private static OverdoseNotification Notification(string recipient, string agreement, DateTimeOffset at, int i, Random random) => new()
    {
        NotificationId = DeterministicId(i + 10_000_000_000L),
        EpisodeId = DeterministicId(i / 2 + 20_000_000_000L),
        EpisodeVersion = 1 + (i % 2),
        RecipientId = recipient,
        OccurredAtUtc = at,
        SourceAgencies = ["county-ems"],
        SourceKinds = [SourceKind.Ems],
        AgreementId = agreement,
        Purpose = "PUBHLTH",
        LegalBasis = "45 CFR 164.512(b)",
        Profile = new AppliedProfile
        {
            Name = "identified-outreach",
            RuleSetVersion = "2026.11.2",
            Methods = [new AppliedMethod { Field = "subject.familyName", Method = "keep" }, new AppliedMethod { Field = "subject.birthDate", Method = "keep" }],
        },
        Subject = new DisclosedSubject
        {
            Pseudonym = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))[..32],
            FamilyName = "Loadtest" + (i % 997).ToString(CultureInfo.InvariantCulture),
            GivenName = "Person",
            BirthDate = "1990",
            Sex = "female",
            Phone = "555-0100",
        },
        Event = new DisclosedEvent
        {
            OccurredAt = at.ToString("O", CultureInfo.InvariantCulture),
            Location = new EventLocation
            {
                Precision = LocationPrecision.Block,
                Block = "1200 BLOCK OF SYNTHETIC AVE",
                City = "Norristown",
                State = "PA",
                CountyFips = "42091",
                Latitude = 40.12 + random.NextDouble() / 10,
                Longitude = -75.34 + random.NextDouble() / 10,
            },
            Substance = SubstanceClass.Opioid,
            NaloxoneGiven = true,
            NaloxoneDoses = 1,
            NaloxoneResponse = MedicationResponse.Improved,
            Disposition = DispositionKind.RefusedTransport,
            Definitions = ["nemsis-opioid-overdose@2025-12-17"],
        },
    };

    private static Guid DeterministicId(long n)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, n);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        bytes[15] = 0x5A;
        return new Guid(bytes);
    }

    private static string ReadOrCreate(string path, Func<string> create)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var value = create();
        File.WriteAllText(path, value);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return value;
    }

    // ---- measure ----------------------------------------------------------------------------------------------------

    private static async Task<int> MeasureAsync(Options options)
    {
        var baseUrl = new Uri(options.Required("url"));
        var user = options.Required("user");
        var password = Environment.GetEnvironmentVariable(options.Required("password-env"))
            ?? throw new InvalidOperationException($"environment variable {options.Required("password-env")} is not set");
        var pages = options.Required("pages").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var repeat = options.Int("repeat", 30);

        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        using var http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(2) };
        var signin = await http.GetStringAsync(new Uri("/console/signin", UriKind.Relative)).ConfigureAwait(false);
        var token = AntiforgeryField().Match(signin) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery field on the sign-in page");
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = token, ["name"] = user, ["password"] = password }))
        {
            using var answer = await http.PostAsync(new Uri("/console/signin", UriKind.Relative), form).ConfigureAwait(false);
            if (answer.StatusCode != HttpStatusCode.Redirect)
            {
                Console.Error.WriteLine($"sign-in failed: {(int)answer.StatusCode}");
                return 1;
            }
        }

        string? firstNotification = null;
        Console.WriteLine($"| Page | Status | Bytes | Min ms | Median ms | p95 ms | Max ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        var failed = false;
        foreach (var template in pages)
        {
            var path = template;
            if (path.Contains("{first-notification}", StringComparison.Ordinal))
            {
                firstNotification ??= await FirstNotificationAsync(http).ConfigureAwait(false);
                path = path.Replace("{first-notification}", firstNotification, StringComparison.Ordinal);
            }

            var times = new List<double>(repeat);
            var status = 0;
            long bytes = 0;
            for (var r = 0; r < repeat + 2; r++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                watch.Stop();
                status = (int)response.StatusCode;
                bytes = body.Length;
                if (r >= 2)
                {
                    // The first two requests warm the JIT and the page's code paths; they are not counted.
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            failed |= status != 200;
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| `{template}` | {status} | {bytes:N0} | {times[0]:F1} | {times[times.Count / 2]:F1} | {times[(int)Math.Ceiling(times.Count * 0.95) - 1]:F1} | {times[^1]:F1} |"));
        }

        return failed ? 1 : 0;
    }

    private static async Task<string> FirstNotificationAsync(HttpClient http)
    {
        using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri("/console/api/notifications", UriKind.Relative)).ConfigureAwait(false));
        foreach (var property in new[] { "notificationId", "messageId", "id" })
        {
            var root = list.RootElement.ValueKind == JsonValueKind.Array ? list.RootElement : list.RootElement.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
            foreach (var item in root.EnumerateArray())
            {
                if (item.TryGetProperty(property, out var id))
                {
                    return id.GetString()!;
                }
            }
        }

        throw new InvalidOperationException("the notification list is empty");
    }

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Options Parse(IEnumerable<string> args)
        {
            var options = new Options();
            string? key = null;
            foreach (var arg in args)
            {
                if (arg.StartsWith("--", StringComparison.Ordinal))
                {
                    key = arg[2..];
                    options._values[key] = "";
                }
                else if (key is not null)
                {
                    options._values[key] = arg;
                    key = null;
                }
            }

            return options;
        }

        public string? Get(string name) => _values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

        public string Required(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");

        public int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    }
}

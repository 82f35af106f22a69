using System.CommandLine;
using System.Text.Json;
using Hub.Adapters.Feeds;
using Hub.Contracts.Model;
using Hub.Contracts.Serialization;
using Hub.Deidentification;
using Hub.Host.Configuration;
using Hub.Host.Feeds;
using Hub.Host.Pipeline;
using Hub.Routing.Recipients;

namespace Hub.Host.Cli;

/// <summary>
/// <c>hub ingest FILE… --feed ID [--dry-run] [--recipient ID]</c>. With <c>--dry-run</c>, nothing is stored or
/// sent: one JSON line per source record goes to stdout
/// (<c>{"feed","sourceRecordId","outcome","definition","event","reject":{"reason","location"},"notification"}</c>)
/// and a summary to stderr. Exit 0 when every file was read to its end, 1 when one could not be.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var files = new Argument<FileSystemInfo[]>("files") { Description = "Files (or Bulk NDJSON export folders) to ingest.", Arity = ArgumentArity.OneOrMore };
        var feed = new Option<string>("--feed") { Description = "The configured feed id.", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Classify and print; store and send nothing." };
        var recipient = new Option<string?>("--recipient") { Description = "With --dry-run: also show what this recipient would receive (or why not)." };
        var command = new Command("ingest", "Ingest files of one feed, or test them with --dry-run.") { files, feed, dryRun, recipient };
        command.SetAction(async (parse, ct) =>
        {
            // A dry run stores nothing: it creates no key files, and when no person-token key is configured it uses a
            // throw-away one (tokens never leave the hub, and a preview links nothing).
            var settings = new HubRunSettings(
                HubCommandLine.ConfigFile(parse),
                Watch: false,
                Dispatch: !parse.GetValue(dryRun),
                Web: false,
                Overrides: parse.GetValue(dryRun) ? EphemeralTokenKey(HubCommandLine.ConfigFile(parse)) : null,
                LocalKeys: !parse.GetValue(dryRun));
            var paths = parse.GetValue(files)!.Select(f => f.FullName).ToList();
            try
            {
                var app = HubApplication.Build(settings);
                return parse.GetValue(dryRun)
                    ? await DryRunAsync(app.Services, parse.GetValue(feed)!, paths, parse.GetValue(recipient), ct).ConfigureAwait(false)
                    : await IngestAsync(app, parse.GetValue(feed)!, paths, ct).ConfigureAwait(false);
            }
            catch (OptionsValidationException ex)
            {
                await ConfigCommands.WriteFailuresAsync(ex.Failures).ConfigureAwait(false);
                return 1;
            }
            catch (FeedConfigurationException ex)
            {
                await Console.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static Dictionary<string, string?> EphemeralTokenKey(string? configFile)
    {
        var configuration = new ConfigurationBuilder();
        HubConfiguration.Apply(configuration, configFile);
        var key = $"{Hub.Deidentification.DependencyInjection.HubPrivacyOptions.Section}:{nameof(Hub.Deidentification.DependencyInjection.HubPrivacyOptions.TokenKeyBase64)}";
        return string.IsNullOrWhiteSpace(configuration.Build()[key])
            ? new() { [key] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) }
            : [];
    }

    private static async Task<int> DryRunAsync(IServiceProvider services, string feedId, IReadOnlyList<string> paths, string? recipientId, CancellationToken cancellationToken)
    {
        var catalog = services.GetRequiredService<FeedCatalog>();
        var feed = catalog.Get(feedId);
        var reader = catalog.CreateReader(feed);
        var preview = recipientId is null ? null : new RecipientPreview(services, recipientId);
        var time = services.GetRequiredService<TimeProvider>();
        var exit = 0;
        await using var stdout = Console.OpenStandardOutput();
        foreach (var path in paths)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                await Console.Error.WriteLineAsync($"{path}: not found").ConfigureAwait(false);
                exit = 1;
                continue;
            }

            var counts = new IngestCounts(0, 0, 0);
            var endedEarly = false;
            try
            {
                var sha = Directory.Exists(path)
                    ? await IngestRun.HashFolderAsync(path, cancellationToken).ConfigureAwait(false)
                    : await IngestRun.HashFileAsync(path, cancellationToken).ConfigureAwait(false);
                await foreach (var outcome in IngestRun.ReadPathAsync(reader, path, sha, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
                {
                    counts = IngestRun.Add(counts, outcome.Kind);
                    endedEarly |= outcome.EndsInput;
                    var line = new DryRunLine
                    {
                        Feed = feed.Id,
                        SourceRecordId = outcome.SourceRecordId,
                        Outcome = outcome.Kind switch
                        {
                            RecordOutcomeKind.Overdose => "overdose",
                            RecordOutcomeKind.NotOverdose => "not-overdose",
                            _ => "rejected",
                        },
                        Definition = outcome.Definition,
                        Event = outcome.Event,
                        Reject = outcome.Reject,
                        Warnings = outcome.Warnings.Count > 0 ? outcome.Warnings : null,
                        Notification = preview is not null && outcome.Event is { } e ? preview.For(e) : null,
                    };
                    await JsonSerializer.SerializeAsync(stdout, line, HubJson.Options, cancellationToken).ConfigureAwait(false);
                    stdout.WriteByte((byte)'\n');
                }
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"{path}: could not be read: {ex.Message}").ConfigureAwait(false);
                endedEarly = true;
            }

            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(
                $"{Path.GetFileName(path)}: {counts.Total} records: {counts.Overdose} overdose, {counts.NotOverdose} not overdose, {counts.Rejected} rejected{(endedEarly ? " (input ended early: not read to its end)" : "")}").ConfigureAwait(false);
            if (endedEarly)
            {
                exit = 1;
            }
        }

        return exit;
    }

    private static async Task<int> IngestAsync(WebApplication app, string feedId, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var feed = app.Services.GetRequiredService<FeedCatalog>().Get(feedId);
        var intake = app.Validated().Services.GetRequiredService<FeedIntake>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var exit = 0;
        try
        {
            foreach (var path in paths)
            {
                var result = await intake.IngestPathAsync(feed, path, cancellationToken).ConfigureAwait(false);
                await Console.Error.WriteLineAsync(result switch
                {
                    { Status: PathIngestStatus.Duplicate } => $"{Path.GetFileName(path)}: already ingested (same content); skipped",
                    { Status: PathIngestStatus.InProgress } => $"{Path.GetFileName(path)}: being ingested by another reader now (same content); skipped",
                    { Counts: { } counts } => $"{Path.GetFileName(path)}: {counts.Total} records: {counts.Overdose} overdose, {counts.NotOverdose} not overdose, {counts.Rejected} rejected"
                        + (result.Status == PathIngestStatus.Resumed ? " (read again: an earlier ingest of it had stopped unfinished)" : ""),
                    _ => $"{Path.GetFileName(path)}: not read",
                }).ConfigureAwait(false);
                exit = result.Status == PathIngestStatus.InProgress ? 1 : exit;
            }

            var parked = app.Services.GetRequiredService<PipelineProgress>().Parked;
            if (parked > 0)
            {
                await Console.Error.WriteLineAsync(
                    $"{parked} detected event(s) were parked: the bus did not take them. They are stored (encrypted) and the running hub publishes them again.").ConfigureAwait(false);
            }

            if (!await app.Services.GetRequiredService<PipelineWaiter>().WaitAsync(TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false))
            {
                await Console.Error.WriteLineAsync("The pipeline did not settle within 10 minutes; undelivered rows stay in the outbox.").ConfigureAwait(false);
                exit = 1;
            }
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return exit;
    }

    private sealed record DryRunLine
    {
        public required string Feed { get; init; }

        public string? SourceRecordId { get; init; }

        public required string Outcome { get; init; }

        public string? Definition { get; init; }

        public OverdoseEvent? Event { get; init; }

        public RecordReject? Reject { get; init; }

        public IReadOnlyList<string>? Warnings { get; init; }

        public JsonElement? Notification { get; init; }
    }

    /// <summary>What one recipient would receive about a single event, as its own one-event episode.</summary>
    private sealed class RecipientPreview
    {
        private readonly IDisclosureService _disclosure;
        private readonly AgreementCatalog _agreements;
        private readonly RecipientOptions _recipient;
        private readonly TimeProvider _time;

        public RecipientPreview(IServiceProvider services, string recipientId)
        {
            _disclosure = services.GetRequiredService<IDisclosureService>();
            _agreements = services.GetRequiredService<AgreementCatalog>();
            _time = services.GetRequiredService<TimeProvider>();
            _recipient = services.GetRequiredService<IOptions<RecipientsOptions>>().Value.Recipients.FirstOrDefault(r => r.Id == recipientId)
                ?? throw new FeedConfigurationException($"No recipient '{recipientId}' is configured.");
        }

        public JsonElement For(OverdoseEvent overdoseEvent)
        {
            var decision = _disclosure.Decide(new DisclosureRequest
            {
                EpisodeId = DeterministicGuid.From("episode:" + overdoseEvent.EventId),
                EpisodeVersion = 1,
                Events = [overdoseEvent],
                Recipient = new RecipientPrivacyContext
                {
                    RecipientId = _recipient.Id,
                    RequestedProfile = _recipient.Profile ?? "safe-harbor",
                    PseudonymKey = Convert.FromBase64String(_recipient.PseudonymKey ?? ""),
                    ActorRole = _recipient.Kind,
                },
                Agreements = _agreements.For(_recipient.Id, [overdoseEvent.SourceAgencyId]),
                Now = _time.GetUtcNow(),
            });
            return decision.Notification is { } notification
                ? JsonSerializer.SerializeToElement(notification, HubJson.Options)
                : JsonSerializer.SerializeToElement(new { denied = true, recipientId = _recipient.Id, reasons = decision.Reasons }, HubJson.Options);
        }
    }
}

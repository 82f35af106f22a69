using System.Runtime.CompilerServices;
using System.Text.Json;
using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir.Model;
using Hub.Contracts.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Adapters.Fhir;

/// <summary>
/// Reads a FHIR feed input: a Bundle JSON document (transaction, batch, collection, message with its MessageHeader
/// first), a single Encounter, an NDJSON file, or a Bulk Data <c>$export</c> folder, and yields one outcome per
/// emergency Encounter. Bad input never throws: a document that cannot be parsed is one reject with its JSON path;
/// a bad NDJSON line is one reject with file and line, and reading goes on.
/// </summary>
public sealed class FhirFeedReader : IFeedReader
{
    private static readonly HashSet<string> AcceptedBundleTypes = new(StringComparer.Ordinal)
    {
        "transaction", "batch", "collection", "message", "searchset", "history", "document",
    };

    private static readonly string[] EncounterPhase = ["Encounter"];

    private static readonly string[][] LaterPhases =
    [
        ["Condition", "Observation", "MedicationAdministration", "MedicationStatement"],
        ["Consent", "Patient", "Medication", "Location"],
    ];

    private static readonly string[] PhaseOrder =
    [
        "Encounter", "Condition", "Observation", "MedicationAdministration", "MedicationStatement", "Consent", "Patient", "Medication", "Location",
    ];

    private readonly FeedOptions feed;
    private readonly FhirClassifier classifier;
    private readonly TimeZoneInfo timeZone;
    private readonly ILogger logger;

    internal FhirFeedReader(FeedOptions feed, FhirClassifier classifier, TimeZoneInfo timeZone, ILogger? logger)
    {
        this.feed = feed;
        this.classifier = classifier;
        this.timeZone = timeZone;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RecordOutcome> ReadAsync(Stream? content, SourceDocument source, CancellationToken cancellationToken) =>
        ReadAsync(content, source, null, cancellationToken);

    /// <summary>Reads like <see cref="ReadAsync(Stream?, SourceDocument, CancellationToken)"/> and fills <paramref name="statistics"/>.</summary>
    public async IAsyncEnumerable<RecordOutcome> ReadAsync(Stream? content, SourceDocument source, FhirReadStatistics? statistics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        statistics ??= new FhirReadStatistics();
        var context = new FhirReadContext(feed, classifier, timeZone, source);
        if (content is null)
        {
            if (source.Path is { } path && Directory.Exists(path))
            {
                await foreach (var outcome in ReadExportFolderAsync(path, context, statistics, cancellationToken).ConfigureAwait(false))
                {
                    yield return outcome;
                }
            }
            else if (source.Path is { } file && File.Exists(file))
            {
                var stream = File.OpenRead(file);
                await using (stream.ConfigureAwait(false))
                {
                    await foreach (var outcome in ReadStreamAsync(stream, context, statistics, cancellationToken).ConfigureAwait(false))
                    {
                        yield return outcome;
                    }
                }
            }
            else
            {
                yield return RecordOutcome.Rejected(null, "no content and no readable file or export folder", source.Name);
            }

            Log.ReadCompleted(logger, feed.Id, statistics.Lines, statistics.EmergencyEncounters, statistics.BadLines);
            yield break;
        }

        await foreach (var outcome in ReadStreamAsync(content, context, statistics, cancellationToken).ConfigureAwait(false))
        {
            yield return outcome;
        }

        Log.ReadCompleted(logger, feed.Id, statistics.Lines, statistics.EmergencyEncounters, statistics.BadLines);
    }

    /// <summary>Reads an already parsed root resource (a Bundle or an Encounter), as the HTTP endpoint does.</summary>
    public IReadOnlyList<RecordOutcome> ReadResource(Resource resource, SourceDocument source, FhirReadStatistics? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(source);
        return [.. ReadRoot(resource, new FhirReadContext(feed, classifier, timeZone, source), statistics ?? new FhirReadStatistics())];
    }

    private async IAsyncEnumerable<RecordOutcome> ReadStreamAsync(Stream content, FhirReadContext context, FhirReadStatistics statistics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var name = context.Source.Name;
        if (name.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            await foreach (var outcome in ReadNdjsonAsync(content, context, statistics, cancellationToken).ConfigureAwait(false))
            {
                yield return outcome;
            }

            yield break;
        }

        // A Bundle is parsed as one document (memory bound: the document's size; HTTP caps it at MaxRequestBytes).
        // Reading it into memory first gives exact line numbers in errors.
        byte[] bytes;
        if (content is MemoryStream { Position: 0 } memory && memory.TryGetBuffer(out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length)
        {
            bytes = segment.Array;
        }
        else
        {
            using var copy = content.CanSeek ? new MemoryStream(checked((int)Math.Max(0, content.Length - content.Position))) : new MemoryStream();
            await content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            bytes = copy.ToArray();
        }

        var resource = FhirJson.TryParse(bytes, out var error);
        if (error is not null)
        {
            yield return RecordOutcome.Rejected(null, error.Reason, LocationOf(error));
            yield break;
        }

        foreach (var outcome in ReadRoot(resource!, context, statistics))
        {
            yield return outcome;
        }
    }

    internal static string LocationOf(FhirJsonError error) =>
        error.Line is { } line ? $"line {line}, {error.Path}" : error.Path;

    private static List<RecordOutcome> ReadRoot(Resource resource, FhirReadContext context, FhirReadStatistics statistics)
    {
        statistics.Count(resource.ResourceType);
        if (resource is Bundle bundle)
        {
            return ReadBundle(bundle, context, statistics);
        }

        if (resource is Encounter encounter)
        {
            var index = new FhirResourceIndex();
            index.Add(encounter, null);
            return IsRecord(encounter, statistics)
                ? [FhirEncounterMapper.Map(encounter, new EncounterSite("Encounter", context.Source.Name, null, null), index, context, null)]
                : [];
        }

        return [RecordOutcome.Rejected(null, $"the document is a {resource.ResourceType}; a FHIR feed accepts a Bundle, an Encounter or NDJSON", "$.resourceType")];
    }

    private static List<RecordOutcome> ReadBundle(Bundle bundle, FhirReadContext context, FhirReadStatistics statistics)
    {
        statistics.BundleType = bundle.Type;
        statistics.BundleId = bundle.Id;
        if (bundle.Type is null || !AcceptedBundleTypes.Contains(bundle.Type))
        {
            return [RecordOutcome.Rejected(null, bundle.Type is null ? "Bundle.type is missing" : $"Bundle.type '{bundle.Type}' is not accepted", "Bundle.type")];
        }

        var entries = bundle.Entry ?? [];
        if (bundle.Type == "message" && (entries.Count == 0 || entries[0].Resource is not MessageHeader))
        {
            return [RecordOutcome.Rejected(null, "a message Bundle must start with a MessageHeader", "Bundle.entry[0].resource")];
        }

        var index = new FhirResourceIndex();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Resource is null || string.Equals(entry.Request?.Method, "DELETE", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            statistics.Count(entry.Resource.ResourceType);
            index.Add(entry.Resource, entry.FullUrl);
        }

        var outcomes = new List<RecordOutcome>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Resource is Encounter encounter && IsRecord(encounter, statistics)
                && !string.Equals(entries[i].Request?.Method, "DELETE", StringComparison.OrdinalIgnoreCase))
            {
                var site = new EncounterSite($"Bundle.entry[{i}].resource", context.Source.Name, null, entries[i].FullUrl);
                outcomes.Add(FhirEncounterMapper.Map(encounter, site, index, context, bundle.Meta?.Security));
            }
        }

        return outcomes;
    }

    private static bool IsRecord(Encounter encounter, FhirReadStatistics statistics)
    {
        if (!FhirEncounterMapper.IsEmergency(encounter))
        {
            return false;
        }

        statistics.EmergencyEncounters++;
        return true;
    }

    private async IAsyncEnumerable<RecordOutcome> ReadNdjsonAsync(Stream content, FhirReadContext context, FhirReadStatistics statistics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rejects = new List<RecordOutcome>();
        statistics.FilesRead++;
        ExportKeeper keep;
        if (content.CanSeek)
        {
            // A file: memory bounded by the ED Encounters and what links to them, not by the file's size. Pass 1 parses,
            // counts and checks every line but keeps only the ED Encounters; pass 2 keeps the Conditions, Observations and
            // medications that link to them; pass 3 the Patients, Consents, Medications and Locations they need. Passes
            // 2 and 3 parse only lines of their types (resourceType is peeked from the raw line).
            keep = new ExportKeeper(keepAllLinked: false);
            var start = content.Position;
            await ReadLinesAsync(content, context.Source.Name, keep, rejects, statistics, cancellationToken, EncounterPhase).ConfigureAwait(false);
            foreach (var phase in LaterPhases)
            {
                content.Position = start;
                await ReadLinesAsync(content, context.Source.Name, keep, rejects, statistics, cancellationToken, phase).ConfigureAwait(false);
            }
        }
        else
        {
            // A stream that cannot be read twice: one pass that keeps every resource a record may need.
            keep = new ExportKeeper(keepAllLinked: true);
            await ReadLinesAsync(content, context.Source.Name, keep, rejects, statistics, cancellationToken).ConfigureAwait(false);
        }

        foreach (var reject in rejects)
        {
            yield return reject;
        }

        foreach (var outcome in keep.Finish(context, statistics))
        {
            yield return outcome;
        }
    }

    private async IAsyncEnumerable<RecordOutcome> ReadExportFolderAsync(string folder, FhirReadContext context, FhirReadStatistics statistics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var files = new List<(string Path, string Type)>();
        foreach (var path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (!name.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || name.Length == 0 || !char.IsAsciiLetterUpper(name[0]))
            {
                statistics.FilesSkipped++;
                continue;
            }

            files.Add((path, name[..name.IndexOf('.', StringComparison.Ordinal)]));
        }

        // Encounter files first (they say what is needed), then the rest in the order that lets needs propagate.
        files.Sort((a, b) => Rank(a.Type).CompareTo(Rank(b.Type)) is var c and not 0 ? c : string.CompareOrdinal(a.Path, b.Path));
        var keep = new ExportKeeper(keepAllLinked: false);
        foreach (var (path, type) in files)
        {
            keep.TypesPresent.Add(type);
        }

        foreach (var (path, _) in files)
        {
            var rejects = new List<RecordOutcome>();
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                statistics.FilesRead++;
                await ReadLinesAsync(stream, Path.GetFileName(path), keep, rejects, statistics, cancellationToken).ConfigureAwait(false);
            }

            foreach (var reject in rejects)
            {
                yield return reject;
            }
        }

        foreach (var outcome in keep.Finish(context, statistics))
        {
            yield return outcome;
        }
    }

    private static int Rank(string type)
    {
        var i = Array.IndexOf(PhaseOrder, type);
        return i < 0 ? PhaseOrder.Length : i;
    }

    /// <summary>
    /// Reads NDJSON lines into <paramref name="keep"/>. Without <paramref name="phase"/>: every line is parsed, counted and offered.
    /// With <see cref="EncounterPhase"/>: every line is parsed, counted and checked, only Encounters are offered. With a later
    /// phase: a re-read, so only lines whose peeked resourceType is in the phase are parsed and offered, nothing is counted.
    /// </summary>
    private async Task ReadLinesAsync(Stream stream, string fileName, ExportKeeper keep, List<RecordOutcome> rejects, FhirReadStatistics statistics, CancellationToken cancellationToken, string[]? phase = null)
    {
        var reread = phase is not null && !ReferenceEquals(phase, EncounterPhase);
        await foreach (var line in NdjsonLineReader.ReadAsync(stream, feed.Fhir.MaxLineBytes, cancellationToken).ConfigureAwait(false))
        {
            if (reread)
            {
                if (line.TooLong || !InPhase(line.Bytes.Span, phase!))
                {
                    continue;
                }

                if (FhirJson.TryParse(line.Bytes.Span, out _) is { } again)
                {
                    keep.Offer(again, fileName, line.Number, statistics);
                }

                continue;
            }

            statistics.Lines++;
            if (line.TooLong)
            {
                statistics.BadLines++;
                rejects.Add(RecordOutcome.Rejected(null, $"line longer than {feed.Fhir.MaxLineBytes} bytes", $"{fileName} line {line.Number}"));
                continue;
            }

            var resource = FhirJson.TryParse(line.Bytes.Span, out var error);
            if (resource is null)
            {
                statistics.BadLines++;
                rejects.Add(RecordOutcome.Rejected(null, error!.Reason, $"{fileName} line {line.Number}, {error.Path}"));
                continue;
            }

            statistics.Count(resource.ResourceType);
            if (phase is null || resource is Encounter)
            {
                keep.Offer(resource, fileName, line.Number, statistics);
            }
            else
            {
                keep.TypesPresent.Add(resource.ResourceType ?? "");
            }
        }
    }

    /// <summary>True when the line's top-level <c>resourceType</c> is one of <paramref name="types"/> (false when unreadable: pass 1 rejected it).</summary>
    private static bool InPhase(ReadOnlySpan<byte> line, string[] types)
    {
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = FhirJson.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("resourceType"u8);
                reader.Read();
                if (isType)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    foreach (var type in types)
                    {
                        if (reader.ValueTextEquals(type))
                        {
                            return true;
                        }
                    }

                    return false;
                }

                reader.Skip();
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Decides which resources of an NDJSON input to keep for reference resolution. Memory bound: the emergency
    /// Encounters, the resources they reference or that reference them (Patients, Conditions, Observations,
    /// medications, Consents, Locations); every other resource is parsed, counted and dropped.
    /// </summary>
    private sealed class ExportKeeper(bool keepAllLinked)
    {
        private readonly HashSet<string> encounterKeys = new(StringComparer.Ordinal);
        private readonly HashSet<string> needed = new(StringComparer.Ordinal);
        private readonly HashSet<string> keepAllOfType = new(StringComparer.Ordinal);
        private readonly List<(Encounter Encounter, string File, int Line)> encounters = [];
        private readonly List<Resource> kept = [];

        public HashSet<string> TypesPresent { get; } = new(StringComparer.Ordinal);

        public void Offer(Resource resource, string file, int line, FhirReadStatistics statistics)
        {
            TypesPresent.Add(resource.ResourceType ?? "");
            switch (resource)
            {
                case Encounter encounter:
                    if (IsRecord(encounter, statistics))
                    {
                        encounters.Add((encounter, file, line));
                        if (encounter.Id is not null)
                        {
                            encounterKeys.Add("Encounter/" + encounter.Id);
                        }

                        Need(encounter.Subject);
                        foreach (var d in encounter.Diagnosis ?? [])
                        {
                            Need(d.Condition);
                        }

                        foreach (var r in encounter.ReasonReference ?? [])
                        {
                            Need(r);
                        }

                        foreach (var l in encounter.Location ?? [])
                        {
                            Need(l.Location);
                        }
                    }

                    return;
                case Condition c when keepAllLinked || Links(c.Encounter) || IsNeeded(c):
                case Observation o when keepAllLinked || Links(o.Encounter) || IsNeeded(o):
                    Keep(resource);
                    return;
                case MedicationAdministration m when keepAllLinked || Links(m.Context):
                    Need(m.MedicationReference);
                    Keep(resource);
                    return;
                case MedicationStatement s when keepAllLinked || Links(s.Context):
                    Need(s.MedicationReference);
                    Keep(resource);
                    return;
                case Consent consent when keepAllLinked || IsNeeded(consent.Patient):
                case Patient or Medication or Location when keepAllLinked || IsNeeded(resource):
                    Keep(resource);
                    return;
            }
        }

        public IEnumerable<RecordOutcome> Finish(FhirReadContext context, FhirReadStatistics statistics)
        {
            var index = new FhirResourceIndex();
            index.TypesPresent.UnionWith(TypesPresent);
            foreach (var (encounter, _, _) in encounters)
            {
                index.Add(encounter, null);
            }

            foreach (var resource in kept)
            {
                index.Add(resource, null);
            }

            statistics.ResourcesKept = encounters.Count + kept.Count;
            foreach (var (encounter, file, line) in encounters)
            {
                yield return FhirEncounterMapper.Map(encounter, new EncounterSite("Encounter", file, line, null), index, context, null);
            }
        }

        private void Keep(Resource resource) => kept.Add(resource);

        /// <summary>True when the reference names a kept Encounter, or cannot be decided by key (conditional, logical): kept to be safe.</summary>
        private bool Links(ResourceReference? reference) =>
            Key(reference) is { } key ? encounterKeys.Contains(key) : reference is not null && (reference.Reference is null || reference.Reference.Contains('?', StringComparison.Ordinal));

        private bool IsNeeded(Resource resource) =>
            keepAllOfType.Contains(resource.ResourceType ?? "") || (resource.Id is not null && needed.Contains(resource.ResourceType + "/" + resource.Id));

        private bool IsNeeded(ResourceReference? reference) => Key(reference) is { } key && needed.Contains(key);

        private void Need(ResourceReference? reference)
        {
            if (reference is null)
            {
                return;
            }

            if (Key(reference) is { } key)
            {
                needed.Add(key);
            }
            else if (FhirResourceIndex.TypeOf(reference) is { } type)
            {
                // Conditional or logical reference: keep every resource of that type (documented bound).
                keepAllOfType.Add(type);
            }
        }

        private static string? Key(ResourceReference? reference)
        {
            var literal = reference?.Reference;
            if (literal is null || literal.Contains('?', StringComparison.Ordinal) || literal.StartsWith('#') || literal.StartsWith("urn:", StringComparison.Ordinal))
            {
                return null;
            }

            var history = literal.IndexOf("/_history/", StringComparison.Ordinal);
            if (history > 0)
            {
                literal = literal[..history];
            }

            var last = literal.LastIndexOf('/');
            if (last <= 0)
            {
                return null;
            }

            var previous = literal.LastIndexOf('/', last - 1);
            return literal[(previous + 1)..];
        }
    }
}

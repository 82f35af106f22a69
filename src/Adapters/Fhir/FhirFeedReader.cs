using System.Runtime.CompilerServices;
using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir.Model;
using Hub.Adapters.Fhir.Ndjson;
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
        statistics.FilesRead++;
        var tempFolder = TempFolder();
        string? copy = null;
        try
        {
            var input = content;
            if (!content.CanSeek)
            {
                // A stream that cannot be read twice (e.g. a request body) is first copied to a temp file, so memory
                // stays bounded as for a file; the copy is deleted with the index.
                Directory.CreateDirectory(tempFolder);
                copy = Path.Combine(tempFolder, $"hub-fhir-ndjson-{Guid.NewGuid():N}.ndjson");
                input = new FileStream(copy, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
                await content.CopyToAsync(input, cancellationToken).ConfigureAwait(false);
                input.Position = 0;
            }

            try
            {
                // One file: pass 1 parses, counts and checks every line, recording only byte ranges and key hashes on
                // disk; then each emergency Encounter's record is read again by offset (see NdjsonSpillReader).
                using var spill = new NdjsonSpillReader(context, statistics, feed.Fhir.MaxLineBytes, tempFolder, phased: true);
                var start = input.Position;
                await foreach (var reject in spill.ReadFileAsync(input, context.Source.Name, cancellationToken).ConfigureAwait(false))
                {
                    yield return reject;
                }

                using var source = new NdjsonLineSource.FromStream(input, start);
                foreach (var outcome in spill.Finish(source, cancellationToken))
                {
                    yield return outcome;
                }
            }
            finally
            {
                if (!ReferenceEquals(input, content))
                {
                    await input.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (copy is not null)
            {
                NdjsonSpillIndex.TryDelete(copy);
            }
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
        using var spill = new NdjsonSpillReader(context, statistics, feed.Fhir.MaxLineBytes, TempFolder(), phased: false);
        foreach (var (_, type) in files)
        {
            spill.TypesPresent.Add(type);
        }

        foreach (var (path, _) in files)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                statistics.FilesRead++;
                await foreach (var reject in spill.ReadFileAsync(stream, Path.GetFileName(path), cancellationToken).ConfigureAwait(false))
                {
                    yield return reject;
                }
            }
        }

        using var source = new NdjsonLineSource.FromFiles([.. files.Select(f => f.Path)]);
        foreach (var outcome in spill.Finish(source, cancellationToken))
        {
            yield return outcome;
        }
    }

    private string TempFolder() => string.IsNullOrEmpty(feed.Fhir.TempFolder) ? Path.GetTempPath() : feed.Fhir.TempFolder;

    private static int Rank(string type)
    {
        var i = Array.IndexOf(PhaseOrder, type);
        return i < 0 ? PhaseOrder.Length : i;
    }
}

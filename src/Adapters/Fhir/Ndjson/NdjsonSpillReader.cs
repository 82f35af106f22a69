using System.Runtime.CompilerServices;
using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir.Model;

namespace Hub.Adapters.Fhir.Ndjson;

/// <summary>
/// Reads NDJSON (one file, or the files of a Bulk Data <c>$export</c>) with memory bounded independently of the input's
/// size. Pass 1 parses, counts and checks every line (rejects come from it, with file and line) and records, for the
/// emergency Encounters and the resources that may belong to their records, only their kind, order, key hashes and
/// byte range in a temporary SQLite index (<see cref="NdjsonSpillIndex"/>). Then, per batch of emergency Encounters,
/// it reads again just the lines their records need, builds a small <see cref="FhirResourceIndex"/> per Encounter and
/// maps it. What is kept follows the rules of the former in-memory reader, including reading order (see
/// docs/feeds/fhir.md); memory is the SQLite page cache plus one batch. The temp file is deleted at the end, on
/// failure and on cancellation.
/// </summary>
internal sealed class NdjsonSpillReader : IDisposable
{
    /// <summary>Emergency Encounters mapped per batch (one query and one sorted re-read per batch).</summary>
    internal const int BatchSize = 256;

    private const int MedicationAllShift = 8;

    private readonly FhirReadContext context;
    private readonly FhirReadStatistics statistics;
    private readonly int maxLineBytes;
    private readonly bool phased;
    private readonly NdjsonSpillIndex index;
    private readonly NdjsonKeys keys = new((ulong)Random.Shared.NextInt64() ^ ((ulong)Random.Shared.NextInt64() << 1));
    private readonly HashSet<string> typesPresent = new(StringComparer.Ordinal);
    private readonly Dictionary<SpillKind, long> allOfTypeSince = [];
    private readonly HashSet<string> identifierTypes = new(StringComparer.Ordinal);
    private readonly List<string> fileNames = [];
    private bool identifierLinks;

    /// <param name="context">The read.</param>
    /// <param name="statistics">Filled while reading.</param>
    /// <param name="maxLineBytes">Longest line accepted.</param>
    /// <param name="tempFolder">Where the temporary index goes.</param>
    /// <param name="phased">
    /// One file read as the former three passes did (Encounters, then Conditions, Observations and medications, then
    /// the rest): order within the file does not matter. False for an export folder, where files are read in turn.
    /// </param>
    public NdjsonSpillReader(FhirReadContext context, FhirReadStatistics statistics, int maxLineBytes, string tempFolder, bool phased)
    {
        this.context = context;
        this.statistics = statistics;
        this.maxLineBytes = maxLineBytes;
        this.phased = phased;
        Directory.CreateDirectory(tempFolder);
        index = new NdjsonSpillIndex(System.IO.Path.Combine(tempFolder, $"hub-fhir-ndjson-{Guid.NewGuid():N}.db"));
    }

    /// <summary>Resource types present in the input (also types named by export file names).</summary>
    public HashSet<string> TypesPresent => typesPresent;

    /// <summary>Pass 1 over one file: yields a reject per bad line, records the rest.</summary>
    public async IAsyncEnumerable<RecordOutcome> ReadFileAsync(Stream stream, string fileName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = fileNames.Count;
        fileNames.Add(fileName);
        await foreach (var line in NdjsonLineReader.ReadAsync(stream, maxLineBytes, cancellationToken).ConfigureAwait(false))
        {
            statistics.Lines++;
            if (line.TooLong)
            {
                statistics.BadLines++;
                yield return RecordOutcome.Rejected(null, $"line longer than {maxLineBytes} bytes", $"{fileName} line {line.Number}");
                continue;
            }

            var resource = FhirJson.TryParse(line.Bytes.Span, out var error);
            if (resource is null)
            {
                statistics.BadLines++;
                yield return RecordOutcome.Rejected(null, error!.Reason, $"{fileName} line {line.Number}, {error.Path}");
                continue;
            }

            statistics.Count(resource.ResourceType);
            typesPresent.Add(resource.ResourceType ?? "");
            Record(resource, file, line.Number, line.Offset, line.Bytes.Length);
        }
    }

    /// <summary>Pass 2: decides what is kept, then maps each emergency Encounter, in reading order.</summary>
    public IEnumerable<RecordOutcome> Finish(NdjsonLineSource source, CancellationToken cancellationToken)
    {
        index.EndLoad();
        cancellationToken.ThrowIfCancellationRequested();
        index.DecideKept(allOfTypeSince);
        statistics.ResourcesKept = index.CountKept();
        var identifiers = identifierLinks || identifierTypes.Count > 0;
        if (identifiers)
        {
            IndexIdentifiers(source, cancellationToken);
        }

        var total = index.CountEncounters();
        for (var first = 1; first <= total; first += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var last = Math.Min(total, first + BatchSize - 1);
            foreach (var outcome in MapBatch(source, first, last, identifiers))
            {
                yield return outcome;
            }
        }
    }

    public void Dispose() => index.Dispose();

    private List<RecordOutcome> MapBatch(NdjsonLineSource source, int first, int last, bool identifiers)
    {
        var encounterIds = index.EncounterIds(first, last);
        var members = index.MembersOf(first, last, identifiers);
        var rows = new Dictionary<long, SpillMember>();
        var perEncounter = new List<SpillMember>[last - first + 1];
        var self = new SpillMember?[last - first + 1];
        foreach (var member in members)
        {
            rows.TryAdd(member.Id, member);
            var slot = member.Encounter - first;
            (perEncounter[slot] ??= []).Add(member);
            if (member.Id == encounterIds[slot])
            {
                self[slot] = member;
            }
        }

        var parsed = new Dictionary<long, Resource?>(rows.Count);
        foreach (var row in rows.Values.OrderBy(r => r.File).ThenBy(r => r.Offset))
        {
            parsed[row.Id] = FhirJson.TryParse(source.Read(row.File, row.Offset, row.Length), out _);
        }

        var outcomes = new List<RecordOutcome>(last - first + 1);
        for (var slot = 0; slot < perEncounter.Length; slot++)
        {
            var encounterRow = self[slot]!.Value;
            var site = new EncounterSite("Encounter", fileNames[encounterRow.File], (int)(encounterRow.Seq & uint.MaxValue), null);
            if (parsed[encounterRow.Id] is not Encounter encounter)
            {
                outcomes.Add(RecordOutcome.Rejected(null, "the line changed while the input was read", $"{site.FileName} line {site.Line}"));
                continue;
            }

            // Same order as the whole-input index had: emergency Encounters first, then kept resources in reading order.
            var small = new FhirResourceIndex();
            small.TypesPresent.UnionWith(typesPresent);
            var seen = new HashSet<long>();
            foreach (var member in perEncounter[slot]
                .OrderBy(m => m.Kind == SpillKind.EmergencyEncounter ? 0 : 1)
                .ThenBy(m => m.Kind == SpillKind.EmergencyEncounter ? m.Id : m.Seq))
            {
                if (seen.Add(member.Id) && parsed[member.Id] is { } resource)
                {
                    small.Add(resource, null);
                }
            }

            outcomes.Add(FhirEncounterMapper.Map(encounter, site, small, context, null));
        }

        return outcomes;
    }

    private void IndexIdentifiers(NdjsonLineSource source, CancellationToken cancellationToken)
    {
        var kinds = new HashSet<SpillKind>();
        if (identifierLinks)
        {
            kinds.Add(SpillKind.EmergencyEncounter);
        }

        foreach (var type in identifierTypes)
        {
            if (type == "Encounter")
            {
                kinds.Add(SpillKind.EmergencyEncounter);
            }
            else if (KindOf(type) is { } kind)
            {
                kinds.Add(kind);
            }
        }

        index.BeginBulk();
        foreach (var row in index.RowsForIdentifiers(kinds))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (FhirJson.TryParse(source.Read(row.File, row.Offset, row.Length), out _) is not { } resource)
            {
                continue;
            }

            foreach (var identifier in resource.Identifiers)
            {
                if (identifier.Value is not null)
                {
                    index.AddIdentifier(row.Id, keys.OfIdentifier(resource.ResourceType ?? "", identifier.System, identifier.Value));
                }
            }
        }

        index.EndBulk();
        index.FinishIdentifiers();
    }

    private void Record(Resource resource, int file, int line, long offset, int length)
    {
        switch (resource)
        {
            case Encounter encounter:
                if (!FhirEncounterMapper.IsEmergency(encounter))
                {
                    return;
                }

                statistics.EmergencyEncounters++;
                var seq = Seq(SpillKind.EmergencyEncounter, file, line);
                var owner = index.Add(new SpillRow(SpillKind.EmergencyEncounter, seq, encounter.Id is { } id ? keys.OfKey("Encounter", id) : null, null, SpillFlags.None, file, offset, length));
                Need(owner, seq, encounter.Subject);
                foreach (var diagnosis in encounter.Diagnosis ?? [])
                {
                    Need(owner, seq, diagnosis.Condition);
                }

                foreach (var reason in encounter.ReasonReference ?? [])
                {
                    Need(owner, seq, reason);
                }

                foreach (var place in encounter.Location ?? [])
                {
                    Need(owner, seq, place.Location);
                }

                return;
            case Condition condition:
                AddLinked(SpillKind.Condition, resource, condition.Encounter, null, file, line, offset, length);
                return;
            case Observation observation:
                AddLinked(SpillKind.Observation, resource, observation.Encounter, null, file, line, offset, length);
                return;
            case MedicationAdministration administration:
                AddLinked(SpillKind.MedicationAdministration, resource, administration.Context, administration.MedicationReference, file, line, offset, length);
                return;
            case MedicationStatement statement:
                AddLinked(SpillKind.MedicationStatement, resource, statement.Context, statement.MedicationReference, file, line, offset, length);
                return;
            case Consent consent:
                var patient = NdjsonKeys.KeyOf(consent.Patient);
                index.Add(new SpillRow(SpillKind.Consent, Seq(SpillKind.Consent, file, line), KeyOf(resource), patient.IsEmpty ? null : keys.OfKey(patient), SpillFlags.None, file, offset, length));
                return;
            case Patient or Medication or Location:
                var kind = KindOf(resource.ResourceType!)!.Value;
                index.Add(new SpillRow(kind, Seq(kind, file, line), KeyOf(resource), null, SpillFlags.None, file, offset, length));
                return;
        }
    }

    private void AddLinked(SpillKind kind, Resource resource, ResourceReference? encounter, ResourceReference? medication, int file, int line, long offset, int length)
    {
        var seq = Seq(kind, file, line);
        long? link = null;
        var flags = SpillFlags.None;
        var key = NdjsonKeys.KeyOf(encounter);
        if (!key.IsEmpty)
        {
            link = keys.OfKey(key);
        }
        else if (encounter is not null && (encounter.Reference is null || encounter.Reference.Contains('?', StringComparison.Ordinal)))
        {
            // Cannot be decided by key: kept (as before); linked by identifier when it names one.
            flags = SpillFlags.LinkUndecided;
            if (keys.TryIdentifierOf(encounter, out _, out var hash))
            {
                link = hash;
                flags |= SpillFlags.RefIsIdentifier;
                identifierLinks = true;
            }
        }

        var medicationKey = NdjsonKeys.KeyOf(medication);
        var allKind = medication is not null && medicationKey.IsEmpty && FhirResourceIndex.TypeOf(medication) is { } type ? KindOf(type) : null;
        var allFlag = allKind is { } k && IsAllOfTypeKind(k) ? ((int)k + 1) << MedicationAllShift : 0;
        var id = index.Add(new SpillRow(kind, seq, KeyOf(resource), link, flags | (SpillFlags)allFlag, file, offset, length));
        if (medication is null)
        {
            return;
        }

        if (!medicationKey.IsEmpty)
        {
            index.AddPendingNeed(id, seq, keys.OfKey(medicationKey), identifier: false);
        }
        else if (keys.TryIdentifierOf(medication, out var identifierType, out var identifierHash))
        {
            index.AddPendingNeed(id, seq, identifierHash, identifier: true);
            identifierTypes.Add(identifierType);
        }
    }

    /// <summary>What an emergency Encounter references: by key, or (conditional, logical) every resource of the type from now on.</summary>
    private void Need(long owner, long seq, ResourceReference? reference)
    {
        if (reference is null)
        {
            return;
        }

        var key = NdjsonKeys.KeyOf(reference);
        if (!key.IsEmpty)
        {
            index.AddNeed(owner, seq, keys.OfKey(key), identifier: false);
            return;
        }

        if (FhirResourceIndex.TypeOf(reference) is { } type && KindOf(type) is { } kind && IsAllOfTypeKind(kind))
        {
            allOfTypeSince[kind] = Math.Min(allOfTypeSince.GetValueOrDefault(kind, long.MaxValue), seq);
        }

        if (keys.TryIdentifierOf(reference, out var identifierType, out var hash))
        {
            index.AddNeed(owner, seq, hash, identifier: true);
            identifierTypes.Add(identifierType);
        }
    }

    private long? KeyOf(Resource resource) => resource.Id is { } id ? keys.OfKey(resource.ResourceType ?? "", id) : null;

    /// <summary>
    /// Reading order. One file (phased): every emergency Encounter comes before every Condition, Observation and
    /// medication, which come before every Consent, Patient, Medication and Location, as in the former three passes.
    /// An export folder: file by file, line by line.
    /// </summary>
    private long Seq(SpillKind kind, int file, int line)
    {
        var high = phased
            ? kind switch
            {
                SpillKind.EmergencyEncounter => 0,
                SpillKind.Condition or SpillKind.Observation or SpillKind.MedicationAdministration or SpillKind.MedicationStatement => 1,
                _ => 2,
            }
            : file + 1;
        return ((long)high << 32) | (uint)line;
    }

    private static bool IsAllOfTypeKind(SpillKind kind) =>
        kind is SpillKind.Condition or SpillKind.Observation or SpillKind.Patient or SpillKind.Medication or SpillKind.Location;

    private static SpillKind? KindOf(string type) => type switch
    {
        "Condition" => SpillKind.Condition,
        "Observation" => SpillKind.Observation,
        "MedicationAdministration" => SpillKind.MedicationAdministration,
        "MedicationStatement" => SpillKind.MedicationStatement,
        "Consent" => SpillKind.Consent,
        "Patient" => SpillKind.Patient,
        "Medication" => SpillKind.Medication,
        "Location" => SpillKind.Location,
        _ => null,
    };
}

namespace Hub.SampleData.Feeds;

/// <summary>
/// Generates synthetic NEMSIS, FHIR and CAD feeds in which the same synthetic people appear across sources, with a
/// truth.csv answer key. Deterministic: equal <see cref="SyntheticFeedOptions"/> give byte-identical output, because every
/// choice comes from <see cref="Random"/> seeded from the options, never from the clock.
/// </summary>
public sealed class SyntheticFeedGenerator
{
    /// <summary>EMS file, relative to the output folder.</summary>
    public const string NemsisFile = "ems/nemsis-emsdataset.xml";

    /// <summary>Folder of the FHIR Bulk NDJSON files (one per resource type).</summary>
    public const string FhirNdjsonFolder = "ed/ndjson";

    /// <summary>Folder of the FHIR transaction Bundles (one per ED visit).</summary>
    public const string FhirBundleFolder = "ed/bundles";

    /// <summary>CAD CSV file.</summary>
    public const string CadFile = "cad/cad-calls.csv";

    /// <summary>CAD profile JSON, beside the CSV.</summary>
    public const string CadProfileFile = "cad/cad-profile.json";

    /// <summary>Ground-truth file.</summary>
    public const string TruthFile = "truth.csv";

    private readonly SyntheticFeedOptions _options;
    private readonly ScenarioBuilder _builder;

    /// <summary>Creates a generator.</summary>
    /// <exception cref="ArgumentException">An option is out of range (all problems are listed).</exception>
    public SyntheticFeedGenerator(SyntheticFeedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _builder = new ScenarioBuilder(options);
    }

    /// <summary>The options.</summary>
    public SyntheticFeedOptions Options => _options;

    /// <summary>FHIR resource types written as NDJSON, in order.</summary>
    public static IReadOnlyList<string> FhirResourceTypes => FhirJsonWriter.ResourceTypes;

    /// <summary>CAD CSV column headers, in order.</summary>
    public static IReadOnlyList<string> CadColumns => CadCsvWriter.Columns;

    /// <summary>Writes every feed, truth.csv and the CAD profile into <paramref name="outputDirectory"/> (created if absent; files overwritten).</summary>
    public GenerationSummary Generate(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var root = Path.GetFullPath(outputDirectory);
        foreach (var folder in new[] { "ems", FhirNdjsonFolder, "cad" })
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
        }

        var files = new List<string> { NemsisFile, CadFile, CadProfileFile, TruthFile };
        var bundleFolder = Path.Combine(root, FhirBundleFolder);
        if (_options.WriteFhirBundles)
        {
            Directory.CreateDirectory(bundleFolder);
        }

        var ndjson = FhirJsonWriter.ResourceTypes.ToDictionary(t => t, t => (Stream)File.Create(Path.Combine(root, FhirNdjsonFolder, t + ".ndjson")));
        try
        {
            using var nemsis = File.Create(Path.Combine(root, NemsisFile));
            using var cad = File.Create(Path.Combine(root, CadFile));
            using var profile = File.Create(Path.Combine(root, CadProfileFile));
            using var truth = File.Create(Path.Combine(root, TruthFile));
            var summary = Generate(new SyntheticFeedStreams
            {
                Nemsis = nemsis,
                FhirNdjson = ndjson,
                CadCsv = cad,
                CadProfile = profile,
                Truth = truth,
                OpenFhirBundle = _options.WriteFhirBundles ? id => File.Create(Path.Combine(bundleFolder, id + ".json")) : null,
            });
            files.AddRange(FhirJsonWriter.ResourceTypes.Select(t => $"{FhirNdjsonFolder}/{t}.ndjson"));
            if (_options.WriteFhirBundles)
            {
                files.AddRange(Enumerable.Range(0, summary.EdEncounters).Select(i => $"{FhirBundleFolder}/{NemsisCodes.Id("ed-enc-", i)}.json"));
            }

            return summary with { Files = files };
        }
        finally
        {
            foreach (var stream in ndjson.Values)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>Writes every feed to the given streams (left open).</summary>
    public GenerationSummary Generate(SyntheticFeedStreams streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var linkedEd = new List<EdVisit>();
        var linkedCad = new List<CadCall>();
        int emsOverdoses = 0, noisy = 0;
        using var truth = new TruthCsvWriter(streams.Truth);

        using (var nemsis = new NemsisXmlWriter(streams.Nemsis, _builder))
        {
            nemsis.WriteStart(_options.Counties[0]);
            for (var i = 0; i < _options.EmsCount; i++)
            {
                var (run, followedByEd, police) = _builder.Ems(i);
                nemsis.Write(run);
                truth.Write(run.Truth);
                emsOverdoses += run.Overdose ? 1 : 0;
                noisy += run.Noise.Length > 0 ? 1 : 0;
                if (followedByEd && linkedEd.Count < _options.EdCount)
                {
                    linkedEd.Add(_builder.LinkedEd(run, linkedEd.Count));
                }

                if (police && linkedCad.Count < _options.CadCount)
                {
                    linkedCad.Add(_builder.LinkedCad(run, linkedCad.Count));
                }
            }

            nemsis.WriteEnd();
        }

        var fhirCounts = FhirJsonWriter.ResourceTypes.ToDictionary(t => t, _ => 0);
        int edOverdoses = 0, part2 = 0;
        foreach (var visit in linkedEd.Concat(Enumerable.Range(linkedEd.Count, _options.EdCount - linkedEd.Count).Select(_builder.IndependentEd)))
        {
            WriteVisit(visit, streams, fhirCounts);
            truth.Write(visit.Truth);
            edOverdoses += visit.Overdose ? 1 : 0;
            part2 += visit.Part2 ? 1 : 0;
            noisy += visit.Noise.Length > 0 ? 1 : 0;
        }

        int cadOverdoses = 0;
        using (var cad = new CadCsvWriter(streams.CadCsv, _builder))
        {
            foreach (var call in linkedCad.Concat(Enumerable.Range(linkedCad.Count, _options.CadCount - linkedCad.Count).Select(_builder.IndependentCad)))
            {
                cad.Write(call);
                truth.Write(call.Truth);
                cadOverdoses += call.Overdose ? 1 : 0;
            }
        }

        if (streams.CadProfile is { } profile)
        {
            CadCsvWriter.WriteProfile(profile, _options.TimeZone, SingleState());
        }

        return new GenerationSummary
        {
            Seed = _options.Seed,
            EmsRecords = _options.EmsCount,
            EmsOverdoses = emsOverdoses,
            EdEncounters = _options.EdCount,
            EdOverdoses = edOverdoses,
            EdLinkedToEms = linkedEd.Count,
            CadCalls = _options.CadCount,
            CadOverdoses = cadOverdoses,
            CadLinkedToEms = linkedCad.Count,
            FhirResources = fhirCounts,
            Part2Labelled = part2,
            NoisyRecords = noisy,
        };
    }

    /// <summary>
    /// Streams <paramref name="records"/> PatientCareReports (the same as the first EMS records of <see cref="Generate(string)"/>)
    /// into one EMSDataSet with constant memory, for large-file tests and benchmarks.
    /// </summary>
    public GenerationSummary WriteNemsis(Stream stream, int records)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        var overdoses = 0;
        using (var nemsis = new NemsisXmlWriter(stream, _builder))
        {
            nemsis.WriteStart(_options.Counties[0]);
            for (var i = 0; i < records; i++)
            {
                var (run, _, _) = _builder.Ems(i);
                nemsis.Write(run);
                overdoses += run.Overdose ? 1 : 0;
            }

            nemsis.WriteEnd();
        }

        return new GenerationSummary { Seed = _options.Seed, EmsRecords = records, EmsOverdoses = overdoses };
    }

    /// <summary>Streams <paramref name="records"/> CAD calls (no EMS links) as CSV with constant memory.</summary>
    public GenerationSummary WriteCadCsv(Stream stream, int records)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        var overdoses = 0;
        using (var cad = new CadCsvWriter(stream, _builder))
        {
            for (var i = 0; i < records; i++)
            {
                var call = _builder.IndependentCad(i);
                cad.Write(call);
                overdoses += call.Overdose ? 1 : 0;
            }
        }

        return new GenerationSummary { Seed = _options.Seed, CadCalls = records, CadOverdoses = overdoses };
    }

    /// <summary>Streams <paramref name="visits"/> ED visits (no EMS links) as FHIR Bulk NDJSON with constant memory; streams keyed by resource type.</summary>
    public GenerationSummary WriteFhirNdjson(IReadOnlyDictionary<string, Stream> streams, int visits)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentOutOfRangeException.ThrowIfNegative(visits);
        var counts = FhirJsonWriter.ResourceTypes.ToDictionary(t => t, _ => 0);
        var overdoses = 0;
        var sinks = new SyntheticFeedStreams { Nemsis = Stream.Null, CadCsv = Stream.Null, Truth = Stream.Null, FhirNdjson = streams };
        for (var i = 0; i < visits; i++)
        {
            var visit = _builder.IndependentEd(i);
            WriteVisit(visit, sinks, counts);
            overdoses += visit.Overdose ? 1 : 0;
        }

        return new GenerationSummary { Seed = _options.Seed, EdEncounters = visits, EdOverdoses = overdoses, FhirResources = counts };
    }

    /// <summary>Writes the CAD profile JSON that matches <see cref="WriteCadCsv"/> output.</summary>
    public void WriteCadProfile(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CadCsvWriter.WriteProfile(stream, _options.TimeZone, SingleState());
    }

    private string? SingleState()
    {
        var states = _options.Counties.Select(c => c.State).Distinct(StringComparer.Ordinal).ToList();
        return states.Count == 1 ? states[0] : null;
    }

    private void WriteVisit(EdVisit visit, SyntheticFeedStreams streams, Dictionary<string, int> counts)
    {
        var all = FhirJsonWriter.ResourceTypesOf(visit, _builder).ToList();
        foreach (var type in all)
        {
            counts[type]++;
        }

        FhirJsonWriter.WriteNdjson(new SkipMissing(streams.FhirNdjson), visit, _builder);
        if (streams.OpenFhirBundle is { } open)
        {
            using var bundle = open(visit.EncounterId);
            FhirJsonWriter.WriteBundle(bundle, visit, _builder);
        }
    }

    /// <summary>Maps resource types without a caller stream to <see cref="Stream.Null"/>.</summary>
    private sealed class SkipMissing(IReadOnlyDictionary<string, Stream> inner) : IReadOnlyDictionary<string, Stream>
    {
        public Stream this[string key] => inner.TryGetValue(key, out var s) ? s : Stream.Null;

        public IEnumerable<string> Keys => inner.Keys;

        public IEnumerable<Stream> Values => inner.Values;

        public int Count => inner.Count;

        public bool ContainsKey(string key) => true;

        public bool TryGetValue(string key, out Stream value)
        {
            value = this[key];
            return true;
        }

        public IEnumerator<KeyValuePair<string, Stream>> GetEnumerator() => inner.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

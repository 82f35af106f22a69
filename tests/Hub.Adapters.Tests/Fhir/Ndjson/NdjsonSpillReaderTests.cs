using System.Text;
using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir;
using Hub.Contracts.Model;

namespace Hub.Adapters.Tests.Fhir.Ndjson;

/// <summary>NDJSON reads that spill their index to disk: same outcomes as before, temp files always removed.</summary>
public sealed class NdjsonSpillReaderTests : IDisposable
{
    private const string Icd = "http://hl7.org/fhir/sid/icd-10-cm";
    private readonly string root = Path.Combine(Path.GetTempPath(), "hub-ndjson-tests-" + Guid.NewGuid().ToString("N"));

    public NdjsonSpillReaderTests()
    {
        Directory.CreateDirectory(Temp);
        Directory.CreateDirectory(Input);
    }

    private string Temp => Path.Combine(root, "temp");

    private string Input => Path.Combine(root, "input");

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Given_a_file_with_one_bad_line_among_10000_When_read_from_disk_Then_one_reject_every_other_line_read_and_no_temp_file_left()
    {
        var builder = new StringBuilder();
        for (var i = 1; i <= 10_000; i++)
        {
            builder.Append(i == 7_778
                ? "{\"resourceType\":\"Condition\",\"id\":\"broken\",\n"
                : i % 2 == 1
                    ? Encounter($"e{i}", $"p{i + 1}") + "\n"
                    : Condition($"c{i}", $"e{i - 1}", i % 4 == 0 ? "T40.1X1A" : "R07.9") + "\n");
        }

        var file = Path.Combine(Input, "big.ndjson");
        await File.WriteAllTextAsync(file, builder.ToString());
        var statistics = new FhirReadStatistics();

        var outcomes = await FhirTestSupport.ToListAsync(Reader().ReadAsync(null, FhirTestSupport.Source("big.ndjson", file), statistics, CancellationToken.None));

        var reject = Assert.Single(outcomes, o => o.Kind == RecordOutcomeKind.Rejected);
        Assert.StartsWith("big.ndjson line 7778", reject.Reject!.Location, StringComparison.Ordinal);
        Assert.Equal(10_000, statistics.Lines);
        Assert.Equal(1, statistics.BadLines);
        Assert.Equal(5_000, statistics.EmergencyEncounters);
        // Encounter on odd line i owns the Condition of line i + 1; overdose when i + 1 is a multiple of 4 (7778 is not).
        Assert.Equal(2_500, outcomes.Count(o => o.Kind == RecordOutcomeKind.Overdose));
        Assert.Equal(2_500, outcomes.Count(o => o.Kind == RecordOutcomeKind.NotOverdose));
        Assert.Equal(5_000 + 4_999, statistics.ResourcesKept);
        var first = outcomes.First(o => o.Kind != RecordOutcomeKind.Rejected);
        Assert.Equal("Encounter/e1", first.SourceRecordId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task Given_CRLF_lines_and_a_line_too_long_When_read_again_by_offset_Then_later_lines_still_resolve()
    {
        // Offsets must stay right after a skipped over-long line and across buffer refills (64 KB blocks).
        var padding = new string('x', 70_000);
        var lines = new List<string> { Patient("p0"), $$$"""{"resourceType":"Patient","id":"long","text":"{{{padding}}}"}""" };
        for (var i = 1; i <= 400; i++)
        {
            lines.Add(Encounter($"e{i}", $"p{i}"));
            lines.Add(Condition($"c{i}", $"e{i}", i % 5 == 0 ? "T40.4X1A" : "R07.9"));
            lines.Add(Patient($"p{i}"));
        }

        var file = Path.Combine(Input, "crlf.ndjson");
        await File.WriteAllTextAsync(file, string.Join("\r\n", lines) + "\r\n");
        var feed = FhirTestSupport.Feed();
        feed.Fhir.TempFolder = Temp;
        feed.Fhir.MaxLineBytes = 65_536;
        var statistics = new FhirReadStatistics();

        var outcomes = await FhirTestSupport.ToListAsync(new FhirFeedReaderFactory().CreateReader(feed).ReadAsync(null, FhirTestSupport.Source("crlf.ndjson", file), statistics, CancellationToken.None));

        var reject = Assert.Single(outcomes, o => o.Kind == RecordOutcomeKind.Rejected);
        Assert.Equal("crlf.ndjson line 2", reject.Reject!.Location);
        Assert.Equal(80, outcomes.Count(o => o.Kind == RecordOutcomeKind.Overdose));
        Assert.Equal(320, outcomes.Count(o => o.Kind == RecordOutcomeKind.NotOverdose));
        Assert.All(outcomes.Where(o => o.Kind == RecordOutcomeKind.Overdose), o => Assert.Equal(new DateOnly(1980, 1, 2), o.Event!.Subject!.BirthDate));
        Assert.Equal(2 + (3 * 399) + 1, outcomes.Single(o => o.SourceRecordId == "Encounter/e400").Event!.Provenance.Line);
        Assert.Equal(1_202, statistics.Lines);
    }

    [Fact]
    public async Task Given_an_export_folder_When_read_Then_references_resolve_across_files()
    {
        await WriteAsync("Encounter.000.ndjson", Encounter("e1", "p1"), Encounter("e2", "p2"), Encounter("e3", "p3", "AMB"));
        await WriteAsync("Condition.000.ndjson", Condition("c1", "e2", "R07.9"), Condition("c3", "e3", "T40.1X1A"));
        await WriteAsync("MedicationAdministration.000.ndjson",
            """{"resourceType":"MedicationAdministration","id":"ma1","status":"completed","medicationReference":{"reference":"Medication/nal"},"context":{"reference":"Encounter/e1"},"effectiveDateTime":"2026-02-01T10:05:00Z"}""");
        await WriteAsync("Consent.000.ndjson",
            """{"resourceType":"Consent","id":"k1","status":"active","patient":{"reference":"Patient/p1"},"provision":{"type":"permit","purpose":[{"code":"PUBHLTH"}]}}""");
        await WriteAsync("Patient.000.ndjson", Patient("p1"), Patient("p2"), Patient("p3"));
        await WriteAsync("Medication.000.ndjson",
            """{"resourceType":"Medication","id":"nal","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"1659929"}]}}""");
        await WriteAsync("Observation.000.ndjson",
            """{"resourceType":"Observation","id":"cc1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8661-1"}]},"valueString":"heroin overdose","encounter":{"reference":"Encounter/e1"}}""");
        var statistics = new FhirReadStatistics();

        var outcomes = await FhirTestSupport.ToListAsync(Reader().ReadAsync(null, FhirTestSupport.Source("export", Input), statistics, CancellationToken.None));

        Assert.Equal(["Encounter/e1", "Encounter/e2"], outcomes.Select(o => o.SourceRecordId));
        var overdose = outcomes[0];
        Assert.Equal(RecordOutcomeKind.Overdose, overdose.Kind);
        Assert.True(overdose.Event!.Clinical.NaloxoneGiven);
        Assert.Equal(new DateOnly(1980, 1, 2), overdose.Event.Subject!.BirthDate);
        Assert.NotEmpty(overdose.Event.ConsentSignals);
        Assert.Equal("Encounter.000.ndjson", overdose.Event.Provenance.Source);
        Assert.Equal(1, overdose.Event.Provenance.Line);
        Assert.Equal(RecordOutcomeKind.NotOverdose, outcomes[1].Kind);
        Assert.Equal(7, statistics.FilesRead);
        // e1, e2, c1, ma1, k1, p1, p2, nal, cc1: not c3 (AMB encounter) nor p3.
        Assert.Equal(9, statistics.ResourcesKept);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task Given_a_partial_export_without_Patients_When_read_Then_a_warning_not_a_reject()
    {
        await WriteAsync("Encounter.000.ndjson", Encounter("e1", "p1"));
        await WriteAsync("Condition.000.ndjson", Condition("c1", "e1", "T40.1X1A"));

        var outcome = Assert.Single(await FhirTestSupport.ToListAsync(Reader().ReadAsync(null, FhirTestSupport.Source("export", Input), null, CancellationToken.None)));

        Assert.Equal(RecordOutcomeKind.Overdose, outcome.Kind);
        Assert.Contains(outcome.Warnings, w => w.Contains("no Patient resources", StringComparison.Ordinal));
        Assert.Null(outcome.Event!.Subject);
    }

    [Fact]
    public async Task Given_an_Encounter_in_a_file_read_after_its_Conditions_When_the_folder_is_read_Then_the_Encounter_first_rule_applies()
    {
        // Export folders are read Encounter files first; an Encounter in a later file misses Conditions read before it
        // (documented). The same lines in one file are order-independent.
        var encounter = Encounter("e1", "p1");
        var condition = Condition("c1", "e1", "T40.1X1A");
        await WriteAsync("Condition.000.ndjson", condition);
        await WriteAsync("Patient.000.ndjson", encounter, Patient("p1"));

        var folder = Assert.Single(await FhirTestSupport.ToListAsync(Reader().ReadAsync(null, FhirTestSupport.Source("export", Input), null, CancellationToken.None)));
        var single = Assert.Single(await FhirTestSupport.ReadTextAsync(string.Join('\n', condition, Patient("p1"), encounter), "one.ndjson"));

        Assert.Equal(RecordOutcomeKind.NotOverdose, folder.Kind);
        Assert.Equal(RecordOutcomeKind.Overdose, single.Kind);
    }

    [Fact]
    public async Task Given_conditional_subject_references_When_read_Then_they_resolve_by_identifier_and_an_ambiguous_one_is_rejected()
    {
        const string Ndjson = """
            {"resourceType":"Encounter","id":"e1","class":{"code":"EMER"},"subject":{"reference":"Patient?identifier=urn:mrn|A1"},"period":{"start":"2026-02-01T10:00:00Z"},"reasonCode":[{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"T40.1X1A"}]}]}
            {"resourceType":"Encounter","id":"e2","class":{"code":"EMER"},"subject":{"reference":"Patient?identifier=urn:mrn|B2"},"period":{"start":"2026-02-01T10:00:00Z"}}
            {"resourceType":"Encounter","id":"e3","class":{"code":"EMER"},"subject":{"identifier":{"system":"urn:mrn","value":"A1"},"type":"Patient"},"period":{"start":"2026-02-01T10:00:00Z"}}
            {"resourceType":"Patient","id":"pa","identifier":[{"system":"urn:mrn","value":"A1"}],"birthDate":"1970-03-04"}
            {"resourceType":"Patient","id":"pb","identifier":[{"system":"urn:mrn","value":"B2"}]}
            {"resourceType":"Patient","id":"pb2","identifier":[{"system":"urn:mrn","value":"B2"}]}
            {"resourceType":"Condition","id":"c2","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"T40.1X1A"}]},"encounter":{"identifier":{"system":"urn:visit","value":"V3"},"type":"Encounter"}}
            """;

        var outcomes = await FhirTestSupport.ReadTextAsync(Ndjson, "conditional.ndjson");

        Assert.Equal(3, outcomes.Count);
        Assert.Equal(RecordOutcomeKind.Overdose, outcomes[0].Kind);
        Assert.Equal(new DateOnly(1970, 3, 4), outcomes[0].Event!.Subject!.BirthDate);
        Assert.Equal(RecordOutcomeKind.Rejected, outcomes[1].Kind);
        Assert.Contains("more than one Patient", outcomes[1].Reject!.Reason, StringComparison.Ordinal);
        Assert.Equal(RecordOutcomeKind.NotOverdose, outcomes[2].Kind); // logical reference resolved; c2 names no ED encounter identifier
    }

    [Fact]
    public async Task Given_a_Condition_linked_by_Encounter_identifier_When_read_Then_it_counts_for_that_Encounter()
    {
        const string Ndjson = """
            {"resourceType":"Condition","id":"c1","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"T40.1X1A"}]},"encounter":{"reference":"Encounter?identifier=urn:visit|V1"}}
            {"resourceType":"Encounter","id":"e1","identifier":[{"system":"urn:visit","value":"V1"}],"class":{"code":"EMER"},"subject":{"reference":"Patient/p1"},"period":{"start":"2026-02-01T10:00:00Z"}}
            {"resourceType":"Encounter","id":"e2","identifier":[{"system":"urn:visit","value":"V2"}],"class":{"code":"EMER"},"subject":{"reference":"Patient/p1"},"period":{"start":"2026-02-01T10:00:00Z"}}
            {"resourceType":"Patient","id":"p1"}
            """;

        var outcomes = await FhirTestSupport.ReadTextAsync(Ndjson, "linked.ndjson");

        Assert.Equal([RecordOutcomeKind.Overdose, RecordOutcomeKind.NotOverdose], outcomes.Select(o => o.Kind));
    }

    [Fact]
    public async Task Given_a_stream_that_cannot_seek_When_read_Then_same_outcomes_as_a_file_and_the_copy_is_deleted()
    {
        var lines = Enumerable.Range(0, 300).SelectMany(i => new[] { Patient($"p{i}"), Encounter($"e{i}", $"p{i}", i % 2 == 0 ? "EMER" : "AMB"), Condition($"c{i}", $"e{i}", i % 3 == 0 ? "T40.2X1A" : "R07.9") });
        var text = string.Join('\n', lines);
        var seekable = await FhirTestSupport.ReadTextAsync(text, "s.ndjson");

        await using var stream = new NonSeekableStream(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        var streamed = await FhirTestSupport.ToListAsync(Reader().ReadAsync(stream, FhirTestSupport.Source("s.ndjson"), null, CancellationToken.None));

        Assert.Equal(150, seekable.Count);
        Assert.Equal(seekable.Select(o => (o.Kind, o.SourceRecordId)), streamed.Select(o => (o.Kind, o.SourceRecordId)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task Given_a_read_cancelled_while_mapping_When_it_stops_Then_no_temp_file_is_left()
    {
        var lines = Enumerable.Range(0, 2_000).SelectMany(i => new[] { Patient($"p{i}"), Encounter($"e{i}", $"p{i}") });
        var file = Path.Combine(Input, "cancel.ndjson");
        await File.WriteAllLinesAsync(file, lines);
        using var cancellation = new CancellationTokenSource();
        var read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var outcome in Reader().ReadAsync(null, FhirTestSupport.Source("cancel.ndjson", file), null, cancellation.Token))
            {
                if (++read == 10)
                {
                    Assert.NotEmpty(Directory.EnumerateFileSystemEntries(Temp)); // the index exists while reading
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.InRange(read, 10, 2_000 - 1);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task Given_a_non_seekable_read_abandoned_after_the_first_reject_When_disposed_Then_no_temp_file_is_left()
    {
        var text = "not json\n" + string.Join('\n', Enumerable.Range(0, 500).Select(i => Encounter($"e{i}", "p")));
        await using var stream = new NonSeekableStream(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        await foreach (var outcome in Reader().ReadAsync(stream, FhirTestSupport.Source("x.ndjson"), null, CancellationToken.None))
        {
            Assert.Equal(RecordOutcomeKind.Rejected, outcome.Kind);
            Assert.NotEmpty(Directory.EnumerateFileSystemEntries(Temp)); // the copy and the index
            break;
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    private FhirFeedReader Reader()
    {
        var feed = FhirTestSupport.Feed();
        feed.Fhir.TempFolder = Temp;
        return new FhirFeedReaderFactory().CreateReader(feed);
    }

    private async Task WriteAsync(string name, params string[] lines) => await File.WriteAllLinesAsync(Path.Combine(Input, name), lines);

    private static string Encounter(string id, string patient, string code = "EMER") =>
        $$$"""{"resourceType":"Encounter","id":"{{{id}}}","class":{"code":"{{{code}}}"},"subject":{"reference":"Patient/{{{patient}}}"},"period":{"start":"2026-02-01T10:00:00Z"}}""";

    private static string Condition(string id, string encounter, string code) =>
        $$$"""{"resourceType":"Condition","id":"{{{id}}}","code":{"coding":[{"system":"{{{Icd}}}","code":"{{{code}}}"}]},"encounter":{"reference":"Encounter/{{{encounter}}}"}}""";

    private static string Patient(string id) =>
        $$"""{"resourceType":"Patient","id":"{{id}}","gender":"female","birthDate":"1980-01-02"}""";

    private sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

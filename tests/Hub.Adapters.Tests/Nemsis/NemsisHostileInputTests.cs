using System.Text;
using Hub.Adapters.Feeds;
using Hub.Contracts.Model;
using static Hub.Adapters.Tests.Nemsis.NemsisTestSupport;

namespace Hub.Adapters.Tests.Nemsis;

/// <summary>Hostile and broken input: each is rejected or read correctly, in bounded memory, and nothing is fetched.</summary>
public sealed class NemsisHostileInputTests
{
    private const long MemoryBound = 64L * 1024 * 1024;

    [Fact]
    public void Given_xxe_entity_When_read_Then_rejected_and_nothing_fetched()
    {
        var resolver = new RecordingResolver();
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE EMSDataSet [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <EMSDataSet xmlns="http://www.nemsis.org"><Header><PatientCareReport><eRecord><eRecord.01>&xxe;</eRecord.01></eRecord></PatientCareReport></Header></EMSDataSet>
            """;

        var outcome = Assert.Single(ReadText(xml, resolver: resolver));

        Assert.Equal(RecordOutcomeKind.Rejected, outcome.Kind);
        Assert.Contains("DTD", outcome.Reject!.Reason, StringComparison.Ordinal);
        Assert.StartsWith("document prolog", outcome.Reject.Location, StringComparison.Ordinal);
        Assert.Empty(resolver.Requests);
    }

    [Fact]
    public void Given_billion_laughs_When_read_Then_rejected_within_bounded_memory()
    {
        var resolver = new RecordingResolver();
        var sb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for (var i = 1; i <= 9; i++)
        {
            sb.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};", 10))}\">\n");
        }

        sb.Append("]>\n<EMSDataSet xmlns=\"http://www.nemsis.org\"><Header>&lol9;</Header></EMSDataSet>");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var outcome = Assert.Single(ReadText(sb.ToString(), resolver: resolver));

        Assert.Equal(RecordOutcomeKind.Rejected, outcome.Kind);
        Assert.Contains("DTD", outcome.Reject!.Reason, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < MemoryBound);
        Assert.Empty(resolver.Requests);
    }

    [Fact]
    public void Given_external_dtd_When_read_Then_rejected_and_nothing_fetched()
    {
        var resolver = new RecordingResolver();
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE EMSDataSet SYSTEM "http://attacker.invalid/nemsis.dtd">
            <EMSDataSet xmlns="http://www.nemsis.org"><Header/></EMSDataSet>
            """;

        var outcome = Assert.Single(ReadText(xml, resolver: resolver));

        Assert.Equal(RecordOutcomeKind.Rejected, outcome.Kind);
        Assert.Contains("DTD", outcome.Reject!.Reason, StringComparison.Ordinal);
        Assert.Empty(resolver.Requests);
    }

    [Fact]
    public void Given_schema_location_to_remote_xsd_When_read_leniently_Then_nothing_fetched_and_record_read()
    {
        var resolver = new RecordingResolver();
        var xml = Document(Pcr("SYN-LOC-1")).Replace(
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"",
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.nemsis.org http://attacker.invalid/EMSDataSet_v3.xsd\"",
            StringComparison.Ordinal);

        var outcome = Assert.Single(ReadText(xml, resolver: resolver));

        Assert.Equal(RecordOutcomeKind.Overdose, outcome.Kind);
        Assert.Empty(resolver.Requests);
    }

    [Hub.Testing.ExternalDataFact]
    public void Given_schema_location_When_read_strictly_Then_local_xsds_used_and_nothing_fetched()
    {
        var resolver = new RecordingResolver();
        var path = Hub.Testing.ExternalData.PathOf("nemsis-compliance-testcases", "full", "2023-EMS-1-Opioid-Release_v350.xml");
        var feed = Feed("strict", Hub.Testing.ExternalData.PathOf("nemsis-xsd", "v3.5.0"));

        var outcome = Assert.Single(ReadFile(path, feed, resolver));

        Assert.Equal(RecordOutcomeKind.Overdose, outcome.Kind);
        Assert.Empty(resolver.Requests);
    }

    [Fact]
    public void Given_ten_thousand_deep_nesting_When_read_Then_rejected_at_the_depth_cap_in_bounded_memory()
    {
        var deep = string.Concat(Enumerable.Repeat("<eCustom.x>", 10_000)) + string.Concat(Enumerable.Repeat("</eCustom.x>", 10_000));
        var xml = Document(Pcr("SYN-DEEP-0"), Pcr("SYN-DEEP-1", "<eCustomResults>" + deep + "</eCustomResults>"));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var outcomes = ReadText(xml);

        Assert.Equal(2, outcomes.Count);
        Assert.Equal(RecordOutcomeKind.Overdose, outcomes[0].Kind);
        Assert.Equal(RecordOutcomeKind.Rejected, outcomes[1].Kind);
        Assert.Equal("element nesting deeper than 64 levels", outcomes[1].Reject!.Reason);
        Assert.Contains("/EMSDataSet/Header/PatientCareReport[2]/eCustomResults/eCustom.x", outcomes[1].Reject!.Location, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < MemoryBound);
    }

    [Fact]
    public void Given_100_mb_narrative_When_narrative_kept_Then_record_rejected_in_bounded_memory()
    {
        using var stream = HugeTextNodeDocument("eNarrative", "eNarrative.01", 100L * 1024 * 1024);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var outcomes = Read(stream, "huge.xml", Feed(keepNarrative: true));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2, outcomes.Count);
        Assert.Equal(RecordOutcomeKind.Rejected, outcomes[0].Kind);
        Assert.Equal("value of eNarrative.01 longer than 1048576 characters", outcomes[0].Reject!.Reason);
        Assert.Contains("/PatientCareReport[1]/eNarrative/eNarrative.01", outcomes[0].Reject!.Location, StringComparison.Ordinal);
        Assert.Equal(RecordOutcomeKind.Overdose, outcomes[1].Kind);
        Assert.True(allocated < MemoryBound, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Given_100_mb_text_node_in_an_unused_element_When_read_Then_record_read_correctly_in_bounded_memory()
    {
        using var stream = HugeTextNodeDocument("eOther", "eOther.22", 100L * 1024 * 1024);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var outcomes = Read(stream, "huge.xml");

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(RecordOutcomeKind.Overdose, o.Kind));
        Assert.True(allocated < MemoryBound, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Given_document_over_the_size_cap_When_read_Then_records_before_are_kept_and_the_rest_is_one_reject()
    {
        var pcrs = Enumerable.Range(1, 200).Select(i => Pcr($"SYN-CAP-{i}")).ToArray();
        var xml = Document(pcrs);
        var feed = Feed(configure: s => s.MaxDocumentBytes = xml.Length / 2);

        var outcomes = ReadText(xml, feed);

        Assert.InRange(outcomes.Count, 50, 150);
        Assert.All(outcomes[..^1], o => Assert.Equal(RecordOutcomeKind.Overdose, o.Kind));
        Assert.Equal(RecordOutcomeKind.Rejected, outcomes[^1].Kind);
        Assert.StartsWith("malformed XML:", outcomes[^1].Reject!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_invalid_character_When_read_Then_prior_records_kept_and_fault_rejected_with_line()
    {
        var xml = Document(Pcr("SYN-CHR-1"), Pcr("SYN-CHR-2", "<ePatient><ePatient.02>Bad\u0001Name</ePatient.02></ePatient>"), Pcr("SYN-CHR-3"));

        var outcomes = ReadText(xml);

        Assert.Equal(2, outcomes.Count);
        Assert.Equal(RecordOutcomeKind.Overdose, outcomes[0].Kind);
        var reject = outcomes[1].Reject!;
        Assert.Equal("SYN-CHR-2", outcomes[1].SourceRecordId);
        Assert.StartsWith("malformed XML:", reject.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Bad", reject.Reason, StringComparison.Ordinal);
        Assert.Matches(@"^line \d+ position \d+, /EMSDataSet/Header/PatientCareReport\[2\]/ePatient/ePatient.02$", reject.Location);
    }

    [Fact]
    public void Given_invalid_utf8_bytes_When_read_Then_fault_is_one_reject()
    {
        var good = Encoding.UTF8.GetBytes(Document(Pcr("SYN-UTF-1"), Pcr("SYN-UTF-2", "<ePatient><ePatient.02>XX</ePatient.02></ePatient>")));
        var at = Encoding.UTF8.GetString(good).IndexOf(">XX<", StringComparison.Ordinal) + 1;
        good[at] = 0xC3;
        good[at + 1] = 0x28;
        using var stream = new MemoryStream(good);

        var outcomes = Read(stream, "bad-utf8.xml");

        Assert.Equal(2, outcomes.Count);
        Assert.Equal(RecordOutcomeKind.Overdose, outcomes[0].Kind);
        Assert.Equal(RecordOutcomeKind.Rejected, outcomes[1].Kind);
    }

    [Fact]
    public void Given_utf16_with_bom_When_read_Then_same_outcomes_as_utf8()
    {
        var xml = Document(Pcr("SYN-U16-1", "<ePatient><ePatient.02>Ünal</ePatient.02></ePatient><eSituation><eSituation.11>F11.20</eSituation.11></eSituation>"), Pcr("SYN-U16-2", "<eSituation><eSituation.11>R51</eSituation.11></eSituation>"))
            .Replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"", StringComparison.Ordinal);

        var utf16 = ReadText(xml, encoding: new UnicodeEncoding(bigEndian: false, byteOrderMark: true));

        Assert.Equal(2, utf16.Count);
        Assert.Equal(RecordOutcomeKind.Overdose, utf16[0].Kind);
        Assert.Equal("Ünal", utf16[0].Event!.Subject!.FamilyName);
        Assert.Equal(RecordOutcomeKind.NotOverdose, utf16[1].Kind);
    }

    [Fact]
    public void Given_truncated_file_When_read_Then_every_record_before_is_yielded_and_no_exception()
    {
        var xml = Document(Pcr("SYN-TR-1"), Pcr("SYN-TR-2"), Pcr("SYN-TR-3"));
        var truncated = xml[..(xml.IndexOf("SYN-TR-3", StringComparison.Ordinal) + 30)];

        var outcomes = ReadText(truncated);

        Assert.Equal(3, outcomes.Count);
        Assert.Equal(["SYN-TR-1", "SYN-TR-2", "SYN-TR-3"], outcomes.Select(o => o.SourceRecordId));
        Assert.Equal(RecordOutcomeKind.Rejected, outcomes[2].Kind);
        Assert.Matches(@"^line \d+ position \d+, ", outcomes[2].Reject!.Location);
    }

    [Fact]
    public void Given_mismatched_tags_When_read_Then_reject_names_elements_but_no_values()
    {
        var xml = Document(Pcr("SYN-MM-1"), Pcr("SYN-MM-2", "<ePatient><ePatient.02>Smith</ePatient.03></ePatient>"));

        var outcomes = ReadText(xml);

        Assert.Equal(2, outcomes.Count);
        Assert.Contains("ePatient.02", outcomes[1].Reject!.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Smith", outcomes[1].Reject!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_record_without_pcr_number_When_read_Then_rejected_with_path()
    {
        var xml = Document(Pcr(""));

        var outcome = Assert.Single(ReadText(xml));

        Assert.Equal(RecordOutcomeKind.Rejected, outcome.Kind);
        Assert.Contains("eRecord.01", outcome.Reject!.Reason, StringComparison.Ordinal);
        Assert.Contains("/EMSDataSet/Header/PatientCareReport[1]", outcome.Reject.Location, StringComparison.Ordinal);
    }

    /// <summary>A NEMSIS document with one PCR whose <paramref name="leaf"/> holds <paramref name="size"/> characters, then a normal PCR; streamed, never held in memory.</summary>
    private static GeneratedStream HugeTextNodeDocument(string section, string leaf, long size)
    {
        var head = Document(Pcr("SYN-BIG-1", $"<eSituation><eSituation.11>F11.20</eSituation.11></eSituation><{section}><{leaf}>"));
        var split = head.IndexOf("</PatientCareReport>", StringComparison.Ordinal);
        var prefix = head[..split].TrimEnd();
        var afterLeaf = $"</{leaf}></{section}>\n" + head[split..];
        var second = Pcr("SYN-BIG-2");
        var end = afterLeaf.IndexOf("</Header>", StringComparison.Ordinal);
        var suffix = afterLeaf[..end] + second + "\n" + afterLeaf[end..];
        return new GeneratedStream(Encoding.UTF8.GetBytes(prefix), (byte)'a', size, Encoding.UTF8.GetBytes(suffix));
    }
}

/// <summary>A read-only stream: prefix, then <c>count</c> copies of one byte, then suffix, generated on the fly.</summary>
internal sealed class GeneratedStream(byte[] prefix, byte filler, long count, byte[] suffix) : Stream
{
    private long position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => prefix.Length + count + suffix.Length;
    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count1)
    {
        var written = 0;
        while (written < count1 && position < Length)
        {
            if (position < prefix.Length)
            {
                buffer[offset + written] = prefix[position];
                written++;
                position++;
            }
            else if (position < prefix.Length + count)
            {
                var n = (int)Math.Min(count1 - written, prefix.Length + count - position);
                buffer.AsSpan(offset + written, n).Fill(filler);
                written += n;
                position += n;
            }
            else
            {
                buffer[offset + written] = suffix[position - prefix.Length - count];
                written++;
                position++;
            }
        }

        return written;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count1) => throw new NotSupportedException();
}

using System.Text;
using Hub.Adapters.Cad;
using Hub.Adapters.Feeds;
using Hub.Contracts.Model;
using Hub.Testing;

namespace Hub.Adapters.Tests.Cad;

internal static class CadTestSupport
{
    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "Cad", name);

    public static string SampleProfile(string name) => Path.Combine(ExternalData.RepositoryRoot, "samples", "feeds", name);

    public static FeedOptions Feed(string profilePath, string id = "test-cad", string timeZone = "UTC", bool keepNarrative = false) => new()
    {
        Id = id,
        Kind = FeedKind.Cad,
        AgencyId = "test-agency",
        TimeZone = timeZone,
        CadProfileFile = profilePath,
        KeepNarrative = keepNarrative,
    };

    public static FeedOptions SyntheticFeed(bool keepNarrative = false) => Feed(TestData("synthetic-profile.json"), keepNarrative: keepNarrative);

    public static async Task<List<RecordOutcome>> ReadAllAsync(FeedOptions feed, string path)
    {
        var reader = new CadFeedReaderFactory().Create(feed);
        await using var stream = File.OpenRead(path);
        var source = new SourceDocument(Path.GetFileName(path), "0123abcd", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), path);
        var outcomes = new List<RecordOutcome>();
        await foreach (var outcome in reader.ReadAsync(stream, source, CancellationToken.None))
        {
            outcomes.Add(outcome);
        }

        return outcomes;
    }

    public static OverdoseEvent EventFor(IEnumerable<RecordOutcome> outcomes, string id) =>
        outcomes.Single(o => o.SourceRecordId == id && o.Kind == RecordOutcomeKind.Overdose).Event!;

    /// <summary>
    /// A deliberately naive RFC 4180 reader, independent of CsvHelper, for counting rows in the tests: quotes toggle,
    /// a doubled quote inside quotes is a quote, CR/LF outside quotes ends a record, blank lines are skipped.
    /// </summary>
    public static List<string[]> SimpleCsv(string path, Encoding? encoding = null)
    {
        var text = File.ReadAllText(path, encoding ?? Encoding.UTF8);
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                EndRecord();
            }
            else
            {
                field.Append(c);
            }
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            if (!(fields.Count == 1 && fields[0].Length == 0))
            {
                records.Add([.. fields]);
            }

            fields.Clear();
        }
    }
}

using System.Text;

namespace Hub.SampleData.Feeds;

/// <summary>Writes truth.csv, the answer key for linkage and detection tests.</summary>
internal sealed class TruthCsvWriter : IDisposable
{
    public static readonly string[] Columns = ["source_kind", "source_record_id", "person_id", "episode_id", "is_overdose", "noise"];

    private readonly StreamWriter _writer;

    public TruthCsvWriter(Stream stream)
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        _writer.WriteLine(string.Join(',', Columns));
    }

    public void Write(TruthRecord record)
    {
        _writer.Write(record.SourceKind);
        _writer.Write(',');
        _writer.Write(record.SourceRecordId);
        _writer.Write(',');
        _writer.Write(record.PersonId);
        _writer.Write(',');
        _writer.Write(record.EpisodeId);
        _writer.Write(',');
        _writer.Write(record.IsOverdose ? "true" : "false");
        _writer.Write(',');
        _writer.WriteLine(record.Noise);
    }

    public void Dispose()
    {
        _writer.Flush();
        _writer.Dispose();
    }
}

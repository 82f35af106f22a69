using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Hub.Adapters.Cad;

/// <summary>
/// One pass over one CAD CSV: the text reader (BOM wins over the profile's encoding), the CsvHelper parser configured
/// from the profile, the header resolved to column indices, and the first line of the current record.
/// </summary>
internal sealed class CadCsvSession : IDisposable
{
    /// <summary>Largest field accepted, in characters: an unterminated quote must not pull a 5 GB file into memory.</summary>
    public const int MaxFieldSize = 1 << 20;

    private readonly StreamReader reader;
    private long previousRawRow;

    private CadCsvSession(StreamReader reader, CsvParser parser)
    {
        this.reader = reader;
        Parser = parser;
    }

    public CsvParser Parser { get; }

    /// <summary>The first (1-based) physical line of the current record.</summary>
    public long Line { get; private set; }

    /// <summary>True when the current record had a quote where it may not be (a bare quote in an unquoted field).</summary>
    public bool BadQuoting { get; private set; }

    /// <summary>Set when the parser gave up (a field longer than <see cref="MaxFieldSize"/>); the rest of the input is unread.</summary>
    public string? FatalProblem { get; private set; }

    /// <summary>The encoding actually used (after BOM detection, once the first record is read).</summary>
    public Encoding Encoding => reader.CurrentEncoding;

    public static CadCsvSession Open(Stream content, CompiledCadProfile profile)
    {
        ArgumentNullException.ThrowIfNull(content);
        var reader = new StreamReader(content, profile.Encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        CadCsvSession? session = null;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = profile.Source.Delimiter,
            Quote = profile.Source.Quote,
            Escape = profile.Source.Quote,
            Mode = CsvMode.RFC4180,
            // Blank lines are skipped here rather than by CsvHelper, whose RawRow would then not count them.
            IgnoreBlankLines = false,
            BufferSize = 1 << 16,
            CacheFields = false,
            MaxFieldSize = MaxFieldSize,
            DetectColumnCountChanges = false,
            BadDataFound = _ => session!.BadQuoting = true,
        };
        session = new CadCsvSession(reader, new CsvParser(reader, configuration, leaveOpen: false));
        return session;
    }

    /// <summary>Reads the next record; false at the end or when the parser gave up (see <see cref="FatalProblem"/>).</summary>
    public async ValueTask<bool> ReadAsync()
    {
        if (FatalProblem is not null)
        {
            return false;
        }

        try
        {
            bool more;
            do
            {
                BadQuoting = false;
                more = await Parser.ReadAsync().ConfigureAwait(false);
                Line = previousRawRow + 1;
                previousRawRow = Parser.RawRow;
            }
            while (more && IsBlank());

            return more;
        }
        catch (CsvHelperException)
        {
            // The exception text quotes the raw record, which may identify someone: keep only where it happened.
            FatalProblem = $"a field longer than {MaxFieldSize} characters (an unterminated quote?) starting near line {previousRawRow + 1}; the rest of the file was not read";
            Line = previousRawRow + 1;
            return false;
        }
    }

    /// <summary>Synchronous twin of <see cref="ReadAsync"/> for the benchmark's raw-throughput mode.</summary>
    public bool Read()
    {
        if (FatalProblem is not null)
        {
            return false;
        }

        try
        {
            bool more;
            do
            {
                BadQuoting = false;
                more = Parser.Read();
                Line = previousRawRow + 1;
                previousRawRow = Parser.RawRow;
            }
            while (more && IsBlank());

            return more;
        }
        catch (CsvHelperException)
        {
            FatalProblem = $"a field longer than {MaxFieldSize} characters (an unterminated quote?) starting near line {previousRawRow + 1}; the rest of the file was not read";
            Line = previousRawRow + 1;
            return false;
        }
    }

    private bool IsBlank() => Parser.Count == 1 && string.IsNullOrWhiteSpace(Parser[0]) && !BadQuoting;

    public void Dispose()
    {
        Parser.Dispose();
        reader.Dispose();
    }
}

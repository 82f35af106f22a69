using System.Text;

namespace Hub.Audit.Reports;

/// <summary>
/// The hub's one CSV writer: RFC 4180 (comma, CRLF, fields with comma, quote, CR or LF quoted, quotes doubled) and
/// spreadsheet-formula neutralizing: a cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab, CR or LF
/// gets a leading single quote, so a value an agency typed can never run as a formula in the reader's spreadsheet.
/// </summary>
public sealed class SafeCsvWriter
{
    private readonly TextWriter _writer;

    /// <summary>Writes to a text writer (the caller owns it).</summary>
    public SafeCsvWriter(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Writes one record followed by CRLF. Null cells are written empty.</summary>
    public void WriteRow(params IEnumerable<string?> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                _writer.Write(',');
            }

            _writer.Write(Encode(cell));
            first = false;
        }

        _writer.Write("\r\n");
    }

    /// <summary>The cell as written: neutralized, then quoted when needed.</summary>
    public static string Encode(string? cell)
    {
        if (string.IsNullOrEmpty(cell))
        {
            return string.Empty;
        }

        var value = Neutralize(cell);
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        builder.Append('"');
        builder.Append(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        builder.Append('"');
        return builder.ToString();
    }

    /// <summary>Prefixes a single quote when the cell would start a formula.</summary>
    public static string Neutralize(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' ? "'" + cell : cell;
    }
}

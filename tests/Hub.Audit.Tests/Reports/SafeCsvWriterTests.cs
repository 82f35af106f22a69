using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Hub.Audit.Reports;

namespace Hub.Audit.Tests.Reports;

/// <summary>A strict RFC 4180 reader for the tests.</summary>
public static class Rfc4180
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        cell.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        cell.Append(text[i++]);
                    }
                }
            }
            else if (text[i] == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
                i++;
            }
            else if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
                i += 2;
            }
            else
            {
                Assert.False(text[i] is '\r' or '\n' or '"', "bare CR, LF or quote outside a quoted field");
                cell.Append(text[i++]);
            }
        }

        Assert.Empty(row);
        return rows;
    }
}

public sealed class SafeCsvWriterTests
{
    [Theory]
    [InlineData("=SUM(A1:A9)", "'=SUM(A1:A9)")]
    [InlineData("+1 555", "'+1 555")]
    [InlineData("-5", "'-5")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("\r\n=x", "\"'\r\n=x\"")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Given_a_cell_When_encoded_Then_it_is_quoted_per_RFC_4180_and_formulas_are_neutralized(string? cell, string expected)
        => Assert.Equal(expected, SafeCsvWriter.Encode(cell));

    [Fact]
    public void Given_rows_When_written_Then_records_end_with_CRLF()
    {
        using var text = new StringWriter();
        var csv = new SafeCsvWriter(text);
        csv.WriteRow("a", null, "b,c");
        csv.WriteRow("=1");
        Assert.Equal("a,,\"b,c\"\r\n'=1\r\n", text.ToString());
    }

    [Fact]
    public void Given_any_cells_When_written_and_read_back_Then_every_cell_round_trips_except_a_leading_quote_marks_neutralized_formulas()
    {
        Prop.ForAll<string[]>(cells =>
        {
            var clean = (cells ?? []).Select(c => c ?? string.Empty).Where(c => c.Length > 0).ToArray();
            if (clean.Length == 0)
            {
                return true;
            }

            using var text = new StringWriter();
            new SafeCsvWriter(text).WriteRow(clean);
            var back = Rfc4180.Parse(text.ToString()).Single();
            return back.Count == clean.Length && back.Zip(clean).All(p => p.First == SafeCsvWriter.Neutralize(p.Second)
                && !(p.First.Length > 0 && "=+-@\t\r\n".Contains(p.First[0], StringComparison.Ordinal)));
        }).QuickCheckThrowOnFailure();
    }
}

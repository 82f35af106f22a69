using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hub.SampleData.Feeds;

/// <summary>
/// Writes the synthetic police CAD export (RFC 4180 CSV, one call per row, local wall-clock times without offset) and the
/// CAD feed profile JSON that tells the CAD adapter how to read it.
/// </summary>
internal sealed class CadCsvWriter : IDisposable
{
    /// <summary>The column headers, in file order.</summary>
    public static readonly string[] Columns =
    [
        "incident_id", "received_at", "call_type", "call_type_desc", "priority", "disposition", "block_address",
        "city", "state", "zip", "latitude", "longitude", "beat", "county_fips", "sensitive",
    ];

    /// <summary>The .NET format of received_at.</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Call types that mean overdose in this export.</summary>
    public static readonly string[] OverdoseCallTypes = ["OD", "OVERDOSE"];

    /// <summary>Call-type patterns that mean overdose (MPDS protocol 23).</summary>
    public static readonly string[] OverdoseCallTypePatterns = ["^23-?[A-EO]-?[0-9]{1,2}[A-Z]?$"];

    /// <summary>Police disposition values the generator writes (none of them is an EMS transport outcome).</summary>
    public static readonly string[] PoliceDispositions = ["REPORT TAKEN", "GONE ON ARRIVAL", "ASSISTED EMS", "NO REPORT", "ARREST", "REFERRED"];

    private readonly StreamWriter _writer;
    private readonly ScenarioBuilder _builder;

    public CadCsvWriter(Stream stream, ScenarioBuilder builder)
    {
        _builder = builder;
        _writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        _writer.WriteLine(string.Join(',', Columns));
    }

    public void Write(CadCall call)
    {
        var sensitive = call.Overdose && call.Index % 10 == 9;
        var local = _builder.InZone(call.Received).DateTime;
        string[] fields =
        [
            call.IncidentId,
            local.ToString(TimeFormat, CultureInfo.InvariantCulture),
            call.CallType,
            call.Description,
            call.Priority.ToString(CultureInfo.InvariantCulture),
            call.Disposition,
            call.Location.BlockAddress,
            call.Location.City,
            call.Location.State,
            call.Location.Zip,
            sensitive ? "" : call.Location.Latitude.ToString("0.0000", CultureInfo.InvariantCulture),
            sensitive ? "" : call.Location.Longitude.ToString("0.0000", CultureInfo.InvariantCulture),
            call.Location.Beat,
            call.Location.CountyFips,
            sensitive ? "Y" : "N",
        ];
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                _writer.Write(',');
            }

            _writer.Write(Quote(fields[i]));
        }

        _writer.WriteLine();
    }

    public void Dispose()
    {
        _writer.Flush();
        _writer.Dispose();
    }

    /// <summary>
    /// Writes the profile in the shape of Hub.Adapters.Cad.CadFeedProfile (keys of Columns are CadField names). The CSV's
    /// state and county_fips map to the State and CountyFips fields; the profile-level State is set only when all counties share one.
    /// </summary>
    public static void WriteProfile(Stream stream, string timeZone, string? state)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" });
        json.WriteStartObject();
        json.WriteString("Name", "synthetic-cad");
        json.WriteString("Version", "1");
        json.WriteString("TimeZone", timeZone);
        json.WriteString("Delimiter", ",");
        json.WriteString("Encoding", "utf-8");
        json.WriteBoolean("HasHeaderRow", true);
        if (state is not null)
        {
            json.WriteString("State", state);
        }

        json.WriteStartObject("Columns");
        Column("IncidentId", "incident_id", ["cad_number", "incident_number"]);
        Column("Received", "received_at", ["call_received", "date_time"], TimeFormat);
        Column("CallTypeOriginal", "call_type", ["type", "initial_call_type"]);
        Column("Description", "call_type_desc", ["description"]);
        Column("Priority", "priority", []);
        Column("Disposition", "disposition", ["final_disposition"]);
        Column("Block", "block_address", ["block", "location"]);
        Column("City", "city", []);
        Column("Zip", "zip", ["zip_code", "postal_code"]);
        Column("Latitude", "latitude", ["lat"]);
        Column("Longitude", "longitude", ["lon", "lng"]);
        Column("Beat", "beat", ["district"]);
        Column("Sensitive", "sensitive", ["sensitive_flag"]);
        Column("CountyFips", "county_fips", ["county"]);
        Column("State", "state", []);
        json.WriteEndObject();
        json.WriteStartObject("Overdose");
        Strings("CallTypes", OverdoseCallTypes);
        Strings("Patterns", OverdoseCallTypePatterns);
        json.WriteString("MatchOn", "Either");
        json.WriteEndObject();
        json.WriteStartObject("Dispositions");
        foreach (var disposition in PoliceDispositions)
        {
            json.WriteString(disposition, "Other");
        }

        json.WriteEndObject();
        Strings("SensitiveValues", ["Y"]);
        json.WriteBoolean("SuppressSensitiveLocations", true);
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');

        void Strings(string name, IEnumerable<string> values)
        {
            json.WriteStartArray(name);
            foreach (var value in values)
            {
                json.WriteStringValue(value);
            }

            json.WriteEndArray();
        }

        void Column(string field, string name, string[] aliases, string? format = null)
        {
            json.WriteStartObject(field);
            json.WriteString("Name", name);
            Strings("Aliases", aliases);
            if (format is not null)
            {
                Strings("Formats", [format]);
            }

            json.WriteEndObject();
        }
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

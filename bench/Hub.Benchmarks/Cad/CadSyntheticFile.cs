using System.Globalization;
using System.Text;
using Hub.Adapters.Cad;
using Hub.Adapters.Feeds;

namespace Hub.Benchmarks.Cad;

/// <summary>
/// A deterministic synthetic 15-column CAD export (about 2% overdose calls, some quoted descriptions with commas
/// and quotes), and the profile that reads it. Synthetic only: no real call is in it.
/// </summary>
public static class CadSyntheticFile
{
    /// <summary>The header of the synthetic layout.</summary>
    public const string Header =
        "incident_id,received_at,dispatched_at,call_type,final_call_type,description,block_address,city,zip,latitude,longitude,beat,disposition,priority,sensitive";

    private static readonly string[] CallTypes =
    [
        "THEFT", "ALARM", "NOISE", "TRAFFIC", "SUSPICIOUS", "ASSAULT", "WELFARE", "PARKING", "BURGLARY", "DISTURBANCE",
        "VANDALISM", "MISSING", "FIRE", "MEDICAL", "TRESPASS", "DUI", "FRAUD", "ROBBERY", "SHOTS", "ANIMAL",
        "FOLLOWUP", "WARRANT", "HAZARD", "LOST", "FOUND", "CHECK", "COMPLAINT", "PROWLER", "TOW", "ESCORT",
    ];

    private static readonly string[] Streets = ["MAIN ST", "OAK AVE", "ELM ST", "5TH AVE", "PINE RD", "CALLE DEL ÁRBOL", "MARKET ST", "LAKE DR"];

    private static readonly string[] Cities = ["SPRINGFIELD", "SHELBYVILLE", "OGDENVILLE", "NORTH HAVERBROOK"];

    private static readonly string[] Dispositions = ["REPORT", "ADVISED", "GONE ON ARRIVAL", "TRANSPORTED", "REFUSED", "NO ACTION", "ARREST"];

    /// <summary>The profile of the synthetic layout (the same as tests/.../TestData/Cad/synthetic-profile.json, UTF-8).</summary>
    public static CadFeedProfile Profile() => new()
    {
        Name = "synthetic-cad",
        Version = "1",
        TimeZone = "America/Los_Angeles",
        State = "CA",
        Columns = new(StringComparer.OrdinalIgnoreCase)
        {
            ["IncidentId"] = new CadColumn { Name = "incident_id" },
            ["Received"] = new CadColumn { Name = "received_at" },
            ["Dispatched"] = new CadColumn { Name = "dispatched_at" },
            ["CallTypeOriginal"] = new CadColumn { Name = "call_type" },
            ["CallTypeFinal"] = new CadColumn { Name = "final_call_type" },
            ["Description"] = new CadColumn { Name = "description" },
            ["Block"] = new CadColumn { Name = "block_address" },
            ["City"] = new CadColumn { Name = "city" },
            ["Zip"] = new CadColumn { Name = "zip" },
            ["Latitude"] = new CadColumn { Name = "latitude" },
            ["Longitude"] = new CadColumn { Name = "longitude" },
            ["Beat"] = new CadColumn { Name = "beat" },
            ["Disposition"] = new CadColumn { Name = "disposition" },
            ["Priority"] = new CadColumn { Name = "priority" },
            ["Sensitive"] = new CadColumn { Name = "sensitive" },
        },
        Overdose = new CadOverdoseRule { CallTypes = ["OD", "OVERDOSE"], Patterns = ["^23[A-EO]\\d*$"], MatchOn = CadCallTypeMatch.Either },
    };

    /// <summary>A feed with the synthetic profile inline.</summary>
    public static FeedOptions Feed() => new() { Id = "bench-cad", Kind = FeedKind.Cad, AgencyId = "bench", TimeZone = "America/Los_Angeles", Cad = Profile() };

    /// <summary>Writes <paramref name="rows"/> data rows (after the header) to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, long rows, long firstRow = 0)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (firstRow == 0)
        {
            writer.Write(Header);
            writer.Write('\n');
        }

        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var line = new StringBuilder(256);
        for (var i = firstRow; i < firstRow + rows; i++)
        {
            var r = (ulong)i * 2654435761UL;
            var received = start.AddSeconds(i * 7 % 31_536_000);
            var type = (r % 50) == 0 ? "OD" : (r % 97) == 1 ? "23D1" : CallTypes[(int)(r % (ulong)CallTypes.Length)];
            line.Clear()
                .Append("C24").Append(i.ToString("D9", CultureInfo.InvariantCulture)).Append(',')
                .Append(received.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(',')
                .Append((r % 5) == 0 ? "" : received.AddSeconds(30 + (int)(r % 600)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(',')
                .Append(type).Append(',')
                .Append((r % 3) == 0 ? type : CallTypes[(int)((r >> 8) % (ulong)CallTypes.Length)]).Append(',')
                .Append((r % 4) == 0 ? "\"caller reports \"\"loud\"\" noise, then hung up\"" : "units requested").Append(',')
                .Append((r % 20 + 1) * 100).Append(" BLOCK ").Append(Streets[(int)((r >> 4) % (ulong)Streets.Length)]).Append(',')
                .Append(Cities[(int)((r >> 6) % (ulong)Cities.Length)]).Append(',')
                .Append(90000 + (int)(r % 900)).Append(',')
                .Append((32.7 + (r % 1000) / 10000.0).ToString("F6", CultureInfo.InvariantCulture)).Append(',')
                .Append((-117.1 - (r % 1000) / 10000.0).ToString("F6", CultureInfo.InvariantCulture)).Append(',')
                .Append('B').Append(r % 40).Append(',')
                .Append(Dispositions[(int)((r >> 10) % (ulong)Dispositions.Length)]).Append(',')
                .Append(r % 5).Append(',')
                .Append((r % 100) == 0 ? 'Y' : 'N').Append('\n');
            writer.Write(line);
        }
    }

    /// <summary>The file as UTF-8 bytes, for in-memory benchmarks.</summary>
    public static byte[] Bytes(int rows)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
        {
            Write(writer, rows);
        }

        return stream.ToArray();
    }
}

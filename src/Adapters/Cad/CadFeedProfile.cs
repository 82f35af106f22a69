using System.Text.Json.Serialization;

namespace Hub.Adapters.Cad;

/// <summary>
/// A CAD feed profile: how to read one agency's calls-for-service CSV and which call types mean overdose.
/// Onboarding an agency is writing one of these (JSON, see docs/feeds/cad.md), never code.
/// </summary>
public sealed class CadFeedProfile
{
    /// <summary>Profile name; with <see cref="Version"/> it becomes the detection definition version on every event.</summary>
    public string Name { get; set; } = "";

    /// <summary>Profile version, bumped whenever the layout or call-type list changes.</summary>
    public string Version { get; set; } = "1";

    /// <summary>
    /// IANA time zone of timestamps without an offset. When null, the feed's <c>TimeZone</c> is used; when set, it wins,
    /// because the profile describes the file and the file's clock.
    /// </summary>
    public string? TimeZone { get; set; }

    /// <summary>Field delimiter (one or more characters).</summary>
    public string Delimiter { get; set; } = ",";

    /// <summary>Encoding when the file has no byte-order mark: <c>utf-8</c>, <c>windows-1252</c> or <c>iso-8859-1</c>. A BOM wins.</summary>
    public string Encoding { get; set; } = "utf-8";

    /// <summary>Whether the first record is a header row. Without one, columns are addressed by <see cref="CadColumn.Index"/>.</summary>
    public bool HasHeaderRow { get; set; } = true;

    /// <summary>Quote character (RFC 4180 quoting: a doubled quote inside a quoted field is one quote).</summary>
    public char Quote { get; set; } = '"';

    /// <summary>Two-letter state code stamped on every event's location (the exports rarely carry it); a State column wins.</summary>
    public string? State { get; set; }

    /// <summary>
    /// County (5-digit FIPS) stamped on every event's location when the export has no county column: a police
    /// agency usually serves one county, and routing by county needs it. A CountyFips column wins.
    /// </summary>
    public string? CountyFips { get; set; }

    /// <summary>
    /// Column map, keyed by hub field name (see <see cref="CadField"/>: IncidentId, CallTypeOriginal, CallTypeFinal,
    /// Description, Received, Dispatched, OnScene, Closed, Address, Block, BlockNumber, Street, CrossStreet,
    /// Intersection, City, Zip, Latitude, Longitude, Beat, Disposition, Priority, Sensitive).
    /// </summary>
    public Dictionary<string, CadColumn> Columns { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Which call types mean overdose.</summary>
    public CadOverdoseRule Overdose { get; set; } = new();

    /// <summary>
    /// Disposition values (as read, case-insensitive) mapped to the hub's disposition kinds (e.g. <c>"REF": "RefusedTransport"</c>).
    /// Values not listed fall back to keyword recognition (refused, transported, deceased...).
    /// </summary>
    public Dictionary<string, string> Dispositions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Values of the Sensitive column that mark a call sensitive (case-insensitive).</summary>
    public List<string> SensitiveValues { get; set; } = ["Y", "YES", "TRUE", "T", "1"];

    /// <summary>Drop everything below the city from the location of calls marked sensitive.</summary>
    public bool SuppressSensitiveLocations { get; set; } = true;
}

/// <summary>One mapped hub field: the column it is read from, its former names, and its format.</summary>
public sealed class CadColumn
{
    /// <summary>The header name (case-insensitive, surrounding spaces ignored).</summary>
    public string? Name { get; set; }

    /// <summary>Other header names the column has had (schema drift); the first name present in the header is used.</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>Zero-based column index, for files without a header row (or to pin a column whose name repeats).</summary>
    public int? Index { get; set; }

    /// <summary>
    /// For times: .NET custom date-time formats, tried in order (e.g. <c>MM/dd/yyyy h:mm:ss tt</c>). A format with
    /// <c>z</c> or <c>K</c> reads the offset from the value; otherwise the time is local to the profile's time zone.
    /// Null means ISO 8601 (<c>yyyy-MM-dd HH:mm:ss</c> or <c>yyyy-MM-ddTHH:mm:ss</c>, optional fraction and offset).
    /// </summary>
    public List<string>? Formats { get; set; }

    /// <summary>
    /// A regular expression whose first capture group is the value (to pull a time out of a free-text column, say).
    /// A value it does not match is a parse failure for times and empty for text.
    /// </summary>
    public string? Extract { get; set; }

    /// <summary>
    /// Several columns joined with a space into one value (empty parts skipped), e.g. direction + road + suffix.
    /// When set, <see cref="Name"/>/<see cref="Index"/> are ignored.
    /// </summary>
    public List<CadColumn>? Parts { get; set; }

    /// <summary>
    /// IncidentId only: replace the value by <c>h-</c> + 20 hex digits of its SHA-256. For exports without an incident
    /// number, whose id must be built from other columns (Parts) that should not travel as an id.
    /// </summary>
    public bool Hash { get; set; }
}

/// <summary>Which call types mean overdose.</summary>
public sealed class CadOverdoseRule
{
    /// <summary>Exact call-type codes (case-insensitive, surrounding spaces ignored), e.g. <c>1140OD</c>, <c>EMS: OVERDOSE</c>.</summary>
    public List<string> CallTypes { get; set; } = [];

    /// <summary>Regular expressions (case-insensitive) on the whole call type, e.g. <c>^23[-]?[A-EO]</c> for MPDS protocol 23.</summary>
    public List<string> Patterns { get; set; } = [];

    /// <summary>Which call type is matched: <c>Original</c>, <c>Final</c> or <c>Either</c> (original first).</summary>
    public CadCallTypeMatch MatchOn { get; set; } = CadCallTypeMatch.Either;
}

/// <summary>Which call type an overdose rule looks at.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CadCallTypeMatch>))]
public enum CadCallTypeMatch
{
    /// <summary>Original call type, else final.</summary>
    Either,

    /// <summary>The call type as first received (what the caller reported).</summary>
    Original,

    /// <summary>The call type after the call was cleared (what responders found).</summary>
    Final,
}

/// <summary>The hub fields a CAD profile can map. Names are the keys of <see cref="CadFeedProfile.Columns"/>.</summary>
public enum CadField
{
    /// <summary>CAD incident / event number (required).</summary>
    IncidentId,

    /// <summary>Call type as first received.</summary>
    CallTypeOriginal,

    /// <summary>Call type after clearance.</summary>
    CallTypeFinal,

    /// <summary>Call-type description or free-text description; kept as narrative only when the feed keeps narrative.</summary>
    Description,

    /// <summary>Time the call was received (required): the event's time.</summary>
    Received,

    /// <summary>Time the first unit was dispatched.</summary>
    Dispatched,

    /// <summary>Time the first unit arrived.</summary>
    OnScene,

    /// <summary>Time the call was closed.</summary>
    Closed,

    /// <summary>Full street address (number and street).</summary>
    Address,

    /// <summary>Block text as published ("1200 BLOCK OF MAIN ST").</summary>
    Block,

    /// <summary>Block (hundred) number, combined with <see cref="Street"/>.</summary>
    BlockNumber,

    /// <summary>Street name, combined with <see cref="BlockNumber"/> or <see cref="CrossStreet"/>.</summary>
    Street,

    /// <summary>Cross street: when present, the location is the intersection of <see cref="Street"/> and it.</summary>
    CrossStreet,

    /// <summary>Intersection text ("MAIN ST &amp; 5TH AVE").</summary>
    Intersection,

    /// <summary>City, town or township.</summary>
    City,

    /// <summary>ZIP code.</summary>
    Zip,

    /// <summary>Latitude, decimal degrees.</summary>
    Latitude,

    /// <summary>Longitude, decimal degrees.</summary>
    Longitude,

    /// <summary>Beat, sector or district.</summary>
    Beat,

    /// <summary>Disposition code or text.</summary>
    Disposition,

    /// <summary>Call priority (checked, not carried on events).</summary>
    Priority,

    /// <summary>Sensitive-call flag.</summary>
    Sensitive,

    /// <summary>County, 5-digit FIPS (state + county).</summary>
    CountyFips,

    /// <summary>State, two-letter code.</summary>
    State,
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace Hub.Deidentification.Profiles;

/// <summary>The census count under one three-digit ZIP prefix: how many ZCTAs, and how many people in them.</summary>
/// <param name="Zctas">ZCTAs whose first three digits are the prefix.</param>
/// <param name="Population">Their total population.</param>
public readonly record struct Zip3Area(int Zctas, long Population);

/// <summary>
/// Census population summed by three-digit ZIP prefix, read from a table of ZCTA populations, and the Safe Harbor list
/// computed from it. This is how a restricted-ZIP3 list is made reviewable: the table in, the list out, every step
/// checkable (164.514(b)(2)(i)(B): a prefix stays only where its area holds more than 20,000 people).
/// </summary>
public sealed class Zip3Populations
{
    /// <summary>Safe Harbor's threshold: a prefix whose area holds this many people or fewer becomes <c>000</c>.</summary>
    public const long SafeHarborThreshold = 20_000;

    private Zip3Populations(SortedDictionary<string, Zip3Area> areas, int zctas, long population, int skippedRows)
    {
        Areas = areas;
        ZctaCount = zctas;
        Population = population;
        SkippedRows = skippedRows;
    }

    /// <summary>Every prefix that has at least one ZCTA, in order.</summary>
    public IReadOnlyDictionary<string, Zip3Area> Areas { get; }

    /// <summary>ZCTA rows read.</summary>
    public int ZctaCount { get; }

    /// <summary>The population of every ZCTA read: a checksum against the published table.</summary>
    public long Population { get; }

    /// <summary>Rows of other geographies (the nation, a state) that a table may carry; skipped, counted.</summary>
    public int SkippedRows { get; }

    /// <summary>
    /// Reads ZCTA populations from CSV text: either the data.census.gov export of a table such as DHC 2020 P1
    /// (<c>GEO_ID</c> like <c>860Z200US00601</c>, a population column such as <c>P1_001N</c>, an optional label row,
    /// a byte-order mark and trailing commas allowed), or plain <c>zcta,population</c> lines.
    /// </summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="sourceName">The file name, for messages.</param>
    /// <param name="populationColumn">The population column of a census export; <c>P1_001N</c> (total population) by default.</param>
    /// <exception cref="ProfileValidationException">Every malformed row, with its line number.</exception>
    public static Zip3Populations Read(TextReader reader, string sourceName, string populationColumn = "P1_001N")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        var problems = new List<string>();
        if (reader.Peek() == '\uFEFF')
        {
            reader.Read(); // a byte-order mark a StreamReader did not take
        }

        // Blank lines are skipped here rather than by CsvHelper, whose RawRow would then not count them.
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { IgnoreBlankLines = false, BadDataFound = null }, leaveOpen: true);
        if (!parser.Read())
        {
            throw new ProfileValidationException($"{sourceName}: empty file");
        }

        var (zctaIndex, populationIndex, isCensusExport) = Columns(parser.Record!, populationColumn);
        if (zctaIndex < 0 || populationIndex < 0)
        {
            throw new ProfileValidationException(
                $"{sourceName} line 1: expected a census export header with GEO_ID and {populationColumn}, or 'zcta,population'; found '{Truncate(parser.RawRecord.TrimEnd('\r', '\n'))}'");
        }

        var areas = new SortedDictionary<string, Zip3Area>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long total = 0, previousRawRow = parser.RawRow;
        int zctas = 0, skipped = 0;
        while (parser.Read())
        {
            var lineNumber = previousRawRow + 1;
            previousRawRow = parser.RawRow;
            var cells = parser.Record!;
            if (cells is [""])
            {
                continue;
            }

            if (cells.Length <= Math.Max(zctaIndex, populationIndex))
            {
                problems.Add($"{sourceName} line {lineNumber}: {cells.Length} column(s), expected at least {Math.Max(zctaIndex, populationIndex) + 1}");
                continue;
            }

            var id = cells[zctaIndex];
            string zcta;
            if (isCensusExport)
            {
                if (lineNumber == 2 && id == "Geography")
                {
                    continue; // data.census.gov's second header row of labels
                }

                if (!id.StartsWith("860", StringComparison.Ordinal))
                {
                    skipped++;
                    continue;
                }

                var us = id.LastIndexOf("US", StringComparison.Ordinal);
                zcta = us >= 0 ? id[(us + 2)..] : id;
            }
            else
            {
                zcta = id;
            }

            if (zcta.Length != 5 || !zcta.All(char.IsAsciiDigit))
            {
                problems.Add($"{sourceName} line {lineNumber}: '{Truncate(id)}' is not a five-digit ZCTA");
                continue;
            }

            if (!long.TryParse(cells[populationIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var population))
            {
                problems.Add($"{sourceName} line {lineNumber}: population '{Truncate(cells[populationIndex])}' of ZCTA {zcta} is not a whole number");
                continue;
            }

            if (!seen.Add(zcta))
            {
                problems.Add($"{sourceName} line {lineNumber}: ZCTA {zcta} appears twice");
                continue;
            }

            var prefix = zcta[..3];
            areas[prefix] = areas.TryGetValue(prefix, out var area)
                ? new Zip3Area(area.Zctas + 1, area.Population + population)
                : new Zip3Area(1, population);
            total += population;
            zctas++;
        }

        if (problems.Count == 0 && zctas == 0)
        {
            problems.Add($"{sourceName}: no ZCTA rows");
        }

        return problems.Count > 0 ? throw new ProfileValidationException(problems) : new Zip3Populations(areas, zctas, total, skipped);
    }

    /// <summary>
    /// The Safe Harbor list: prefixes whose ZCTAs hold <see cref="SafeHarborThreshold"/> people or fewer in all, and
    /// prefixes (000–999) under which the table has no ZCTA at all.
    /// </summary>
    /// <param name="version">The list version, the census year.</param>
    /// <param name="source">The table and where it came from.</param>
    /// <param name="status">How far the list can be relied on; <c>computed</c> when made here from a census table.</param>
    public RestrictedZip3List ToRestrictedList(string version, string source, string status = "computed")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return new RestrictedZip3List
        {
            Version = version,
            Source = source,
            Status = status,
            Restricted = Areas.Where(a => a.Value.Population <= SafeHarborThreshold).Select(a => a.Key).ToHashSet(StringComparer.Ordinal),
            Unpopulated = AllPrefixes().Where(p => !Areas.ContainsKey(p)).ToHashSet(StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// Writes the list as a reviewable file: version, status, source, the table's checksums, the restricted prefixes
    /// with the population of each, and the unpopulated prefixes. <see cref="RestrictedZip3List.Parse"/> reads it back.
    /// </summary>
    /// <param name="list">A list made by <see cref="ToRestrictedList"/> from these populations.</param>
    public string ToJson(RestrictedZip3List list)
    {
        ArgumentNullException.ThrowIfNull(list);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("version", list.Version);
            json.WriteString("status", list.Status);
            json.WriteString("source", list.Source);
            json.WriteStartObject("basis");
            json.WriteNumber("zctas", ZctaCount);
            json.WriteNumber("population", Population);
            json.WriteNumber("prefixesWithZctas", Areas.Count);
            json.WriteNumber("threshold", SafeHarborThreshold);
            json.WriteEndObject();
            WritePrefixes(json, "restricted", list.Restricted);
            json.WriteStartObject("restrictedPopulation");
            foreach (var prefix in list.Restricted.Order(StringComparer.Ordinal))
            {
                json.WriteNumber(prefix, Areas.TryGetValue(prefix, out var area) ? area.Population : 0);
            }

            json.WriteEndObject();
            WritePrefixes(json, "unpopulated", list.Unpopulated);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WritePrefixes(Utf8JsonWriter json, string property, IReadOnlySet<string> prefixes)
    {
        json.WriteStartArray(property);
        foreach (var prefix in prefixes.Order(StringComparer.Ordinal))
        {
            json.WriteStringValue(prefix);
        }

        json.WriteEndArray();
    }

    private static IEnumerable<string> AllPrefixes() =>
        Enumerable.Range(0, 1000).Select(i => i.ToString("000", CultureInfo.InvariantCulture));

    private static (int Zcta, int Population, bool CensusExport) Columns(IReadOnlyList<string> header, string populationColumn)
    {
        var names = header.Select(h => h.Trim()).ToList();
        var geo = names.FindIndex(n => n is "GEO_ID" or "GEOID");
        if (geo >= 0)
        {
            return (geo, names.FindIndex(n => n == populationColumn), true);
        }

        return (names.FindIndex(n => n.Equals("zcta", StringComparison.OrdinalIgnoreCase)),
            names.FindIndex(n => n.Equals("population", StringComparison.OrdinalIgnoreCase)), false);
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

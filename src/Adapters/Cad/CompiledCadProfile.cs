using System.Text;
using System.Text.RegularExpressions;
using Hub.Contracts.Model;

namespace Hub.Adapters.Cad;

/// <summary>A validated profile, with its regular expressions compiled and its encoding and zone resolved.</summary>
internal sealed class CompiledCadProfile
{
    public required CadFeedProfile Source { get; init; }

    public required string DefinitionVersion { get; init; }

    public required Encoding Encoding { get; init; }

    public required TimeZoneInfo Zone { get; init; }

    public required IReadOnlyDictionary<CadField, CadColumnSpec> Columns { get; init; }

    public required FrozenCallTypes CallTypes { get; init; }

    public required IReadOnlyList<Regex> Patterns { get; init; }

    public required CadCallTypeMatch MatchOn { get; init; }

    public required IReadOnlyDictionary<string, DispositionKind> Dispositions { get; init; }

    public required HashSet<string> SensitiveValues { get; init; }

    /// <summary>The value of <see cref="Hub.Adapters.Feeds.RecordOutcome.Definition"/>: <c>cad-call-type@name/version</c>.</summary>
    public string Definition => CadDetection.DefinitionId + "@" + DefinitionVersion;
}

/// <summary>Exact call types, compared trimmed and case-insensitively, looked up without allocating.</summary>
internal sealed class FrozenCallTypes
{
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> lookup;

    public FrozenCallTypes(IEnumerable<string> codes)
    {
        var set = new HashSet<string>(codes.Select(c => c.Trim()), StringComparer.OrdinalIgnoreCase);
        lookup = set.GetAlternateLookup<ReadOnlySpan<char>>();
        Count = set.Count;
    }

    public int Count { get; }

    public bool Contains(ReadOnlySpan<char> value) => Count != 0 && lookup.Contains(value.Trim());
}

/// <summary>One mapped field: the names it may have, or its index, its formats and extraction.</summary>
internal sealed class CadColumnSpec
{
    public required CadField Field { get; init; }

    /// <summary>Name then aliases, as written in the profile.</summary>
    public required IReadOnlyList<string> Names { get; init; }

    public int? Index { get; init; }

    /// <summary>Formats of local (floating) times.</summary>
    public string[] LocalFormats { get; init; } = [];

    /// <summary>True when <c>yyyy-MM-dd HH:mm:ss</c> is among the local formats (the fast path applies).</summary>
    public bool FastIsoLocal { get; init; }

    /// <summary>Formats that carry their own offset.</summary>
    public string[] OffsetFormats { get; init; } = [];

    /// <summary>Formats as the profile wrote them (for messages).</summary>
    public required string FormatText { get; init; }

    public Regex? Extract { get; init; }

    public bool Hash { get; init; }

    public IReadOnlyList<CadColumnSpec>? Parts { get; init; }

    /// <summary>How the column is named in messages: its first name, the parts joined with '+', or #index.</summary>
    public string Label => Parts is { } parts
        ? string.Join('+', parts.Select(p => p.Label))
        : Names.Count > 0 ? Names[0] : "#" + Index;
}

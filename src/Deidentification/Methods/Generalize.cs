using System.Globalization;
using System.Text.RegularExpressions;
using Hub.Deidentification.Profiles;

namespace Hub.Deidentification.Methods;

/// <summary>How ZIP3 is written: the hub's three digits (<c>123</c>) or the FHIR anonymizer's padded five (<c>12300</c>).</summary>
public enum Zip3Format
{
    /// <summary>Three digits, <c>000</c> when restricted.</summary>
    ThreeDigits,

    /// <summary>Five digits padded with zeros, <c>00000</c> when restricted (the FHIR anonymizer's partial redaction).</summary>
    PaddedFive,
}

/// <summary>Generalization methods: coarser values that keep utility.</summary>
public static partial class Generalize
{
    /// <summary>ZIP to its first three digits; <c>000</c> when the area is on the restricted list; null when not a ZIP.</summary>
    /// <param name="zip">A 5-digit ZIP or ZIP+4.</param>
    /// <param name="restricted">The restricted-ZIP3 list.</param>
    /// <param name="format">Output format.</param>
    public static string? Zip3(string? zip, RestrictedZip3List restricted, Zip3Format format = Zip3Format.ThreeDigits)
    {
        ArgumentNullException.ThrowIfNull(restricted);
        if (zip is null)
        {
            return null;
        }

        var trimmed = zip.Trim();
        if (trimmed.Length < 5 || !char.IsAsciiDigit(trimmed[0]) || !char.IsAsciiDigit(trimmed[1]) || !char.IsAsciiDigit(trimmed[2]))
        {
            return null;
        }

        var zip3 = trimmed[..3];
        if (restricted.IsRestricted(zip3))
        {
            zip3 = "000";
        }

        return format == Zip3Format.PaddedFive ? zip3 + "00" : zip3;
    }

    /// <summary>Age in bands of <paramref name="bandYears"/> (<c>30-34</c>); 90 and over become <c>90+</c>.</summary>
    public static string? AgeBand(int? age, int bandYears)
    {
        if (age is not { } years || years < 0)
        {
            return null;
        }

        if (years > 89)
        {
            return "90+";
        }

        var low = years / bandYears * bandYears;
        var high = Math.Min(low + bandYears - 1, 89);
        return low == high
            ? low.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{low}-{high}");
    }

    /// <summary>Exact age up to 89; over 89 becomes <c>90+</c>.</summary>
    public static string? Age90Plus(int? age) => age switch
    {
        null or < 0 => null,
        > 89 => "90+",
        _ => age.Value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Census tract GEOID (11 digits, state+county+tract) to its 5-digit county FIPS; null when not a GEOID.</summary>
    public static string? TractToCounty(string? tract) =>
        tract is { Length: >= 11 } && tract.AsSpan(0, 11).IndexOfAnyExceptInRange('0', '9') < 0 ? tract[..5] : null;

    /// <summary>A point to the centre of its grid cell of <paramref name="cellDegrees"/>.</summary>
    public static (double Latitude, double Longitude) Grid(double latitude, double longitude, double cellDegrees)
    {
        static double Snap(double value, double cell) => Math.Round((Math.Floor(value / cell) * cell) + (cell / 2), 6);
        return (Snap(latitude, cellDegrees), Snap(longitude, cellDegrees));
    }

    /// <summary>A street address to its hundred block ("1234 MAIN ST" → "1200 BLOCK OF MAIN ST"); null when it has no house number.</summary>
    public static string? Block(string? street)
    {
        if (street is null)
        {
            return null;
        }

        return SimpleBlock(street) ?? BlockByPattern(street);
    }

    /// <summary>The hundred block by the full pattern (house number, optional letter, dash or unit, then the street).</summary>
    internal static string? BlockByPattern(string street)
    {
        ArgumentNullException.ThrowIfNull(street);
        var match = HouseNumber().Match(street);
        if (!match.Success || !int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var block = number / 100 * 100;
        return string.Create(CultureInfo.InvariantCulture, $"{block} BLOCK OF {match.Groups[2].Value.Trim().ToUpperInvariant()}");
    }

    /// <summary>
    /// The common shape without the regular expression, with the same result: 1–6 ASCII digits, spaces, then a street
    /// made of ASCII letters, digits, spaces and periods that starts with a letter and not with <c>APT</c>, <c>UNIT</c>
    /// (which the pattern reads as a unit). Anything else returns null and goes to <see cref="BlockByPattern"/>.
    /// </summary>
    private static string? SimpleBlock(string street)
    {
        var digits = 0;
        var number = 0;
        while (digits < street.Length && char.IsAsciiDigit(street[digits]))
        {
            number = (number * 10) + (street[digits] - '0');
            digits++;
            if (digits > 6)
            {
                return null;
            }
        }

        if (digits == 0 || digits >= street.Length || street[digits] != ' ')
        {
            return null;
        }

        var start = digits;
        while (start < street.Length && street[start] == ' ')
        {
            start++;
        }

        var end = street.Length;
        while (end > start && street[end - 1] == ' ')
        {
            end--;
        }

        var rest = street.AsSpan(start, end - start);
        if (rest.IsEmpty || !char.IsAsciiLetter(rest[0]) || rest.StartsWith("APT", StringComparison.Ordinal) || rest.StartsWith("UNIT", StringComparison.Ordinal)
            || rest.ContainsAnyExcept(StreetChars))
        {
            return null;
        }

        var block = number / 100 * 100;
        Span<char> upper = stackalloc char[rest.Length <= 256 ? rest.Length : 0];
        if (upper.Length != rest.Length)
        {
            return null;
        }

        rest.ToUpperInvariant(upper);
        return string.Create(CultureInfo.InvariantCulture, $"{block} BLOCK OF {upper}");
    }

    private static readonly System.Buffers.SearchValues<char> StreetChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .");

    [GeneratedRegex(@"^\s*(\d{1,6})[A-Za-z]?\s+(?:[-/]\s*)?(?:(?:APT|UNIT|#)\s*\S+\s+)?(.+?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HouseNumber();
}

using System.Globalization;
using System.Text;

namespace Hub.Routing.Jurisdictions;

/// <summary>Normalization of place names and codes so that sources and configuration compare equal.</summary>
public static class Places
{
    private static readonly Dictionary<string, string> StateByFips = new(StringComparer.Ordinal)
    {
        ["01"] = "AL", ["02"] = "AK", ["04"] = "AZ", ["05"] = "AR", ["06"] = "CA", ["08"] = "CO", ["09"] = "CT",
        ["10"] = "DE", ["11"] = "DC", ["12"] = "FL", ["13"] = "GA", ["15"] = "HI", ["16"] = "ID", ["17"] = "IL",
        ["18"] = "IN", ["19"] = "IA", ["20"] = "KS", ["21"] = "KY", ["22"] = "LA", ["23"] = "ME", ["24"] = "MD",
        ["25"] = "MA", ["26"] = "MI", ["27"] = "MN", ["28"] = "MS", ["29"] = "MO", ["30"] = "MT", ["31"] = "NE",
        ["32"] = "NV", ["33"] = "NH", ["34"] = "NJ", ["35"] = "NM", ["36"] = "NY", ["37"] = "NC", ["38"] = "ND",
        ["39"] = "OH", ["40"] = "OK", ["41"] = "OR", ["42"] = "PA", ["44"] = "RI", ["45"] = "SC", ["46"] = "SD",
        ["47"] = "TN", ["48"] = "TX", ["49"] = "UT", ["50"] = "VT", ["51"] = "VA", ["53"] = "WA", ["54"] = "WV",
        ["55"] = "WI", ["56"] = "WY", ["60"] = "AS", ["66"] = "GU", ["69"] = "MP", ["72"] = "PR", ["78"] = "VI",
    };

    private static readonly HashSet<string> StateCodes = [.. StateByFips.Values];

    /// <summary>True for a 5-digit county FIPS code whose first two digits are a known state.</summary>
    public static bool IsCountyFips(string? value) =>
        value is { Length: 5 } && value.All(char.IsAsciiDigit) && StateByFips.ContainsKey(value[..2]);

    /// <summary>True for a 5-digit ZIP code.</summary>
    public static bool IsZip(string? value) => value is { Length: 5 } && value.All(char.IsAsciiDigit);

    /// <summary>The two-letter USPS code of a state given as a code or a 2-digit FIPS code; null if unknown.</summary>
    public static string? StateCode(string? state)
    {
        if (string.IsNullOrWhiteSpace(state))
        {
            return null;
        }

        var trimmed = state.Trim();
        if (StateByFips.TryGetValue(trimmed, out var code))
        {
            return code;
        }

        var upper = trimmed.ToUpperInvariant();
        return StateCodes.Contains(upper) ? upper : null;
    }

    /// <summary>The first five digits of a ZIP or ZIP+4, or null.</summary>
    public static string? Zip5(string? zip)
    {
        if (zip is null)
        {
            return null;
        }

        var trimmed = zip.Trim();
        return trimmed.Length >= 5 && IsZip(trimmed[..5]) ? trimmed[..5] : null;
    }

    /// <summary>The county FIPS as 5 digits, or null.</summary>
    public static string? CountyFips(string? fips)
    {
        var trimmed = fips?.Trim();
        return IsCountyFips(trimmed) ? trimmed : null;
    }

    /// <summary>Key for a municipality: upper-case name with single spaces, "CITY OF"/"TOWN OF" prefixes dropped, then "|" and the state code.</summary>
    public static string? MunicipalityKey(string? name, string? state)
    {
        var code = StateCode(state);
        if (code is null || string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var normalized = NormalizeWords(name);
        foreach (var prefix in (string[])["CITY OF ", "TOWN OF ", "VILLAGE OF ", "BOROUGH OF ", "TOWNSHIP OF "])
        {
            if (normalized.StartsWith(prefix, StringComparison.Ordinal))
            {
                normalized = normalized[prefix.Length..];
                break;
            }
        }

        return normalized.Length == 0 ? null : normalized + "|" + code;
    }

    /// <summary>Upper case, letters and digits only, words separated by one space.</summary>
    public static string NormalizeWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToUpperInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return builder.ToString();
    }
}

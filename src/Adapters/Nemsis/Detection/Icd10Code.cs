namespace Hub.Adapters.Nemsis.Detection;

/// <summary>ICD-10-CM normalization: exports differ in case and in whether they write the dot, definitions do not.</summary>
public static class Icd10Code
{
    /// <summary>
    /// Upper-cases and trims <paramref name="code"/>, and inserts the dot after the third character when an ICD-10-CM
    /// shaped code (letter, digit, alphanumeric, more) omits it: <c>t402x1a</c> becomes <c>T40.2X1A</c>.
    /// Anything that is not ICD-10 shaped is returned trimmed and upper-cased.
    /// </summary>
    public static string Normalize(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var trimmed = code.Trim();
        if (trimmed.Length == 0)
        {
            return trimmed;
        }

        var upper = trimmed.ToUpperInvariant();
        if (upper.Length > 3
            && char.IsAsciiLetter(upper[0])
            && char.IsAsciiDigit(upper[1])
            && char.IsAsciiLetterOrDigit(upper[2])
            && upper[3] != '.'
            && !upper.Contains('.', StringComparison.Ordinal)
            && IsAlphanumeric(upper.AsSpan(3)))
        {
            return string.Concat(upper.AsSpan(0, 3), ".", upper.AsSpan(3));
        }

        return upper;
    }

    private static bool IsAlphanumeric(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

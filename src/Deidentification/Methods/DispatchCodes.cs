namespace Hub.Deidentification.Methods;

/// <summary>
/// A dispatch reason or CAD call type is a code (NEMSIS eDispatch.01 <c>2301053</c>, call type <c>OD</c>,
/// <c>OVERDOSE/POISONING</c>, MPDS <c>23-D-1</c>), not an identifier, so profiles keep it. A source that puts free text
/// in that column would leak it, so only values shaped like a code pass: at most 40 characters of letters, digits, space
/// and <c>- . / _ ( ) &amp; +</c>, and at most 8 digits (a phone number has 10, an SSN 9). Anything else is dropped.
/// </summary>
public static class DispatchCodes
{
    /// <summary>Longest value that still reads as a code or call type.</summary>
    public const int MaxLength = 40;

    /// <summary>Most digits a code may hold (NEMSIS codes have 7).</summary>
    public const int MaxDigits = 8;

    /// <summary>The trimmed value when it has the shape of a code or call type; otherwise null.</summary>
    /// <param name="value">The source's dispatch reason.</param>
    public static string? CodeOrNull(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.AsSpan().Trim();
        if (trimmed.Length > MaxLength)
        {
            return null;
        }

        var digits = 0;
        foreach (var ch in trimmed)
        {
            if (char.IsAsciiDigit(ch))
            {
                digits++;
            }
            else if (!char.IsAsciiLetter(ch) && ch is not (' ' or '-' or '.' or '/' or '_' or '(' or ')' or '&' or '+'))
            {
                return null;
            }
        }

        return digits > MaxDigits ? null : trimmed.Length == value.Length ? value : trimmed.ToString();
    }
}

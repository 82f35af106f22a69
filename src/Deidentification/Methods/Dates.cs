using System.Globalization;
using System.Text;

namespace Hub.Deidentification.Methods;

/// <summary>Date methods: keep, shift consistently per person, truncate to date or year.</summary>
public static class Dates
{
    /// <summary>Days to shift a person's dates for a recipient: HMAC-SHA256(recipient key, scope) in [-max, max].</summary>
    /// <param name="key">The recipient's key.</param>
    /// <param name="scope">What the shift is stable for (the person's hub token, else the episode).</param>
    /// <param name="maxDays">The range in days.</param>
    public static int ShiftDays(ReadOnlySpan<byte> key, string scope, int maxDays)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return Keyed.SignedOffset(key, "date-shift|", scope, maxDays);
    }

    /// <summary>
    /// The FHIR anonymizer's dateShift offset (BKDR hash, seed 131, of prefix + key, modulo 2·range+1, minus range): kept
    /// for byte-for-byte comparison with its test pairs. The hub's own shift is <see cref="ShiftDays"/>.
    /// </summary>
    /// <param name="key">The anonymizer's dateShiftKey.</param>
    /// <param name="prefix">The anonymizer's dateShiftKeyPrefix (the resource id under scope "resource").</param>
    /// <param name="range">The anonymizer's range (50 by default).</param>
    public static int AnonymizerShiftDays(string key, string prefix, int range = 50)
    {
        var offset = 0L;
        foreach (var b in Encoding.UTF8.GetBytes(prefix + key))
        {
            offset = ((offset * 131) + b) % ((2 * range) + 1);
        }

        return (int)offset - range;
    }

    /// <summary>ISO date (<c>yyyy-MM-dd</c>).</summary>
    public static string Iso(DateOnly date) => date.ToString("O", CultureInfo.InvariantCulture); // "O" is yyyy-MM-dd, without the custom-format parser

    /// <summary>ISO date-time with offset (<c>yyyy-MM-dd'T'HH:mm:sszzz</c>), written directly: 25 characters.</summary>
    public static string Iso(DateTimeOffset value) => string.Create(25, value, static (span, v) =>
    {
        var t = v.DateTime;
        Digits(span[..4], t.Year);
        span[4] = '-';
        Digits(span.Slice(5, 2), t.Month);
        span[7] = '-';
        Digits(span.Slice(8, 2), t.Day);
        span[10] = 'T';
        Digits(span.Slice(11, 2), t.Hour);
        span[13] = ':';
        Digits(span.Slice(14, 2), t.Minute);
        span[16] = ':';
        Digits(span.Slice(17, 2), t.Second);
        var offset = (int)v.Offset.TotalMinutes;
        span[19] = offset < 0 ? '-' : '+';
        offset = Math.Abs(offset);
        Digits(span.Slice(20, 2), offset / 60);
        span[22] = ':';
        Digits(span.Slice(23, 2), offset % 60);
    });

    private static void Digits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>The year only.</summary>
    public static string Year(int year) => year.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>
    /// The anonymizer's date shift of a FHIR date/dateTime string: full dates move by the offset (time set to midnight,
    /// offset kept); year-only and year-month values are kept as they are.
    /// </summary>
    public static string AnonymizerShift(string value, int days)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= 7)
        {
            return value;
        }

        if (value.Length == 10)
        {
            return Iso(DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(days));
        }

        var parsed = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
        var midnight = new DateTimeOffset(parsed.Year, parsed.Month, parsed.Day, 0, 0, 0, parsed.Offset).AddDays(days);
        return midnight.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
    }

    /// <summary>Age in whole years at a date.</summary>
    public static int AgeAt(DateOnly birth, DateOnly at)
    {
        var age = at.Year - birth.Year;
        if (at.Month < birth.Month || (at.Month == birth.Month && at.Day < birth.Day))
        {
            age--;
        }

        return age;
    }
}

using System.Globalization;
using System.Text;

namespace Hub.Adapters.Cad;

/// <summary>
/// Reads CAD times and places floating local times in the feed's zone.
/// DST gap (a local time that never happened, e.g. 02:30 on the spring-forward night): shifted forward by the gap,
/// i.e. read with the offset in force just before it (02:30 PST = 03:30 PDT). DST overlap (a local time that happened
/// twice, e.g. 01:30 on the fall-back night): the earlier instant, i.e. the daylight offset. Both are documented in
/// docs/feeds/cad.md.
/// </summary>
internal static class CadTime
{
    private const DateTimeStyles LocalStyles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.NoCurrentDateDefault;

    /// <summary>Parses <paramref name="value"/> (already trimmed, non-empty) by the column's formats.</summary>
    /// <returns>True with the local clock time and, when the value carried one, its offset.</returns>
    public static bool TryParse(string value, CadColumnSpec spec, out DateTime clock, out TimeSpan? offset)
    {
        offset = null;
        if (spec.FastIsoLocal && TryParseIsoSeconds(value, out clock))
        {
            return true;
        }

        if (spec.LocalFormats.Length > 0 &&
            DateTime.TryParseExact(value, spec.LocalFormats, CultureInfo.InvariantCulture, LocalStyles, out clock))
        {
            return true;
        }

        if (spec.OffsetFormats.Length > 0 &&
            DateTimeOffset.TryParseExact(value, spec.OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var withOffset))
        {
            clock = withOffset.DateTime;
            offset = withOffset.Offset;
            return true;
        }

        clock = default;
        return false;
    }

    /// <summary>
    /// Fast path for the most common CAD shape, <c>yyyy-MM-dd HH:mm:ss</c> (or with <c>T</c>), about twenty times
    /// cheaper than <see cref="DateTime.TryParseExact(string, string[], IFormatProvider, DateTimeStyles, out DateTime)"/>.
    /// Anything else falls through to the general formats.
    /// </summary>
    internal static bool TryParseIsoSeconds(string value, out DateTime clock)
    {
        clock = default;
        if (value.Length != 19 || value[4] != '-' || value[7] != '-' || (value[10] != ' ' && value[10] != 'T') || value[13] != ':' || value[16] != ':')
        {
            return false;
        }

        if (!Digits(value, 0, 4, out var year) || !Digits(value, 5, 2, out var month) || !Digits(value, 8, 2, out var day) ||
            !Digits(value, 11, 2, out var hour) || !Digits(value, 14, 2, out var minute) || !Digits(value, 17, 2, out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        clock = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return true;

        static bool Digits(string text, int start, int length, out int number)
        {
            number = 0;
            for (var i = start; i < start + length; i++)
            {
                var d = text[i] - '0';
                if ((uint)d > 9)
                {
                    return false;
                }

                number = (number * 10) + d;
            }

            return true;
        }
    }

    /// <summary>The instant of a floating local time in <paramref name="zone"/>, with the zone's offset at that instant.</summary>
    public static DateTimeOffset InZone(DateTime clock, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(clock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Gap: read with the offset before the transition, then express in the offset after it.
            var before = zone.GetUtcOffset(local.AddDays(-1));
            var utc = DateTime.SpecifyKind(local - before, DateTimeKind.Utc);
            return new DateTimeOffset(utc).ToOffset(zone.GetUtcOffset(utc));
        }

        if (zone.IsAmbiguousTime(local))
        {
            // Overlap: the earlier instant has the larger offset (daylight time).
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            return new DateTimeOffset(local, offsets.Max());
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>
    /// The shape of a value for messages: digits as 9, letters as A, other characters kept, at most 40 characters.
    /// Shows what the format should be without repeating a value that might identify someone.
    /// </summary>
    public static string Shape(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, 40) + 1);
        foreach (var c in value)
        {
            if (builder.Length == 40)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsAsciiDigit(c) ? '9' : char.IsLetter(c) ? 'A' : char.IsWhiteSpace(c) ? ' ' : c);
        }

        return builder.ToString();
    }
}

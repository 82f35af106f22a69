using System.Globalization;
using System.Text;

namespace Hub.Deidentification.Pseudonyms;

/// <summary>
/// Normalizes names, sex, phone and ZIP before tokenizing, so the same person written two ways gets the same token:
/// case, accents, punctuation and spaces removed; suffixes (JR, SR, II–V) dropped; common nicknames mapped to a given name.
/// </summary>
public static class NameNormalizer
{
    private static readonly HashSet<string> Suffixes = new(StringComparer.Ordinal) { "JR", "SR", "II", "III", "IV", "V", "2ND", "3RD", "ESQ", "MD", "PHD" };

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly Dictionary<string, string> Nicknames = new(StringComparer.Ordinal)
    {
        ["BILL"] = "WILLIAM", ["BILLY"] = "WILLIAM", ["WILL"] = "WILLIAM", ["WILLIE"] = "WILLIAM", ["LIAM"] = "WILLIAM",
        ["BOB"] = "ROBERT", ["BOBBY"] = "ROBERT", ["ROB"] = "ROBERT", ["ROBBIE"] = "ROBERT", ["BERT"] = "ROBERT",
        ["JIM"] = "JAMES", ["JIMMY"] = "JAMES", ["JAMIE"] = "JAMES",
        ["MIKE"] = "MICHAEL", ["MIKEY"] = "MICHAEL", ["MICK"] = "MICHAEL",
        ["DICK"] = "RICHARD", ["RICK"] = "RICHARD", ["RICH"] = "RICHARD", ["RICKY"] = "RICHARD",
        ["JOE"] = "JOSEPH", ["JOEY"] = "JOSEPH",
        ["TOM"] = "THOMAS", ["TOMMY"] = "THOMAS",
        ["DAVE"] = "DAVID", ["DAVEY"] = "DAVID",
        ["DAN"] = "DANIEL", ["DANNY"] = "DANIEL",
        ["CHRIS"] = "CHRISTOPHER", ["KIT"] = "CHRISTOPHER",
        ["MATT"] = "MATTHEW", ["TONY"] = "ANTHONY", ["STEVE"] = "STEVEN", ["STEPHEN"] = "STEVEN",
        ["JON"] = "JONATHAN", ["JOHNNY"] = "JOHN", ["JACK"] = "JOHN",
        ["CHUCK"] = "CHARLES", ["CHARLIE"] = "CHARLES",
        ["ED"] = "EDWARD", ["EDDIE"] = "EDWARD", ["TED"] = "EDWARD",
        ["ANDY"] = "ANDREW", ["DREW"] = "ANDREW", ["GREG"] = "GREGORY", ["JEFF"] = "JEFFREY", ["KEN"] = "KENNETH",
        ["LARRY"] = "LAWRENCE", ["NICK"] = "NICHOLAS", ["PAT"] = "PATRICK", ["PETE"] = "PETER", ["RON"] = "RONALD",
        ["SAM"] = "SAMUEL", ["TIM"] = "TIMOTHY", ["ZACH"] = "ZACHARY", ["BEN"] = "BENJAMIN", ["ALEX"] = "ALEXANDER",
        ["LIZ"] = "ELIZABETH", ["BETH"] = "ELIZABETH", ["BETTY"] = "ELIZABETH", ["LIZZIE"] = "ELIZABETH", ["ELIZA"] = "ELIZABETH",
        ["KATE"] = "KATHERINE", ["KATIE"] = "KATHERINE", ["KATHY"] = "KATHERINE", ["CATHERINE"] = "KATHERINE", ["KATHRYN"] = "KATHERINE",
        ["PEGGY"] = "MARGARET", ["MAGGIE"] = "MARGARET", ["MEG"] = "MARGARET",
        ["SUE"] = "SUSAN", ["SUSIE"] = "SUSAN", ["JENNY"] = "JENNIFER", ["JEN"] = "JENNIFER",
        ["PATTY"] = "PATRICIA", ["TRISH"] = "PATRICIA", ["BECKY"] = "REBECCA", ["VICKY"] = "VICTORIA",
        ["DEBBIE"] = "DEBORAH", ["DEB"] = "DEBORAH", ["CINDY"] = "CYNTHIA", ["MANDY"] = "AMANDA", ["ABBY"] = "ABIGAIL",
        ["JESS"] = "JESSICA", ["JESSIE"] = "JESSICA", ["NANCY"] = "ANN", ["ANNIE"] = "ANN", ["ANNE"] = "ANN",
        ["SALLY"] = "SARAH", ["SARA"] = "SARAH", ["TINA"] = "CHRISTINA", ["CHRISSY"] = "CHRISTINA",
    };

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> NicknamesBySpan =
        Nicknames.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>A family name: upper case A–Z only, accents folded, suffixes and punctuation removed; null when nothing is left.</summary>
    public static string? FamilyName(string? name) => Letters(name, dropSuffixes: true, firstWordOnly: false);

    /// <summary>A given name: its first word, upper case A–Z, nickname mapped to the formal name; null when nothing is left.</summary>
    public static string? GivenName(string? name)
    {
        var letters = Letters(name, dropSuffixes: true, firstWordOnly: true);
        return letters is not null && Nicknames.TryGetValue(letters, out var formal) ? formal : letters;
    }

    /// <summary>
    /// The fast path of <see cref="FamilyName"/> and <see cref="GivenName"/> without a string: when the name is one word
    /// of ASCII letters (the same condition as in <c>Letters</c>), its upper case into <paramref name="destination"/>. False
    /// otherwise (use the methods above).
    /// </summary>
    internal static bool TryUpperAsciiWord(string? name, Span<char> destination, out int written)
    {
        written = 0;
        if (string.IsNullOrEmpty(name) || name.Length > destination.Length || name.AsSpan().ContainsAnyExcept(AsciiLetters))
        {
            return false;
        }

        return System.Text.Ascii.ToUpper(name, destination, out written) == System.Buffers.OperationStatus.Done;
    }

    /// <summary>The first letter of <see cref="GivenName"/> for an upper-case word from <see cref="TryUpperAsciiWord"/> (nicknames mapped).</summary>
    internal static char GivenInitial(ReadOnlySpan<char> upperWord) =>
        NicknamesBySpan.TryGetValue(upperWord, out var formal) ? formal[0] : upperWord[0];

    /// <summary>Sex as <c>F</c>, <c>M</c>, or null when not one of them.</summary>
    public static string? Sex(string? sex)
    {
        if (sex is null)
        {
            return null;
        }

        var value = sex.AsSpan().Trim();
        return Is(value, "F") || Is(value, "FEMALE") || Is(value, "W") || Is(value, "WOMAN") ? "F"
            : Is(value, "M") || Is(value, "MALE") || Is(value, "MAN") ? "M"
            : null;

        static bool Is(ReadOnlySpan<char> value, string code) => value.Equals(code, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A US phone number as 10 digits (leading 1 dropped); null when not 10 digits.</summary>
    public static string? Phone(string? phone)
    {
        if (phone is null)
        {
            return null;
        }

        Span<char> digits = stackalloc char[phone.Length];
        var count = 0;
        foreach (var c in phone)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
            }
        }

        var span = digits[..count];
        if (span.Length == 11 && span[0] == '1')
        {
            span = span[1..];
        }

        return span.Length == 10 ? new string(span) : null;
    }

    /// <summary>The first three digits of a ZIP, or null.</summary>
    public static string? Zip3(string? zip) =>
        zip is { Length: >= 5 } && char.IsAsciiDigit(zip[0]) && char.IsAsciiDigit(zip[1]) && char.IsAsciiDigit(zip[2]) ? zip[..3] : null;

    /// <summary>American Soundex of a normalized name (letter + 3 digits).</summary>
    public static string Soundex(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        if (normalized.Length == 0)
        {
            return string.Empty;
        }

        Span<char> result = ['0', '0', '0', '0'];
        result[0] = normalized[0];
        var last = Code(normalized[0]);
        var position = 1;
        for (var i = 1; i < normalized.Length && position < 4; i++)
        {
            var c = normalized[i];
            var code = Code(c);
            if (code != '0' && code != last)
            {
                result[position++] = code;
            }

            if (c is not ('H' or 'W'))
            {
                last = code;
            }
        }

        return new string(result);

        static char Code(char c) => c switch
        {
            'B' or 'F' or 'P' or 'V' => '1',
            'C' or 'G' or 'J' or 'K' or 'Q' or 'S' or 'X' or 'Z' => '2',
            'D' or 'T' => '3',
            'L' => '4',
            'M' or 'N' => '5',
            'R' => '6',
            _ => '0',
        };
    }

    private static string? Letters(string? name, bool dropSuffixes, bool firstWordOnly)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        // Fast path, same result: one word of ASCII letters only (no accent, punctuation, space, digit or second word).
        if (!name.AsSpan().ContainsAnyExcept(AsciiLetters))
        {
            return name.ToUpperInvariant();
        }

        var decomposed = name.Normalize(NormalizationForm.FormD);
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '\'' or '’' or '.')
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            if (upper is >= 'A' and <= 'Z' || char.IsAsciiDigit(upper))
            {
                word.Append(upper);
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        if (dropSuffixes && words.Count > 1)
        {
            words.RemoveAll(Suffixes.Contains);
        }

        words.RemoveAll(w => w.Any(char.IsAsciiDigit));
        if (words.Count == 0)
        {
            return null;
        }

        return firstWordOnly ? words[0] : string.Concat(words);
    }
}

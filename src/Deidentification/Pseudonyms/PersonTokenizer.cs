using System.Globalization;
using Hub.Contracts.Model;
using Hub.Deidentification.Methods;

namespace Hub.Deidentification.Pseudonyms;

/// <summary>
/// Keyed linkage tokens (HMAC-SHA256 with the hub's own secret) over normalized identity fields, several rules per person so
/// a typo or a missing field in one source still links. Tokens never leave the hub; recipients get per-recipient pseudonyms.
/// </summary>
public sealed class PersonTokenizer : IPersonTokenizer
{
    /// <summary>Last name + first initial + sex + date of birth.</summary>
    public const string LastFirstInitialSexDob = "last-first1-sex-dob";

    /// <summary>Last name + date of birth + ZIP3 of home (else scene).</summary>
    public const string LastDobZip3 = "last-dob-zip3";

    /// <summary>Normalized 10-digit phone.</summary>
    public const string PhoneRule = "phone";

    /// <summary>Soundex of last name + first initial + date of birth (survives spelling errors in the last name).</summary>
    public const string SoundexLastFirstInitialDob = "soundex-last-first1-dob";

    /// <summary>First three letters of last and given name (nicknames mapped) + date of birth (survives truncation and typos at the end).</summary>
    public const string Last3First3Dob = "last3-first3-dob";

    /// <summary>Given name + sex + date of birth + ZIP3 (survives a change of last name).</summary>
    public const string FirstSexDobZip3 = "first-sex-dob-zip3";

    /// <summary>
    /// Given and family name in sorted order + sex + date of birth (survives given and family name written in each other's
    /// field, a common registration error).
    /// </summary>
    public const string SortedNamesSexDob = "names-sorted-sex-dob";

    /// <summary>
    /// Family + given name + sex + ZIP3 of home (else scene), without date of birth (survives a missing date of birth; weak
    /// alone, so linkage uses it only inside its narrow time windows).
    /// </summary>
    public const string LastFirstSexZip3 = "last-first-sex-zip3";

    private readonly byte[] _key;

    /// <summary>Creates the tokenizer with the hub's secret key.</summary>
    /// <param name="hubKey">At least 32 bytes.</param>
    public PersonTokenizer(IReadOnlyList<byte> hubKey)
    {
        ArgumentNullException.ThrowIfNull(hubKey);
        if (hubKey.Count < 32)
        {
            throw new ArgumentException("The hub token key must be at least 32 bytes.", nameof(hubKey));
        }

        _key = [.. hubKey];
    }

    /// <inheritdoc />
    public IReadOnlyList<PersonToken> Tokenize(SubjectIdentity? subject, EventLocation? location)
    {
        if (subject is null)
        {
            return [];
        }

        var last = NameNormalizer.FamilyName(subject.FamilyName);
        var first = NameNormalizer.GivenName(subject.GivenName);
        var sex = NameNormalizer.Sex(subject.Sex);
        var dob = subject.BirthDate is { } birth ? Dates.Iso(birth) : null;
        var zip3 = NameNormalizer.Zip3(subject.HomeAddress?.Zip) ?? NameNormalizer.Zip3(location?.Zip);
        var phone = NameNormalizer.Phone(subject.Phone);

        var tokens = new List<PersonToken>(8);
        if (last is not null && first is not null && sex is not null && dob is not null)
        {
            Add(tokens, LastFirstInitialSexDob, $"{last}|{first[0]}|{sex}|{dob}");
        }

        if (last is not null && dob is not null && zip3 is not null)
        {
            Add(tokens, LastDobZip3, $"{last}|{dob}|{zip3}");
        }

        if (phone is not null)
        {
            Add(tokens, PhoneRule, phone);
        }

        if (last is not null && first is not null && dob is not null)
        {
            Add(tokens, SoundexLastFirstInitialDob, $"{NameNormalizer.Soundex(last)}|{first[0]}|{dob}");
            Add(tokens, Last3First3Dob, $"{Prefix(last)}|{Prefix(first)}|{dob}");
        }

        if (first is not null && sex is not null && dob is not null && zip3 is not null)
        {
            Add(tokens, FirstSexDobZip3, $"{first}|{sex}|{dob}|{zip3}");
        }

        // Rules added later go last, so the first token (the privacy stage's person token) of a subject never changes.
        if (last is not null && first is not null && sex is not null && dob is not null)
        {
            var names = string.CompareOrdinal(first, last) <= 0 ? $"{first}|{last}" : $"{last}|{first}";
            Add(tokens, SortedNamesSexDob, $"{names}|{sex}|{dob}");
        }

        if (last is not null && first is not null && sex is not null && zip3 is not null)
        {
            Add(tokens, LastFirstSexZip3, $"{last}|{first}|{sex}|{zip3}");
        }

        return tokens;
    }

    /// <summary>
    /// The first token the subject's fields allow, in rule order (the same value as <c>Tokenize(...)[0]</c>), computing one
    /// HMAC instead of eight: the privacy stage needs only one stable token per person.
    /// </summary>
    internal PersonToken? PrimaryToken(SubjectIdentity? subject, EventLocation? location)
    {
        if (subject is null)
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[32];
        if (TryPrimaryTokenHash(subject, hash))
        {
            return new PersonToken(LastFirstInitialSexDob, Convert.ToHexStringLower(hash));
        }

        var tokens = Tokenize(subject, location);
        return tokens.Count == 0 ? null : tokens[0];
    }

    /// <summary>
    /// The HMAC behind the primary token (its value is these 32 bytes in lower-case hex) when the first rule applies, so a
    /// caller that only hashes the token again needs no string. False when the first rule does not apply: use
    /// <see cref="PrimaryToken"/>.
    /// </summary>
    internal bool TryPrimaryTokenHash(SubjectIdentity subject, Span<byte> hash)
    {
        var sex = NameNormalizer.Sex(subject.Sex);
        if (sex is null || subject.BirthDate is not { } birth)
        {
            return false;
        }

        // Names that are one word of ASCII letters are upper-cased on the stack (the normalizer's fast path, same result).
        Span<char> lastBuffer = stackalloc char[64];
        Span<char> givenBuffer = stackalloc char[64];
        scoped ReadOnlySpan<char> last;
        char initial;
        if (NameNormalizer.TryUpperAsciiWord(subject.FamilyName, lastBuffer, out var lastLength)
            && NameNormalizer.TryUpperAsciiWord(subject.GivenName, givenBuffer, out var givenLength))
        {
            last = lastBuffer[..lastLength];
            initial = NameNormalizer.GivenInitial(givenBuffer[..givenLength]);
        }
        else
        {
            var lastText = NameNormalizer.FamilyName(subject.FamilyName);
            var first = NameNormalizer.GivenName(subject.GivenName);
            if (lastText is null || first is null)
            {
                return false;
            }

            last = lastText;
            initial = first[0];
        }

        // The same input as Token(LastFirstInitialSexDob, "last|f|sex|yyyy-MM-dd"), written on the stack.
        Span<char> input = stackalloc char[256];
        var written = 0;
        if (Append(input, ref written, LastFirstInitialSexDob) && Append(input, ref written, "|") && Append(input, ref written, last)
            && Append(input, ref written, "|") && Append(input, ref written, new ReadOnlySpan<char>(in initial)) && Append(input, ref written, "|")
            && Append(input, ref written, sex) && Append(input, ref written, "|")
            && birth.TryFormat(input[written..], out var dateLength, "O", CultureInfo.InvariantCulture))
        {
            Keyed.Hmac(_key, input[..(written + dateLength)], hash);
        }
        else
        {
            Keyed.Hmac(_key, string.Concat([LastFirstInitialSexDob, "|", last.ToString(), "|", initial.ToString(), "|", sex, "|", Dates.Iso(birth)]), hash);
        }

        return true;
    }

    private static bool Append(Span<char> buffer, ref int written, ReadOnlySpan<char> value)
    {
        if (!value.TryCopyTo(buffer[written..]))
        {
            return false;
        }

        written += value.Length;
        return true;
    }

    private static string Prefix(string value) => value.Length <= 3 ? value : value[..3];

    private void Add(List<PersonToken> tokens, string rule, string input) => tokens.Add(Token(rule, input));

    private PersonToken Token(string rule, string input) => new(rule, Keyed.HmacHex(_key, rule + "|" + input));
}

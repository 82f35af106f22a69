using System.Text;
using Hub.Contracts.Model;
using Hub.Deidentification.Pseudonyms;

namespace Hub.Routing.Tests.Linkage;

/// <summary>One generated event, its person tokens, and the episode it truly belongs to.</summary>
internal sealed record TruthEvent(OverdoseEvent Event, IReadOnlyList<string> Tokens, int TrueEpisode, string Noise);

/// <summary>
/// A small deterministic generator of overdose episodes with known truth and injected noise, for measuring linkage
/// precision and recall. Episodes are a police call, an EMS run and an ED visit in realistic combinations; the same
/// person may overdose again days later (a different episode). Noise on EMS and ED records: a typo in a name, first
/// and last name swapped, a missing date of birth, or a different home address; phones are often missing.
/// </summary>
/// <remarks>
/// Tokens come from the hub's real tokenizer (<see cref="PersonTokenizer"/>, with a fixed test key), as
/// "rule:value" strings exactly as the host passes them to the linker, so the measurement follows its rules.
/// </remarks>
internal sealed class LinkageTruthGenerator
{
    private static readonly PersonTokenizer Tokenizer = new(Encoding.UTF8.GetBytes("routing-test-key-not-a-secret-000"));

    /// <summary>The two rules added to close the recall gap (swapped names, missing DOB).</summary>
    public static readonly IReadOnlySet<string> AddedRules = new HashSet<string>(StringComparer.Ordinal)
    {
        PersonTokenizer.SortedNamesSexDob, PersonTokenizer.LastFirstSexZip3,
    };

    private static readonly string[] FirstNames =
    [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
        "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy",
        "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily",
        "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Dorothy", "George", "Melissa",
        "Timothy", "Deborah", "Ronald", "Stephanie", "Edward", "Rebecca", "Jason", "Sharon", "Jeffrey", "Laura", "Ryan", "Cynthia",
    ];

    private static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
        "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
        "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
        "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
        "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey",
        "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James",
        "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long",
    ];

    private static readonly string[] Streets =
    [
        .. from name in (string[])["Main", "Oak", "Elm", "Markley", "Swede", "Dekalb", "Airy", "Walnut", "Church", "Ridge", "Maple", "Cherry",
            "Chestnut", "Spruce", "Pine", "Cedar", "Willow", "Lafayette", "Marshall", "Haws", "Sandy", "Germantown", "Butler", "Egypt",
            "Township Line", "Valley Forge", "Trooper", "Park", "Hamilton", "Stanbridge"]
           from suffix in (string[])["St", "Ave", "Rd", "Ln"]
           select $"{name} {suffix}",
    ];

    private static readonly string[] Zips = ["19401", "19403", "19404", "19405", "19406", "19428", "19446", "19454", "19462", "19464", "18964", "19002"];

    private readonly Random _random;

    public LinkageTruthGenerator(int seed) => _random = new Random(seed);

    /// <summary>Probability that an EMS or ED record gets one kind of noise.</summary>
    public double NoiseRate { get; init; } = 0.2;

    /// <summary>Token rules of the tokenizer left out (to measure what a rule contributes); empty: all rules.</summary>
    public IReadOnlySet<string> WithoutRules { get; init; } = new HashSet<string>();

    /// <summary>Probability that an EMS or ED record carries the person's phone.</summary>
    public double PhoneRate { get; init; } = 0.8;

    public IReadOnlyList<TruthEvent> Generate(int episodeCount, int days)
    {
        var people = Enumerable.Range(0, episodeCount * 3 / 4).Select(NewPerson).ToList();
        var episodesOf = new Dictionary<int, List<DateTimeOffset>>();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var events = new List<TruthEvent>();
        for (var episode = 0; episode < episodeCount; episode++)
        {
            var t0 = start.AddMinutes(_random.Next(days * 24 * 60));
            int personIndex;
            do
            {
                personIndex = _random.Next(people.Count);
            }
            while (episodesOf.TryGetValue(personIndex, out var previous) && previous.Exists(p => Math.Abs((p - t0).TotalDays) < 3));

            if (!episodesOf.TryGetValue(personIndex, out var times))
            {
                episodesOf[personIndex] = times = [];
            }

            times.Add(t0);
            var person = people[personIndex];
            var scene = (Lat: 40.0 + (_random.NextDouble() * 0.27), Lon: -75.45 + (_random.NextDouble() * 0.35));
            var number = 100 + _random.Next(4900);
            var street = Streets[_random.Next(Streets.Length)];

            var roll = _random.NextDouble();
            var (police, ems, ed) = roll switch
            {
                < 0.25 => (false, true, false),
                < 0.65 => (false, true, true),
                < 0.80 => (false, false, true),
                < 0.88 => (true, true, false),
                < 0.96 => (true, true, true),
                _ => (true, false, false),
            };

            var id = $"ep{episode:D5}";
            if (police)
            {
                var jitter = Jitter(scene, 80);
                var blockOnly = _random.NextDouble() < 0.3;
                var location = blockOnly
                    ? new EventLocation { Precision = LocationPrecision.Block, Block = $"{number / 100 * 100} BLOCK OF {street.ToUpperInvariant()}", State = "PA" }
                    : new EventLocation { Precision = LocationPrecision.Point, Latitude = jitter.Lat, Longitude = jitter.Lon, State = "PA" };
                events.Add(new TruthEvent(TestEvents.Event($"{id}-police", SourceKind.Police, t0, location), [], episode, "none"));
            }

            if (ems)
            {
                var at = t0.AddMinutes(2 + _random.Next(18));
                var jitter = Jitter(scene, 30);
                var location = new EventLocation
                {
                    Precision = LocationPrecision.Address, StreetAddress = $"{number} {street}", Latitude = jitter.Lat, Longitude = jitter.Lon, State = "PA",
                };
                events.Add(Record($"{id}-ems", SourceKind.Ems, at, location, person, episode));
            }

            if (ed)
            {
                var at = t0.AddMinutes(30 + _random.Next(210));
                events.Add(Record($"{id}-ed", SourceKind.EmergencyDepartment, at, new EventLocation { Precision = LocationPrecision.Zip, Zip = person.Zip, State = "PA" }, person, episode));
            }
        }

        return [.. events.OrderBy(e => e.Event.OccurredAt).ThenBy(e => e.Event.EventId, StringComparer.Ordinal)];
    }

    private TruthEvent Record(string id, SourceKind kind, DateTimeOffset at, EventLocation location, Person person, int episode)
    {
        var first = person.First;
        var last = person.Last;
        DateOnly? birth = person.Birth;
        var zip = person.Zip;
        var noise = "none";
        if (_random.NextDouble() < NoiseRate)
        {
            switch (_random.Next(4))
            {
                case 0:
                    noise = "typo";
                    if (_random.Next(2) == 0)
                    {
                        last = Typo(last);
                    }
                    else
                    {
                        first = Typo(first);
                    }

                    break;
                case 1:
                    noise = "swapped-names";
                    (first, last) = (last, first);
                    break;
                case 2:
                    noise = "missing-dob";
                    birth = null;
                    break;
                default:
                    noise = "different-address";
                    zip = Zips[(Array.IndexOf(Zips, zip) + 1 + _random.Next(Zips.Length - 1)) % Zips.Length];
                    break;
            }
        }

        var phone = _random.NextDouble() < PhoneRate ? person.Phone : null;
        var subject = new SubjectIdentity
        {
            GivenName = first, FamilyName = last, BirthDate = birth, Sex = person.Sex, Phone = phone,
            HomeAddress = new PostalAddress { Zip = zip, State = "PA" },
        };
        var e = TestEvents.Event(id, kind, at, location, subject);
        return new TruthEvent(e, Tokens(subject, location, WithoutRules), episode, noise);
    }

    /// <summary>The person tokens as the host computes them: the privacy tokenizer's rule:value strings.</summary>
    public static IReadOnlyList<string> Tokens(SubjectIdentity subject, EventLocation? location, IReadOnlySet<string> withoutRules) =>
        [.. Tokenizer.Tokenize(subject, location).Where(t => !withoutRules.Contains(t.Rule)).Select(t => t.Rule + ":" + t.Value)];

    private Person NewPerson(int i) => new(
        FirstNames[_random.Next(FirstNames.Length)],
        LastNames[_random.Next(LastNames.Length)],
        new DateOnly(1960, 1, 1).AddDays(_random.Next(365 * 45)),
        _random.Next(2) == 0 ? "female" : "male",
        $"610{_random.Next(10_000_000):D7}",
        Zips[_random.Next(Zips.Length)]);

    private string Typo(string name)
    {
        var chars = name.ToCharArray();
        var at = 1 + _random.Next(chars.Length - 1);
        switch (_random.Next(3))
        {
            case 0:
                chars[at] = (char)('a' + _random.Next(26));
                return new string(chars);
            case 1:
                return name.Remove(at, 1);
            default:
                if (at < chars.Length - 1)
                {
                    (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
                }
                else
                {
                    chars[at] = (char)('a' + _random.Next(26));
                }

                return new string(chars);
        }
    }

    private (double Lat, double Lon) Jitter((double Lat, double Lon) at, double meters)
    {
        var r = meters * Math.Sqrt(_random.NextDouble());
        var angle = _random.NextDouble() * 2 * Math.PI;
        return (at.Lat + (r * Math.Cos(angle) / 111_320), at.Lon + (r * Math.Sin(angle) / (111_320 * Math.Cos(at.Lat * Math.PI / 180))));
    }

    private sealed record Person(string First, string Last, DateOnly Birth, string Sex, string Phone, string Zip);
}

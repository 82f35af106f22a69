using System.Globalization;

namespace Hub.SampleData.Population;

/// <summary>
/// A deterministic population of synthetic people. Person N is a pure function of (seed, N, counties), so the same
/// person appears identically in every feed and huge feeds need no list in memory.
/// </summary>
public sealed class SyntheticPopulation
{
    private static readonly string[] FemaleNames = ["Mary", "Linda", "Aisha", "Rosa", "Keisha", "Emily", "Hannah", "Maria", "Priya", "Grace", "Tanya", "Megan", "Sofia", "Dana", "Carmen", "Joy"];
    private static readonly string[] MaleNames = ["James", "Robert", "Miguel", "Darnell", "Kevin", "Tyler", "Jose", "Andre", "Brian", "Luis", "Samuel", "Ethan", "Marcus", "Nathan", "Omar", "Cody"];
    private static readonly string[] LastNames = ["Alvarez", "Brennan", "Castillo", "Dorsey", "Easton", "Fairbanks", "Galloway", "Holloway", "Iverson", "Jaramillo", "Kowalski", "Lindqvist", "McAllister", "Nakamura", "Okafor", "Pruitt", "Quintero", "Rasmussen", "Stallworth", "Thibodeaux", "Underhill", "Valdivia", "Whitlock", "Yarbrough", "Zamora"];
    private static readonly string[] Suffixes = ["St", "Ave", "Rd", "Ln", "Dr", "Way"];

    /// <summary>Creates the population.</summary>
    /// <param name="seed">Seed; equal seeds give equal people.</param>
    /// <param name="counties">Counties people live in; the defaults when null or empty.</param>
    /// <param name="referenceDate">Date ages are computed against (DOBs give ages 16–75 at that date).</param>
    public SyntheticPopulation(int seed, IReadOnlyList<CountyProfile>? counties = null, DateOnly? referenceDate = null)
    {
        Seed = seed;
        Counties = counties is { Count: > 0 } ? counties : CountyProfile.Defaults;
        ReferenceDate = referenceDate ?? new DateOnly(2026, 1, 1);
    }

    /// <summary>The seed.</summary>
    public int Seed { get; }

    /// <summary>The counties people live in.</summary>
    public IReadOnlyList<CountyProfile> Counties { get; }

    /// <summary>Date ages are computed against.</summary>
    public DateOnly ReferenceDate { get; }

    /// <summary>Person number <paramref name="index"/> (0-based); the same every time.</summary>
    public SyntheticPerson Person(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var random = SeededRandom.For(Seed, "person", index);
        var sex = random.Chance(0.62) ? SyntheticSex.Male : SyntheticSex.Female;
        var first = random.Pick(sex == SyntheticSex.Male ? MaleNames : FemaleNames);
        var last = random.Pick(LastNames);
        var ageDays = random.Next(16 * 365, 75 * 365);
        var county = random.Pick(Counties);
        return new SyntheticPerson
        {
            PersonId = string.Create(CultureInfo.InvariantCulture, $"P{index + 1:D6}"),
            FirstName = first,
            LastName = last,
            BirthDate = ReferenceDate.AddDays(-ageDays),
            Sex = sex,
            Phone = string.Create(CultureInfo.InvariantCulture, $"{county.AreaCode}-555-01{random.Next(100):D2}"),
            Home = Address(random, county),
        };
    }

    /// <summary>The first <paramref name="count"/> people, lazily.</summary>
    public IEnumerable<SyntheticPerson> People(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (var i = 0; i < count; i++)
        {
            yield return Person(i);
        }
    }

    /// <summary>A random address in one of the counties (used for scenes and for "moved house" noise).</summary>
    internal SyntheticAddress Address(Random random, CountyProfile? county = null)
    {
        county ??= random.Pick(Counties);
        var city = random.Pick(county.Cities);
        return new SyntheticAddress
        {
            HouseNumber = random.Next(1, 40) * 100 + random.Next(1, 99),
            Street = $"{random.Pick(county.Streets)} {random.Pick(Suffixes)}",
            City = city.Name,
            CityCode = city.GnisCode,
            State = county.State,
            StateFips = county.StateFips,
            Zip = random.Pick(city.Zips),
            CountyFips = county.Fips,
            Latitude = Math.Round(random.NextDouble(city.MinLatitude, city.MaxLatitude), 5),
            Longitude = Math.Round(random.NextDouble(city.MinLongitude, city.MaxLongitude), 5),
            Beat = random.Pick(county.Beats),
        };
    }
}

namespace Hub.SampleData.Population;

/// <summary>Administrative sex of a synthetic person.</summary>
public enum SyntheticSex
{
    /// <summary>Female.</summary>
    Female,

    /// <summary>Male.</summary>
    Male,
}

/// <summary>
/// A synthetic person. Everything here is invented by <see cref="SyntheticPopulation"/>; none of it describes
/// a real individual, but it is shaped like PHI so that de-identification and linkage are exercised for real.
/// </summary>
public sealed record SyntheticPerson
{
    /// <summary>Stable ground-truth id (P000001…), the key of truth.csv.</summary>
    public required string PersonId { get; init; }

    /// <summary>Given name.</summary>
    public required string FirstName { get; init; }

    /// <summary>Family name.</summary>
    public required string LastName { get; init; }

    /// <summary>Date of birth; null when a noisy record leaves it out.</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>Administrative sex.</summary>
    public required SyntheticSex Sex { get; init; }

    /// <summary>Phone in NNN-555-01NN form (the 555-01xx range is reserved for fiction).</summary>
    public required string Phone { get; init; }

    /// <summary>Home address.</summary>
    public required SyntheticAddress Home { get; init; }
}

/// <summary>A synthetic street address inside one of the configured counties.</summary>
public sealed record SyntheticAddress
{
    /// <summary>House number.</summary>
    public required int HouseNumber { get; init; }

    /// <summary>Street with suffix, e.g. "Larkfield Rd".</summary>
    public required string Street { get; init; }

    /// <summary>City.</summary>
    public required string City { get; init; }

    /// <summary>A numeric city code (synthetic, GNIS-shaped).</summary>
    public required int CityCode { get; init; }

    /// <summary>Two-letter USPS state code.</summary>
    public required string State { get; init; }

    /// <summary>Two-digit state FIPS code.</summary>
    public required string StateFips { get; init; }

    /// <summary>Five-digit ZIP code.</summary>
    public required string Zip { get; init; }

    /// <summary>Five-digit county FIPS code.</summary>
    public required string CountyFips { get; init; }

    /// <summary>Latitude (WGS84), inside the county.</summary>
    public required double Latitude { get; init; }

    /// <summary>Longitude (WGS84), inside the county.</summary>
    public required double Longitude { get; init; }

    /// <summary>Police beat covering the address.</summary>
    public required string Beat { get; init; }

    /// <summary>"1234 Larkfield Rd".</summary>
    public string Line => $"{HouseNumber} {Street}";

    /// <summary>"1200 BLOCK OF LARKFIELD RD", the way CAD exports generalize a location.</summary>
    public string BlockAddress => $"{HouseNumber / 100 * 100} BLOCK OF {Street.ToUpperInvariant()}";
}

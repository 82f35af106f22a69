using System.Globalization;

namespace Hub.SampleData.Population;

/// <summary>
/// A county synthetic people live in. Streets are invented; cities, ZIP codes and the bounding box are real so
/// that routing by county, ZIP and coordinates behaves as it would on real feeds.
/// </summary>
public sealed record CountyProfile
{
    /// <summary>Five-digit county FIPS code (state + county), e.g. 42091.</summary>
    public required string Fips { get; init; }

    /// <summary>County name without the word County.</summary>
    public required string Name { get; init; }

    /// <summary>Two-letter USPS state code.</summary>
    public required string State { get; init; }

    /// <summary>Two-digit state FIPS code, as NEMSIS ePatient.08 / eScene.18 carry it.</summary>
    public string StateFips => Fips[..2];

    /// <summary>Telephone area code used for synthetic 555-01xx numbers.</summary>
    public required string AreaCode { get; init; }

    /// <summary>Cities with their ZIP codes and a GNIS-like numeric code.</summary>
    public required IReadOnlyList<CityProfile> Cities { get; init; }

    /// <summary>Invented street names (without suffix).</summary>
    public required IReadOnlyList<string> Streets { get; init; }

    /// <summary>Police beats or districts used in CAD rows.</summary>
    public required IReadOnlyList<string> Beats { get; init; }

    /// <summary>Montgomery County, Pennsylvania (FIPS 42091).</summary>
    public static CountyProfile MontgomeryPa { get; } = new()
    {
        Fips = "42091",
        Name = "Montgomery",
        State = "PA",
        AreaCode = "610",
        Cities =
        [
            new("Norristown", ["19401", "19403"], 1182520, 40.115, 40.145, -75.365, -75.320),
            new("Lansdale", ["19446"], 1178879, 40.230, 40.255, -75.300, -75.265),
            new("Pottstown", ["19464"], 1215236, 40.235, 40.262, -75.670, -75.620),
            new("King of Prussia", ["19406"], 1178440, 40.080, 40.105, -75.410, -75.360),
            new("Abington", ["19001"], 1171622, 40.105, 40.130, -75.135, -75.095),
        ],
        Streets = ["Larkfield", "Orchard Gap", "Sumneytown", "Cedar Hollow", "Perkiomen Ridge", "Stony Run", "Wissahick", "Fairview Mill", "Bethel Ford", "Skippack Line"],
        Beats = ["MC-1", "MC-2", "MC-3", "MC-4"],
    };

    /// <summary>San Diego County, California (FIPS 06073).</summary>
    public static CountyProfile SanDiegoCa { get; } = new()
    {
        Fips = "06073",
        Name = "San Diego",
        State = "CA",
        AreaCode = "619",
        Cities =
        [
            new("San Diego", ["92101", "92105", "92113"], 1661377, 32.700, 32.760, -117.170, -117.060),
            new("Chula Vista", ["91910", "91911"], 1652686, 32.600, 32.650, -117.090, -117.020),
            new("El Cajon", ["92020", "92021"], 1652700, 32.780, 32.815, -116.985, -116.930),
            new("Oceanside", ["92054"], 1661150, 33.180, 33.225, -117.370, -117.310),
            new("Escondido", ["92025"], 1660614, 33.100, 33.140, -117.110, -117.050),
        ],
        Streets = ["Mesa Arroyo", "Coronado Vista", "Palomar Crest", "Sandpiper", "Otay Bluff", "Laguna Sage", "Cabrillo Point", "Jacaranda", "Torrey Glen", "Camino Pacifica"],
        Beats = ["521", "522", "611", "712", "813"],
    };

    /// <summary>The default counties: Montgomery PA and San Diego CA.</summary>
    public static IReadOnlyList<CountyProfile> Defaults { get; } = [MontgomeryPa, SanDiegoCa];

    /// <summary>A default county by FIPS code.</summary>
    /// <exception cref="ArgumentException">The FIPS code is not one of the built-in counties.</exception>
    public static CountyProfile FromFips(string fips)
    {
        ArgumentNullException.ThrowIfNull(fips);
        return Defaults.FirstOrDefault(c => c.Fips == fips)
            ?? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"No built-in county with FIPS {fips}; built-in: {string.Join(", ", Defaults.Select(c => c.Fips))}."), nameof(fips));
    }
}

/// <summary>A city inside a county with a bounding box of plausible coordinates.</summary>
/// <param name="Name">City name.</param>
/// <param name="Zips">ZIP codes in the city.</param>
/// <param name="GnisCode">A numeric city code as NEMSIS ePatient.06 / eScene.17 carry it (synthetic, GNIS-shaped).</param>
/// <param name="MinLatitude">South edge.</param>
/// <param name="MaxLatitude">North edge.</param>
/// <param name="MinLongitude">West edge.</param>
/// <param name="MaxLongitude">East edge.</param>
public sealed record CityProfile(
    string Name,
    IReadOnlyList<string> Zips,
    int GnisCode,
    double MinLatitude,
    double MaxLatitude,
    double MinLongitude,
    double MaxLongitude);

using Hub.Deidentification.Profiles;

namespace Hub.Deidentification.Methods;

/// <summary>Population density at a point, people per km², for choosing how far to displace it. Null when unknown.</summary>
public interface IPopulationDensity
{
    /// <summary>People per km² around the point, or null when unknown (the sparsest class then applies: the largest displacement).</summary>
    double? PeoplePerSqKm(double latitude, double longitude);
}

/// <summary>No density data: every point gets the largest displacement of the profile (the safe choice).</summary>
public sealed class UnknownPopulationDensity : IPopulationDensity
{
    /// <inheritdoc />
    public double? PeoplePerSqKm(double latitude, double longitude) => null;
}

/// <summary>
/// Donut masking: moves a point by a keyed distance between half and all of the class distance, in a keyed direction. Keyed
/// and deterministic, so sending the same episode again does not let a recipient average the noise away.
/// </summary>
public static class Perturbation
{
    private const double EarthRadiusMeters = 6_371_000;

    /// <summary>The largest displacement for the density (sparser places move further).</summary>
    public static double MaxMeters(IReadOnlyList<PerturbationBand> bands, double? peoplePerSqKm)
    {
        ArgumentNullException.ThrowIfNull(bands);
        if (peoplePerSqKm is not { } density)
        {
            if (bands.Count == 0)
            {
                throw new InvalidOperationException("no perturbation classes"); // the validator requires them; Decide denies
            }

            var largest = double.MinValue;
            foreach (var band in bands)
            {
                largest = Math.Max(largest, band.Meters);
            }

            return largest;
        }

        foreach (var band in bands)
        {
            if (band.MaxPeoplePerSqKm is not { } max || density <= max)
            {
                return band.Meters;
            }
        }

        return bands[^1].Meters;
    }

    /// <summary>The displaced point.</summary>
    /// <param name="latitude">Latitude.</param>
    /// <param name="longitude">Longitude.</param>
    /// <param name="maxMeters">Largest displacement.</param>
    /// <param name="key">The recipient's key.</param>
    /// <param name="scope">What the displacement is stable for (the episode).</param>
    public static (double Latitude, double Longitude) Displace(double latitude, double longitude, double maxMeters, ReadOnlySpan<byte> key, string scope)
    {
        return Displace(latitude, longitude, maxMeters, key, scope.AsSpan());
    }

    /// <inheritdoc cref="Displace(double, double, double, ReadOnlySpan{byte}, string)"/>
    internal static (double Latitude, double Longitude) Displace(double latitude, double longitude, double maxMeters, ReadOnlySpan<byte> key, ReadOnlySpan<char> scope)
    {
        Span<byte> hash = stackalloc byte[32];
        Keyed.Hmac(key, "perturb|", scope, hash);
        var angle = Keyed.Fraction(hash[..8]) * 2 * Math.PI;
        var distance = maxMeters * (0.5 + (0.5 * Keyed.Fraction(hash.Slice(8, 8))));
        var dLat = distance * Math.Cos(angle) / EarthRadiusMeters * (180 / Math.PI);
        var dLon = distance * Math.Sin(angle) / (EarthRadiusMeters * Math.Cos(latitude * Math.PI / 180)) * (180 / Math.PI);
        return (Math.Round(latitude + dLat, 5), Math.Round(longitude + dLon, 5));
    }
}

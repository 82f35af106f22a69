namespace Hub.SampleData.Population;

/// <summary>
/// Derives independent, reproducible <see cref="Random"/> instances from a seed, a stream name and an index, so that
/// record N of a feed is the same whether it is generated alone, in a 1 GB stream, or next to other feeds.
/// </summary>
internal static class SeededRandom
{
    public static Random For(int seed, string stream, long index)
    {
        var h = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL;
        foreach (var c in stream)
        {
            h = Mix(h ^ c);
        }

        h = Mix(h ^ (ulong)index);
        return new Random((int)(h & 0x7FFF_FFFF));
    }

    public static double NextDouble(this Random random, double min, double max) => min + (random.NextDouble() * (max - min));

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static bool Chance(this Random random, double probability) => probability > 0 && random.NextDouble() < probability;

    /// <summary>A UUID built from the random stream (version-4 layout), never from the clock.</summary>
    public static Guid NextGuid(this Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
